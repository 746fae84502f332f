"""The field machinery of the controls panel: text checks, parsers and widget makers.

Every string here is translated in the ``ControlsPanel`` context, one context for the whole
panel whichever group shows the string.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

CONTEXT = "ControlsPanel"


def tr(text: str) -> str:
    """``text`` translated for the panel (use ``.format`` on the result for placeholders)."""
    return QCoreApplication.translate(CONTEXT, text)


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
            raise ValueError(tr("This field is empty: enter a number, e.g. {0}.").format(example))
        try:
            v = float(t)
        except ValueError:
            raise ValueError(tr("“{0}” is not a number; write it like {1} or 1e-3.").format(t, example)) from None
        if not math.isfinite(v):
            raise ValueError(tr("Enter a finite number, e.g. {0}.").format(example))
        if minimum is not None and (v < minimum or (min_open and v == minimum)):
            raise ValueError((tr("Must be greater than {0}.") if min_open else
                              tr("Must be at least {0}.")).format(fmt_number(minimum)))
        if maximum is not None and (v > maximum or (max_open and v == maximum)):
            raise ValueError((tr("Must be less than {0}.") if max_open else
                              tr("Must be at most {0}.")).format(fmt_number(maximum)))
        return v
    return parse


def parse_int(minimum: int, example: str = "10"):
    def parse(text: str) -> int:
        t = text.strip()
        if not t:
            raise ValueError(tr("This field is empty: enter a whole number, e.g. {0}.").format(example))
        try:
            v = int(t)
        except ValueError:
            raise ValueError(tr("“{0}” is not a whole number.").format(t)) from None
        if v < minimum:
            raise ValueError(tr("Must be at least {0}.").format(minimum))
        return v
    return parse


def parse_milestones(text: str) -> list[int]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ValueError(tr("Enter the epochs where the rate drops, e.g. 50, 100, 160."))
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise ValueError(tr("Milestones are whole epoch numbers separated by commas, e.g. 50, 100.")) from None
    if any(v < 1 for v in vals):
        raise ValueError(tr("Milestones are epochs, 1 or more."))
    return sorted(vals)


# -- checked text fields ---------------------------------------------------------------------
class FieldCheck(QObject):
    """Validates a line edit as it is typed; commits on Enter / focus-out when valid.

    ``parse(text)`` returns the value or raises ``ValueError(reason)``. An invalid field turns
    red and its tooltip says why; nothing is committed until it is valid again.
    """

    committed = Signal(object)

    INVALID_STYLE = "QLineEdit { background: #ffe3e3; color: #000; border: 1px solid #d62728; }"

    def __init__(self, edit: QLineEdit, parse: Callable[[str], object], tooltip: str, parent=None):
        super().__init__(parent or edit)
        self.edit, self.parse, self.tooltip = edit, parse, tooltip
        self.error = ""
        self.dirty = False
        edit.setToolTip(tooltip)
        edit.textEdited.connect(self._edited)
        edit.editingFinished.connect(self.commit)

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
        self.edit.setToolTip(f"⚠ {error}\n\n{self.tooltip}" if error else self.tooltip)

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
def make_spin(minimum: int, maximum: int, tooltip: str, width: int = 84) -> QSpinBox:
    s = QSpinBox()
    s.setRange(minimum, maximum)
    s.setKeyboardTracking(False)  # typed digits commit on Enter / focus-out, not per key
    s.setAccelerated(True)
    s.setToolTip(tooltip)
    s.setMaximumWidth(width)
    s.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return s


def make_combo(tooltip: str) -> QComboBox:
    c = QComboBox()
    c.setToolTip(tooltip)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(8)
    c.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return c


def fill_registry(combo: QComboBox, registry, exclude=(), tips: dict | None = None) -> None:
    """One item per registered name, its tooltip from the class (or ``tips``)."""
    for name, cls in registry.items():
        if name in exclude:
            continue
        combo.addItem(name, name)
        tip = (tips or {}).get(name) or registry_tooltip(cls)
        combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)


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


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    lab = QLabel(text)
    lab.setBuddy(buddy)
    lab.setToolTip(buddy.toolTip())
    return lab
