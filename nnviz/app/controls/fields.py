"""The field machinery of the controls panel: text checks, parsers and widget makers.

Every text is nnviz's catalog's (:mod:`nnviz.i18n`): constants are marked with ``N_`` and
translated with ``_`` where shown, so a language switch (``retranslate_ui``) shows them anew;
a registry id's combo item shows :func:`nnviz.i18n.names.title`, the id stays its data.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QStyle,
                               QStyleOptionComboBox, QStylePainter, QToolTip, QWidget)

from nnviz.app.translation import retranslate
from nnviz.i18n import _, names

#: itemData role marking a combo item that is not a registry id (a file the user opened)
CUSTOM_ROLE = Qt.ItemDataRole.UserRole + 1


def fmt_number(v) -> str:
    """Shortest text that reads back to ``v``."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return str(v)
    v = float(v)
    s = f"{v:g}"
    return s if float(s) == v else repr(v)


def _formula(cls) -> str:
    f = getattr(cls, "formula", "")
    if isinstance(f, str):
        return f
    try:  # a property: needs an instance
        return str(cls().formula)
    except Exception:
        return ""


def registry_tooltip(cls) -> str:
    """First docstring line plus the formula, for a combo item's tooltip."""
    doc = (cls.__doc__ or "").strip()
    doc = doc.splitlines()[0] if doc else ""
    formula = _formula(cls)
    return doc + (f"\n{formula}" if formula and formula not in doc else "")


# -- parsers: text -> value, or ValueError(a reason the learner can act on) ------------------
def parse_float(minimum=None, maximum=None, min_open=False, max_open=False, example="0.1"):
    def parse(text: str) -> float:
        t = text.strip().replace(",", ".")
        if not t:
            raise ValueError(_("This field is empty: enter a number, e.g. {example}.").format(example=example))
        try:
            v = float(t)
        except ValueError:
            raise ValueError(_("“{text}” is not a number; write it like {example} or 1e-3.").format(
                text=t, example=example)) from None
        if not math.isfinite(v):
            raise ValueError(_("Enter a finite number, e.g. {example}.").format(example=example))
        if minimum is not None and (v < minimum or (min_open and v == minimum)):
            raise ValueError((_("Must be greater than {limit}.") if min_open else
                              _("Must be at least {limit}.")).format(limit=fmt_number(minimum)))
        if maximum is not None and (v > maximum or (max_open and v == maximum)):
            raise ValueError((_("Must be less than {limit}.") if max_open else
                              _("Must be at most {limit}.")).format(limit=fmt_number(maximum)))
        return v
    return parse


def parse_int(minimum: int, example: str = "10"):
    def parse(text: str) -> int:
        t = text.strip()
        if not t:
            raise ValueError(_("This field is empty: enter a whole number, e.g. {example}.").format(example=example))
        try:
            v = int(t)
        except ValueError:
            raise ValueError(_("“{text}” is not a whole number.").format(text=t)) from None
        if v < minimum:
            raise ValueError(_("Must be at least {limit}.").format(limit=minimum))
        return v
    return parse


def parse_milestones(text: str) -> list[int]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ValueError(_("Enter the epochs where the rate drops, e.g. 50, 100, 160."))
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise ValueError(_("Milestones are whole epoch numbers separated by commas, e.g. 50, 100.")) from None
    if any(v < 1 for v in vals):
        raise ValueError(_("Milestones are epochs, 1 or more."))
    return sorted(vals)


# -- checked text fields ---------------------------------------------------------------------
class FieldCheck(QObject):
    """Validates a line edit as it is typed; commits on Enter / focus-out when valid.

    ``parse(text)`` returns the value or raises ``ValueError(reason)``. An invalid field turns
    red and its tooltip says why; nothing is committed until it is valid again. ``tooltip`` is
    a marked text (``N_``), translated when shown; a language switch recomputes the reason.
    """

    committed = Signal(object)

    INVALID_STYLE = "QLineEdit { background: #ffe3e3; color: #000; border: 1px solid #d62728; }"

    def __init__(self, edit: QLineEdit, parse: Callable[[str], object], tooltip: str, parent=None):
        super().__init__(parent or edit)
        self.edit, self.parse, self.tooltip = edit, parse, tooltip
        self.error = ""
        self.dirty = False
        edit.textEdited.connect(self._edited)
        edit.editingFinished.connect(self.commit)
        retranslate(self)

    def retranslate_ui(self) -> None:
        if self.error:
            self.check()  # the reason again, in the new language
        else:
            self._flag("")

    def tip(self) -> str:
        """The field's tooltip in the current language."""
        return _(self.tooltip)

    def value(self):
        return self.parse(self.edit.text())

    def set_text(self, text: str) -> None:
        """Show ``text`` as loaded (no commit), clearing any error."""
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        self.dirty = False
        self._flag("")

    def _flag(self, error: str) -> None:
        self.error = error
        self.edit.setProperty("invalid", bool(error))
        self.edit.setStyleSheet(self.INVALID_STYLE if error else "")
        self.edit.setToolTip(f"⚠ {error}\n\n{self.tip()}" if error else self.tip())

    def check(self) -> bool:
        try:
            self.parse(self.edit.text())
        except ValueError as e:
            self._flag(str(e))
            return False
        self._flag("")
        return True

    def _edited(self, _text: str) -> None:
        self.dirty = True
        self.check()

    def commit(self, force: bool = False) -> None:
        if not (self.dirty or force):
            return
        if not self.check():
            return
        self.dirty = False
        self.committed.emit(self.parse(self.edit.text()))


class WheelGuard(QObject):
    """Spin boxes, combos and sliders in a scroll area ignore the wheel unless focused,
    so scrolling the panel never changes a setting by accident."""

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            ev.ignore()
            return True
        return False


# -- widget makers ---------------------------------------------------------------------------
def make_spin(minimum: int, maximum: int, tooltip: str = "", width: int = 84) -> QSpinBox:
    s = QSpinBox()
    s.setRange(minimum, maximum)
    s.setKeyboardTracking(False)  # typed digits commit on Enter / focus-out, not per key
    s.setAccelerated(True)
    s.setToolTip(tooltip)
    s.setMaximumWidth(width)
    s.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return s


class ElidingComboBox(QComboBox):
    """A combo box whose shown item is elided ("Gaussian bu…") when the box is too narrow for
    it, never clipped; its tooltip then starts with the whole text."""

    def _edit_rect(self):
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        return opt, self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                                QStyle.SubControl.SC_ComboBoxEditField, self)

    def is_elided(self) -> bool:
        if self.isEditable():
            return False
        _opt, rect = self._edit_rect()
        return self.fontMetrics().horizontalAdvance(self.currentText()) > rect.width()

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        if self.isEditable():
            return super().paintEvent(event)
        opt, rect = self._edit_rect()
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, Qt.TextElideMode.ElideRight,
                                                        rect.width())
        p = QStylePainter(self)
        p.setPen(self.palette().color(QPalette.ColorRole.Text))
        p.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        p.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

    def event(self, ev):
        if ev.type() == QEvent.Type.ToolTip and self.is_elided():
            tip = self.toolTip()
            QToolTip.showText(ev.globalPos(), self.currentText() + (f"\n\n{tip}" if tip else ""), self)
            return True
        return super().event(ev)


def make_combo(tooltip: str = "") -> QComboBox:
    c = ElidingComboBox()
    c.setToolTip(tooltip)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(8)
    c.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return c


def fill_registry(combo: QComboBox, kind: str, registry, exclude=()) -> None:
    """One item per registered id: its display name (``names.title``) shown, the id as data."""
    for name in registry:
        if name not in exclude:
            combo.addItem(str(name), name)
    retitle_combo(combo, kind, registry)


def retitle_combo(combo: QComboBox, kind: str, registry=None) -> None:
    """Show every id item of ``combo`` by its name and tooltip in the current language.

    The ids (itemData), the selection and the signals stay as they are; separators and the
    items of files the user opened keep their text."""
    for i in range(combo.count()):
        ident = combo.itemData(i)
        if ident is None or (combo.itemData(i, CUSTOM_ROLE) == "custom" and (kind, str(ident)) not in names.NAMES):
            continue   # a file keeps its own name; a preset's sample has a display name
        combo.setItemText(i, names.title(kind, ident))
        tip = names.tip(kind, ident)
        if not tip and registry is not None and ident in registry:
            tip = registry_tooltip(registry[ident])  # registered later, not yet named
        combo.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)


def set_combo(combo: QComboBox, name, display: str | None = None) -> None:
    """Select the item whose data is ``name``; add it when missing (so nothing is lost)."""
    i = combo.findData(name)
    if i < 0:
        combo.addItem(display or str(name), name)
        i = combo.count() - 1
    combo.setCurrentIndex(i)


def make_line_edit() -> QLineEdit:
    e = QLineEdit()
    e.setMaximumWidth(120)
    return e


def make_form() -> QFormLayout:
    f = QFormLayout()
    f.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    f.setHorizontalSpacing(8)
    f.setVerticalSpacing(5)
    f.setContentsMargins(8, 6, 8, 8)
    return f


def buddy_label(buddy: QWidget) -> QLabel:
    """A form label for ``buddy`` (its text and tooltip are set by the group's retranslate_ui)."""
    lab = QLabel()
    lab.setBuddy(buddy)
    return lab
