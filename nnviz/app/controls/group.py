"""What the three groups of the panel share: the settings being edited and the table rows."""
from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QFormLayout, QGroupBox, QLabel,
                               QSlider, QWidget)

from nnviz.app.translation import retranslate
from nnviz.experiment import Settings
from nnviz.i18n import _

from .fields import FieldCheck, WheelGuard, buddy_label, make_form
from .table import CUSTOM, BoundField, Field, rows


class Draft:
    """The :class:`Settings` being edited, shared by the groups.

    ``changed(needs_rebuild)`` tells the panel a user edit happened (ignored while
    ``loading``); ``relink()`` asks it to chain the tab order again after rows came or went.
    """

    def __init__(self, s: Settings, changed: Callable[[bool], None], relink: Callable[[], None]):
        self.s = s
        self.loading = False
        self._changed, self.relink = changed, relink

    def changed(self, needs_rebuild: bool) -> None:
        if not self.loading:
            self._changed(bool(needs_rebuild))


class FormGroup(QGroupBox):
    """A titled form whose rows come from :data:`~nnviz.app.controls.table.FIELDS`.

    Simple rows are built by :class:`BoundField`; a ``CUSTOM`` row ``key`` by the subclass's
    ``_build_<key>()`` (and its focusable widgets listed by ``_tab_<key>()``). After a simple field changes, ``_after_<key>()`` runs when defined (to
    show the chosen optimizer's fields, say) before the change is sent.

    ``title`` and the row labels are marked texts (``N_``): :meth:`retranslate_ui` shows them
    in the current language, then calls ``_retranslate_rows()`` for the custom rows' texts.
    """

    GROUP = ""

    def __init__(self, title: str, draft: Draft, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_text = title
        self.draft = draft
        self.row_labels: list[tuple[QLabel, str, str]] = []  # (label, text, tooltip), marked
        self.form = make_form()
        self.setLayout(self.form)
        self.fields: dict[str, BoundField] = {}
        self.checks: dict[str, FieldCheck] = {}
        self.wheel_guard = WheelGuard(self)
        self._prepare()
        self.rows = rows(self.GROUP)
        for f in self.rows:
            if f.kind == CUSTOM:
                getattr(self, f"_build_{f.key}")()
            else:
                self._add_field(f)
        self.guard_wheel(*self.findChildren(QWidget))
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setTitle(_(self.title_text))
        self._retranslate_rows()
        for lab, text, tip in self.row_labels:
            lab.setText(_(text))
            lab.setToolTip(_(tip))

    def _retranslate_rows(self) -> None:
        """The custom rows' texts in the current language (subclasses)."""

    def add_row(self, text: str, tip: str, buddy: QWidget, field=None) -> QLabel:
        """A row labelled with the marked ``text`` (tooltip ``tip``): ``field`` (a widget or a
        layout; ``buddy`` when None) in the field column."""
        lab = buddy_label(buddy)
        self.row_labels.append((lab, text, tip))
        self.form.addRow(lab, buddy if field is None else field)
        return lab

    def _prepare(self) -> None:
        """Set up what the custom rows need, before the rows are built."""

    @property
    def s(self) -> Settings:
        return self.draft.s

    def _add_field(self, f: Field) -> None:
        b = BoundField(f, self)
        b.edited.connect(self._field_edited)
        self.fields[f.key] = b
        if b.check is not None:
            self.checks[f.key] = b.check
        if f.label:
            self.add_row(f.label, f.tooltip, b.widget)
        else:  # no label: the widget stays in the field column (a check box with its own text)
            self.form.addRow("", b.widget)

    def _field_edited(self, f: Field, value) -> None:
        if self.draft.loading or f.get(self.s) == value:
            return  # e.g. Enter on a listed learning rate also "activates" it: send once
        f.set(self.s, value)
        for key, reset in f.resets:
            setattr(self.s, key, copy.deepcopy(reset))
        after = getattr(self, f"_after_{f.key.replace('.', '_')}", None)
        if after is not None:
            after()
        self.draft.changed(not f.live)

    def guard_wheel(self, *widgets: QWidget) -> None:
        for w in widgets:
            if isinstance(w, (QAbstractSpinBox, QComboBox, QSlider)):
                w.installEventFilter(self.wheel_guard)

    def load_fields(self, s: Settings) -> None:
        for b in self.fields.values():
            b.load(s)

    def labels(self) -> list[QLabel]:
        """The label column's labels (to give the three groups one label width)."""
        out = []
        for r in range(self.form.rowCount()):
            it = self.form.itemAt(r, QFormLayout.ItemRole.LabelRole)
            if it is not None and isinstance(it.widget(), QLabel):
                out.append(it.widget())
        return out

    def tab_chain(self) -> list[QWidget]:
        """The focusable widgets in the table's order; a custom row's from ``_tab_<key>()``."""
        chain: list[QWidget] = []
        for f in self.rows:
            if f.kind == CUSTOM:
                chain += getattr(self, f"_tab_{f.key}", list)()
            else:
                chain.append(self.fields[f.key].widget)
        return chain

    def load(self, s: Settings) -> None:
        """Show ``s`` (subclasses add their custom rows)."""
        self.load_fields(s)
