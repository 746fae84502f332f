"""The panel's one table of fields, and the generic code that turns a row into a widget.

Each :class:`Field` names a :class:`~nnviz.experiment.Settings` attribute, the kind of widget
that edits it and how (range, items, parser, tooltip). :class:`BoundField` builds that widget,
loads it from a ``Settings`` and reports a user's valid edit as ``edited(field, value)``;
whether the change can be applied while training runs comes from
:data:`nnviz.experiment.LIVE_SETTINGS`, written once there for the panel and the worker.

Rows of kind ``CUSTOM`` are built by their group (the hidden-layer rows, the dataset combo,
the optimizer's hyper-parameters...); they are listed here so the order of the whole panel is
read in one place, and a new simple row is one line of this table.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QWidget

from nnviz.app.translation import retranslate
from nnviz.core import INITIALIZERS, LOSSES, OPTIMIZERS, SCHEDULES
from nnviz.experiment import LIVE_SETTINGS
from nnviz.i18n import N_, _

from .fields import (FieldCheck, fill_registry, fmt_number, make_combo, make_line_edit, make_spin,
                     parse_float, retitle_combo, set_combo)

SPIN, DOUBLE, COMBO, CHECK, EDIT, CUSTOM = "spin", "double", "combo", "check", "edit", "custom"


@dataclass(frozen=True)
class Field:
    """One row of the panel. ``label``, ``tooltip`` and ``text`` are marked with ``N_`` and
    translated when shown (and again after a language switch)."""

    key: str                          # the Settings attribute, or "<dict attribute>.<key>"
                                      # (e.g. "data_options.noise"); a row name for CUSTOM
    kind: str                         # SPIN, DOUBLE, COMBO, CHECK, EDIT or CUSTOM
    group: str                        # "data", "network" or "training"
    label: str = ""
    tooltip: str = ""
    range: tuple = (0, 0)             # SPIN / DOUBLE: (minimum, maximum)
    step: float = 1.0                 # DOUBLE: single step
    decimals: int = 2                 # DOUBLE: digits shown (the value is rounded to 4)
    width: int | None = None          # maximum width of the widget
    items: object = ()                # COMBO: a registry (id → class) or (value, shown text) pairs
    names: str = ""                   # COMBO of a registry: the ids' kind in nnviz.i18n.names
    none_item: str | None = None      # COMBO: the item that stands for None in Settings
    parse: Callable | None = None     # EDIT: text → value, ValueError(reason) when bad
    choices: tuple = ()               # EDIT: values offered in a drop-down list (texts)
    text: str = ""                    # CHECK: the text beside the box
    resets: tuple = ()                # (attribute, value) pairs set back when this one changes
    default: object = None            # a dict entry's value when the dict does not hold it

    @property
    def attribute(self) -> str:
        """The Settings attribute the row edits (the dict's, for a dict entry)."""
        return self.key.split(".", 1)[0]

    @property
    def live(self) -> bool:
        """Can change between two batches, without a new network (see LIVE_SETTINGS)."""
        return self.attribute in LIVE_SETTINGS

    def get(self, s):
        """The row's value in the settings ``s``."""
        attr, _, entry = self.key.partition(".")
        value = getattr(s, attr)
        return (value or {}).get(entry, self.default) if entry else value

    def set(self, s, value) -> None:
        """Write ``value`` into ``s`` (a dict entry into a new dict, so copies never share it)."""
        attr, _, entry = self.key.partition(".")
        if entry:
            value = {**(getattr(s, attr) or {}), entry: value}
        setattr(s, attr, value)


FIELDS: tuple[Field, ...] = (
    # -- data
    Field("dataset", CUSTOM, "data"),
    Field("noise", CUSTOM, "data"),
    Field("train_ratio", CUSTOM, "data"),
    Field("features", CUSTOM, "data"),
    Field("augment", CHECK, "data", "", N_(
        "Distort every training image a little, differently in each epoch: random rotation, "
        "size, shift, slant and stroke width. People do not draw like MNIST's writers, so a "
        "network trained this way reads digits drawn on the canvas far better. Image data "
        "only; it rebuilds the network."), text=N_("Augment the images")),
    # -- network
    Field("hidden", CUSTOM, "network"),
    Field("output_activation", CUSTOM, "network"),
    Field("loss", COMBO, "network", N_("Loss"), N_(
        "The loss measures how wrong the outputs are; training moves the weights to make it "
        "smaller. Cross-entropy suits classes, squared error suits numbers."), items=LOSSES, names="loss"),
    Field("pairing_hint", CUSTOM, "network"),
    Field("init", COMBO, "network", N_("Initialiser"), N_(
        "How the weights are set before training. Random weights of the right size break "
        "the symmetry between neurons and keep signals from fading or exploding."),
        items=INITIALIZERS, names="init", resets=(("init_options", {}), ("weights", None))),
    Field("batchnorm", CHECK, "network", "", N_(
        "Re-centre and re-scale each hidden neuron's sums over the batch before the "
        "activation; often lets you use a larger learning rate."), text=N_("Batch normalisation")),
    Field("dropout", DOUBLE, "network", N_("Dropout"), N_(
        "Dropout: during training, switch off this share of the hidden neurons at random "
        "in every batch, so the network cannot rely on any single one (fights over-fitting)."),
        range=(0.0, 0.9), step=0.05, decimals=2, width=84),
    # -- training
    Field("optimizer", COMBO, "training", N_("Optimizer"), N_(
        "The rule that turns gradients into weight changes. SGD takes a plain step down "
        "the slope; momentum and Adam remember past steps to move faster and smoother."),
        items=OPTIMIZERS, names="optimizer", resets=(("optimizer_options", {}),)),
    Field("optimizer_options", CUSTOM, "training"),
    Field("lr", EDIT, "training", N_("Learning rate"), N_(
        "Learning rate η: the size of each step down the loss slope. Too small: learning "
        "crawls; too large: the loss jumps around or explodes. Try 0.03, 0.1, 0.3… "
        "You can change it while training."),
        parse=parse_float(0.0, min_open=True, example="0.03"),
        choices=("0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10")),
    Field("schedule", COMBO, "training", N_("Schedule"), N_(
        "Learning-rate schedule: lower the rate as training goes on, to take big steps "
        "first and fine ones at the end."), items=SCHEDULES, names="schedule",
        none_item="constant", resets=(("schedule_options", {}),)),
    Field("schedule_options", CUSTOM, "training"),
    Field("batch_size", CUSTOM, "training"),
    Field("epochs", SPIN, "training", N_("Epochs"), N_(
        "Epochs: how many times training goes through the whole training set. "
        "Each epoch shows every training sample to the network once."), range=(0, 1_000_000)),
    Field("l1", EDIT, "training", N_("L1"), N_(
        "L1 regularisation λ₁: adds λ₁·Σ|w| to the loss, pushing unneeded weights to exactly "
        "zero (a sparser network). 0 turns it off."), parse=parse_float(0.0, example="0.001")),
    Field("weight_decay", EDIT, "training", N_("L2"), N_(
        "L2 regularisation (weight decay) λ₂: pulls every weight a little towards zero at "
        "each step, which keeps boundaries smooth and fights over-fitting. 0 turns it off."),
        parse=parse_float(0.0, example="0.001")),
    Field("seed", SPIN, "training", N_("Seed"), N_(
        "Random seed: the same seed gives the same data, starting weights and shuffling, "
        "so a run can be repeated exactly. Change it to see another random start."),
        range=(0, 2_147_483_647), width=110),
    Field("dtype", COMBO, "training", N_("Precision"), N_(
        "Number precision: float32 is about twice as fast and plenty for training; float64 "
        "gives exact, reproducible digits for checking calculations by hand."),
        items=(("float32", N_("float32 (fast)")), ("float64", N_("float64 (exact)")))),
)


def rows(group: str) -> list[Field]:
    """The rows of one group, in the order they are shown."""
    return [f for f in FIELDS if f.group == group]


class BoundField(QObject):
    """The widget of one simple :class:`Field`: built, loaded from Settings, read back.

    ``widget`` goes in the form and takes the focus; ``check`` is the :class:`FieldCheck` of
    an EDIT row. ``edited(field, value)`` is emitted for a user's valid edit only (loading a
    value never emits it: signals are blocked while loading).
    """

    edited = Signal(object, object)

    def __init__(self, field: Field, parent: QObject | None = None):
        super().__init__(parent)
        self.field = f = field
        self.check: FieldCheck | None = None
        if f.kind == SPIN:
            w = make_spin(int(f.range[0]), int(f.range[1]), width=f.width or 84)
            w.valueChanged.connect(lambda v: self.edited.emit(f, int(v)))
        elif f.kind == DOUBLE:
            w = QDoubleSpinBox()
            w.setRange(*f.range)
            w.setSingleStep(f.step)
            w.setDecimals(f.decimals)
            w.setKeyboardTracking(False)
            w.setMaximumWidth(f.width or 84)
            w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            w.valueChanged.connect(lambda v: self.edited.emit(f, round(float(v), 4)))
        elif f.kind == COMBO:
            w = make_combo()
            if f.names:
                fill_registry(w, f.names, f.items)
            else:
                for value, _text in f.items:
                    w.addItem(value, value)
            if f.width:
                w.setMaximumWidth(f.width)
            w.currentIndexChanged.connect(lambda _i: self.edited.emit(f, self._combo_value()))
        elif f.kind == CHECK:
            w = QCheckBox()
            w.toggled.connect(lambda on: self.edited.emit(f, bool(on)))
        elif f.kind == EDIT:
            w = self._build_edit()
        else:
            raise ValueError(f"{f.key}: a {f.kind!r} row is built by its group")
        self.widget: QWidget = w
        retranslate(self)

    def retranslate_ui(self) -> None:
        """Tooltip, check text and combo item texts in the current language (the value, the
        selection and the signals stay as they are)."""
        f, w = self.field, self.widget
        if self.check is None or f.choices:
            w.setToolTip(_(f.tooltip))
        if f.kind == CHECK:
            w.setText(_(f.text))
        elif f.kind == COMBO and f.names:
            retitle_combo(w, f.names, f.items)
        elif f.kind == COMBO:
            for i, (_value, text) in enumerate(f.items):
                w.setItemText(i, _(text))

    def _build_edit(self) -> QWidget:
        f = self.field
        if f.choices:  # an editable list: pick a usual value or type another
            w = make_combo()
            w.setEditable(True)
            w.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            w.setMaximumWidth(f.width or 120)
            for t in f.choices:
                w.addItem(t, float(t))
            edit = w.lineEdit()
        else:
            w = edit = make_line_edit()
        self.check = FieldCheck(edit, f.parse, f.tooltip, parent=self)
        self.check.committed.connect(lambda v: self.edited.emit(f, v))
        if f.choices:
            # picking from the list commits, also when the text was already that value
            w.activated.connect(lambda _i: self.check.commit(force=True))
        return w

    def _combo_value(self):
        v = self.widget.currentData()
        return None if v == self.field.none_item and self.field.none_item is not None else v

    def load(self, s) -> None:
        """Show ``s``'s value without emitting anything."""
        f, w, v = self.field, self.widget, self.field.get(s)
        was = w.blockSignals(True)
        try:
            if f.kind == SPIN:   # (clamped: Qt's spin box overflows past 2³¹ − 1)
                w.setValue(max(w.minimum(), min(w.maximum(), int(v))))
            elif f.kind == DOUBLE:
                w.setValue(max(w.minimum(), min(w.maximum(), float(v))))
            elif f.kind == COMBO:
                set_combo(w, f.none_item if v is None and f.none_item else v)
            elif f.kind == CHECK:
                w.setChecked(bool(v))
            else:
                self.check.set_text(fmt_number(v))
        finally:
            w.blockSignals(was)
