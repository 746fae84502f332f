"""The controls panel: every choice of a run (data, network, training) as editable widgets.

:class:`ControlsPanel` edits a :class:`~nnviz.experiment.Settings`. Each edit emits
``settingsChanged(settings, needs_rebuild)``: ``needs_rebuild`` is True when the data or the
network must be built again, False for what the worker can change between two batches
(learning rate, optimizer and its hyper-parameters, L1/L2, schedule, epochs).
"""
from __future__ import annotations

import copy
import inspect
import math
import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSlider, QSpinBox, QToolButton, QVBoxLayout, QWidget)

from nnviz.core import ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, SCHEDULES
from nnviz.experiment import Settings

# -- what the panel knows about datasets ------------------------------------------------------
_FALLBACK_DATASETS = {
    "circle": "2-D: a disc of one class inside a ring of the other",
    "xor": "2-D: the four quadrants, XOR of the signs of x1 and x2",
    "gauss": "2-D: two Gaussian clouds, linearly separable",
    "spiral": "2-D: two interleaved spiral arms, the hard one",
    "spiral-k": "2-D: K spiral arms, one class each",
    "blobs": "2-D: K Gaussian blobs, one class each",
    "reg-plane": "2-D regression: a tilted plane",
    "reg-gauss": "2-D regression: six Gaussian bumps of +1 and -1",
    "gate-and": "logic gate AND: 4 rows, 2 inputs",
    "gate-or": "logic gate OR: 4 rows, 2 inputs",
    "gate-nand": "logic gate NAND: 4 rows, 2 inputs",
    "gate-xor": "logic gate XOR: 4 rows, 2 inputs (needs a hidden layer)",
    "gender": "the seed's four people: weight and height → gender",
    "mnist": "MNIST handwritten digits 0-9, 28×28 grey images",
    "fashion-mnist": "Fashion-MNIST clothing pictures in 10 classes, 28×28 grey",
}
TOY_DATASETS = ("circle", "xor", "gauss", "spiral", "spiral-k", "blobs", "reg-plane", "reg-gauss")
REGRESSION_DATASETS = ("reg-plane", "reg-gauss")
MULTICLASS_DATASETS = ("spiral-k", "blobs", "mnist", "fashion-mnist")
#: Options the toy generators accept (the rest of a dataset's data_options are dropped on a switch).
TOY_OPTIONS = ("n_samples", "noise", "train_ratio", "features", "n_classes")
CSV_OPTIONS = ("label", "task", "header", "train_ratio", "delimiter", "test_path")
#: (feature key in nnviz.data.toy.FEATURES, label shown)
FEATURES = (("x1", "x₁"), ("x2", "x₂"), ("x1^2", "x₁²"), ("x2^2", "x₂²"), ("x1*x2", "x₁x₂"),
            ("sin(x1)", "sin x₁"), ("sin(x2)", "sin x₂"))
_FEATURE_ALIASES = {"x1²": "x1^2", "x2²": "x2^2", "x1x2": "x1*x2", "x1_x2": "x1*x2",
                    "sinx1": "sin(x1)", "sinx2": "sin(x2)"}
LEARNING_RATES = ("0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10")
CLASSIFICATION_LOSSES = ("bce", "cross_entropy")


def dataset_names() -> dict[str, str]:
    """Name → description, from :func:`nnviz.data.list_datasets` when it is there."""
    try:
        from nnviz.data import list_datasets
        names = dict(list_datasets())
        if names:
            return names
    except Exception:  # the data package is optional for the panel
        pass
    return dict(_FALLBACK_DATASETS)


def dataset_kind(name: str) -> str:
    """``"toy"``, ``"csv"`` (a CSV/TXT file), ``"file"`` (other files) or ``"named"``."""
    if name in TOY_DATASETS:
        return "toy"
    low = str(name).lower()
    if low.endswith(".csv") or low.endswith(".txt"):
        return "csv"
    if name in _FALLBACK_DATASETS or name in dataset_names():
        return "named"
    return "file"


def _canonical_features(value) -> list[str]:
    if value is None:
        return ["x1", "x2"]
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for it in items:
        key = str(it).strip().replace(" ", "")
        key = _FEATURE_ALIASES.get(key, key)
        if key and key not in out:
            out.append(key)
    return out


def _doc(cls) -> str:
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


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
    doc, formula = _doc(cls), _formula(cls)
    return doc + (f"\n{formula}" if formula and formula not in doc else "")


def fmt_number(v) -> str:
    """Shortest text that reads back to ``v``."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return str(v)
    v = float(v)
    s = f"{v:g}"
    return s if float(s) == v else repr(v)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ControlsPanel", text)


# -- small widgets ---------------------------------------------------------------------------
class _WheelGuard(QObject):
    """Spin boxes, combos and sliders in a scroll area ignore the wheel unless focused,
    so scrolling the panel never changes a setting by accident."""

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            ev.ignore()
            return True
        return False


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


def _parse_float(minimum=None, maximum=None, min_open=False, max_open=False, example="0.1"):
    def parse(text: str) -> float:
        t = text.strip().replace(",", ".")
        if not t:
            raise ValueError(_tr("This field is empty: enter a number, e.g. {0}.").format(example))
        try:
            v = float(t)
        except ValueError:
            raise ValueError(_tr("“{0}” is not a number; write it like {1} or 1e-3.").format(t, example)) from None
        if not math.isfinite(v):
            raise ValueError(_tr("Enter a finite number, e.g. {0}.").format(example))
        if minimum is not None and (v < minimum or (min_open and v == minimum)):
            raise ValueError((_tr("Must be greater than {0}.") if min_open else
                              _tr("Must be at least {0}.")).format(fmt_number(minimum)))
        if maximum is not None and (v > maximum or (max_open and v == maximum)):
            raise ValueError((_tr("Must be less than {0}.") if max_open else
                              _tr("Must be at most {0}.")).format(fmt_number(maximum)))
        return v
    return parse


def _parse_milestones(text: str) -> list[int]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ValueError(_tr("Enter the epochs where the rate drops, e.g. 50, 100, 160."))
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise ValueError(_tr("Milestones are whole epoch numbers separated by commas, e.g. 50, 100.")) from None
    if any(v < 1 for v in vals):
        raise ValueError(_tr("Milestones are epochs, 1 or more."))
    return sorted(vals)


def _spin(minimum: int, maximum: int, tooltip: str, width: int = 84) -> QSpinBox:
    s = QSpinBox()
    s.setRange(minimum, maximum)
    s.setKeyboardTracking(False)  # typed digits commit on Enter / focus-out, not per key
    s.setAccelerated(True)
    s.setToolTip(tooltip)
    s.setMaximumWidth(width)
    s.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return s


def _combo(tooltip: str) -> QComboBox:
    c = QComboBox()
    c.setToolTip(tooltip)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(8)
    c.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return c


def _set_combo(combo: QComboBox, name, display: str | None = None) -> None:
    """Select the item whose data is ``name``; add it when missing (so nothing is lost)."""
    i = combo.findData(name)
    if i < 0:
        combo.addItem(display or str(name), name)
        i = combo.count() - 1
    combo.setCurrentIndex(i)


def _form() -> QFormLayout:
    f = QFormLayout()
    f.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    f.setHorizontalSpacing(8)
    f.setVerticalSpacing(5)
    f.setContentsMargins(8, 6, 8, 8)
    return f


class _LayerRow:
    """One hidden layer: its size and activation."""

    def __init__(self, panel: "ControlsPanel", index: int, size: int, activation: str):
        self.label = QLabel()
        self.spin = _spin(1, 4096, panel.tr(
            "Neurons in this hidden layer. More neurons can draw more complicated boundaries, "
            "but learn slower and can over-fit."), width=72)
        self.spin.setValue(int(size))
        self.combo = _combo(panel.tr("Activation of this layer's neurons: the function applied "
                                     "to each neuron's weighted sum z."))
        panel._fill_registry(self.combo, ACTIVATIONS, exclude=("softmax",))
        _set_combo(self.combo, activation)
        self.field = QWidget()
        h = QHBoxLayout(self.field)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(6)
        h.addWidget(self.spin)
        h.addWidget(self.combo, 1)
        self.set_index(index)
        for w in (self.spin, self.combo):
            w.installEventFilter(panel._wheel_guard)
        self.spin.valueChanged.connect(panel._on_arch_changed)
        self.combo.currentIndexChanged.connect(panel._on_arch_changed)

    def set_index(self, i: int) -> None:
        self.label.setText(_tr("Layer {0}").format(i + 1))


# -- the panel --------------------------------------------------------------------------------
class ControlsPanel(QWidget):
    """Edits a :class:`Settings`; emits ``settingsChanged(settings, needs_rebuild)``."""

    settingsChanged = Signal(object, bool)
    openDatasetRequested = Signal()

    MAX_LAYERS = 8

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = copy.deepcopy(settings) if settings is not None else Settings()
        self._loading = False
        self._wheel_guard = _WheelGuard(self)
        self._layers: list[_LayerRow] = []
        self._checks: dict[str, FieldCheck] = {}
        self._datasets = dataset_names()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        lay.addWidget(self._build_data_group())
        lay.addWidget(self._build_network_group())
        lay.addWidget(self._build_training_group())
        lay.addStretch(1)
        self._align_labels()
        for w in self.findChildren(QWidget):
            if isinstance(w, (QAbstractSpinBox, QComboBox, QSlider)):
                w.installEventFilter(self._wheel_guard)
        self.setMinimumWidth(300)
        self.set_settings(self._s)

    # ------------------------------------------------------------------ building: Data
    def _build_data_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        f = self.data_form = _form()
        box.setLayout(f)

        self.dataset_combo = _combo(self.tr(
            "The examples the network learns from. The 2-D sets can be drawn on a plane, so you "
            "can watch the decision boundary form; MNIST are pictures of digits."))
        groups = [[n for n in self._datasets if n in TOY_DATASETS],
                  [n for n in self._datasets if n not in TOY_DATASETS and not n.endswith("mnist")],
                  [n for n in self._datasets if n.endswith("mnist")]]
        for g in groups:
            if not g:
                continue
            if self.dataset_combo.count():
                self.dataset_combo.insertSeparator(self.dataset_combo.count())
            for n in g:
                self.dataset_combo.addItem(n, n)
                self.dataset_combo.setItemData(self.dataset_combo.count() - 1, self._datasets[n],
                                               Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        self.open_button = QPushButton(self.tr("Open CSV…"))
        self.open_button.setToolTip(self.tr(
            "Load your own data from a CSV file (one row per sample, the label in the last "
            "column), a .npz file or MNIST-style IDX files."))
        self.open_button.clicked.connect(self.openDatasetRequested)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.dataset_combo, 1)
        row.addWidget(self.open_button)
        f.addRow(self._label(self.tr("Dataset"), self.dataset_combo), row)

        self.noise_slider, self.noise_label, noise_row = self._slider_row(
            0, 50, 5, self.tr("Noise: how much the points are shaken off their ideal place "
                              "(0–50 %). Noisy data is harder to separate and easier to over-fit."))
        self.noise_slider.valueChanged.connect(self._on_noise_changed)
        f.addRow(self._label(self.tr("Noise"), self.noise_slider), noise_row)

        self.ratio_slider, self.ratio_label, ratio_row = self._slider_row(
            10, 90, 10, self.tr("Share of the data used for training; the rest is the test set, "
                                "kept aside to check how well the network does on data it "
                                "never learned from."))
        self.ratio_slider.setSingleStep(5)
        self.ratio_slider.valueChanged.connect(self._on_ratio_changed)
        f.addRow(self._label(self.tr("Train split"), self.ratio_slider), ratio_row)

        self.features_widget = QWidget()
        self.features_widget.setToolTip(self.tr(
            "The inputs fed to the network, computed from each point (x₁, x₂). Extra inputs like "
            "x₁² or sin x₁ let even a small network draw curved boundaries."))
        g = QGridLayout(self.features_widget)
        g.setContentsMargins(0, 0, 0, 0)
        g.setHorizontalSpacing(6)
        g.setVerticalSpacing(2)
        self.feature_checks: dict[str, QCheckBox] = {}
        places = {"x1": (0, 0), "x2": (0, 1), "x1^2": (1, 0), "x2^2": (1, 1), "x1*x2": (1, 2),
                  "sin(x1)": (2, 0), "sin(x2)": (2, 1)}
        for i, (key, text) in enumerate(FEATURES):
            cb = QCheckBox(text)
            cb.setToolTip(self.tr("Feed {0} to the network").format(text))
            cb.toggled.connect(self._on_features_changed)
            g.addWidget(cb, *places.get(key, (3 + i // 3, i % 3)))
            self.feature_checks[key] = cb
        self.features_label = self._label(self.tr("Inputs"), self.features_widget)
        f.addRow(self.features_label, self.features_widget)
        return box

    def _slider_row(self, lo: int, hi: int, tick: int, tooltip: str):
        s = QSlider(Qt.Orientation.Horizontal)
        s.setRange(lo, hi)
        s.setTracking(False)  # valueChanged on release (a rebuild), the label follows live
        s.setPageStep(tick)
        s.setTickInterval(tick)
        s.setToolTip(tooltip)
        s.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lab = QLabel()
        lab.setMinimumWidth(lab.fontMetrics().horizontalAdvance("100 %") + 4)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(s, 1)
        row.addWidget(lab)
        return s, lab, row

    def _align_labels(self) -> None:
        """One label column width for the three groups, so their fields line up."""
        forms = (self.data_form, self.net_form, self.train_form)
        labels = []
        for f in forms:
            for r in range(f.rowCount()):
                it = f.itemAt(r, QFormLayout.ItemRole.LabelRole)
                if it is not None and isinstance(it.widget(), QLabel):
                    labels.append(it.widget())
        fm = self.fontMetrics()
        self._label_width = max([fm.horizontalAdvance(self.tr("Layer {0}").format(8))]
                                + [fm.horizontalAdvance(lab.text()) for lab in labels]) + 4
        for lab in labels:
            lab.setMinimumWidth(self._label_width)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        lab = QLabel(text)
        lab.setBuddy(buddy)
        lab.setToolTip(buddy.toolTip())
        return lab

    # ------------------------------------------------------------------ building: Network
    def _build_network_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Network"))
        f = self.net_form = _form()
        box.setLayout(f)
        self.remove_layer_button = QToolButton()
        self.remove_layer_button.setText("−")
        self.remove_layer_button.setToolTip(self.tr("Remove the last hidden layer"))
        self.add_layer_button = QToolButton()
        self.add_layer_button.setText("+")
        self.add_layer_button.setToolTip(self.tr("Add a hidden layer (a copy of the last one)"))
        for b in (self.remove_layer_button, self.add_layer_button):
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setMinimumWidth(28)
        self.remove_layer_button.clicked.connect(self.remove_layer)
        self.add_layer_button.clicked.connect(self.add_layer)
        self.layers_count = QLabel()
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.remove_layer_button)
        row.addWidget(self.add_layer_button)
        row.addSpacing(6)
        row.addWidget(self.layers_count, 1)
        hidden_tip = self.tr(
            "Hidden layers sit between the inputs and the output. Each neuron computes a "
            "weighted sum of the layer before and passes it through its activation. With no "
            "hidden layer the network can only draw a straight boundary.")
        self.layers_count.setToolTip(hidden_tip)
        hl = QLabel(self.tr("Hidden"))
        hl.setToolTip(hidden_tip)
        f.addRow(hl, row)
        self._first_layer_row = 1

        self.output_combo = _combo(self.tr(
            "Activation of the output layer: sigmoid gives a probability for two classes, "
            "softmax probabilities over many classes, identity any number (regression)."))
        self._fill_registry(self.output_combo, ACTIVATIONS)
        self.output_combo.currentIndexChanged.connect(self._on_arch_changed)
        f.addRow(self._label(self.tr("Output"), self.output_combo), self.output_combo)

        self.loss_combo = _combo(self.tr(
            "The loss measures how wrong the outputs are; training moves the weights to make it "
            "smaller. Cross-entropy suits classes, squared error suits numbers."))
        self._fill_registry(self.loss_combo, LOSSES)
        self.loss_combo.currentIndexChanged.connect(self._on_arch_changed)
        f.addRow(self._label(self.tr("Loss"), self.loss_combo), self.loss_combo)

        self.pairing_hint = QLabel()
        self.pairing_hint.setWordWrap(True)
        self.pairing_hint.setStyleSheet("color: #b35c00;")
        f.addRow(self.pairing_hint)

        self.init_combo = _combo(self.tr(
            "How the weights are set before training. Random weights of the right size break "
            "the symmetry between neurons and keep signals from fading or exploding."))
        self._fill_registry(self.init_combo, INITIALIZERS)
        self.init_combo.currentIndexChanged.connect(self._on_init_changed)
        f.addRow(self._label(self.tr("Initialiser"), self.init_combo), self.init_combo)

        self.batchnorm_check = QCheckBox(self.tr("Batch normalisation"))
        self.batchnorm_check.setToolTip(self.tr(
            "Re-centre and re-scale each hidden neuron's sums over the batch before the "
            "activation; often lets you use a larger learning rate."))
        self.batchnorm_check.toggled.connect(self._on_batchnorm_changed)
        f.addRow("", self.batchnorm_check)

        self.dropout_spin = QDoubleSpinBox()
        self.dropout_spin.setRange(0.0, 0.9)
        self.dropout_spin.setSingleStep(0.05)
        self.dropout_spin.setDecimals(2)
        self.dropout_spin.setKeyboardTracking(False)
        self.dropout_spin.setMaximumWidth(84)
        self.dropout_spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.dropout_spin.setToolTip(self.tr(
            "Dropout: during training, switch off this share of the hidden neurons at random "
            "in every batch, so the network cannot rely on any single one (fights over-fitting)."))
        self.dropout_spin.valueChanged.connect(self._on_dropout_changed)
        f.addRow(self._label(self.tr("Dropout"), self.dropout_spin), self.dropout_spin)
        return box

    def _fill_registry(self, combo: QComboBox, registry, exclude=()) -> None:
        for name, cls in registry.items():
            if name in exclude:
                continue
            combo.addItem(name, name)
            combo.setItemData(combo.count() - 1, registry_tooltip(cls), Qt.ItemDataRole.ToolTipRole)

    # ------------------------------------------------------------------ building: Training
    def _build_training_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Training"))
        f = self.train_form = _form()
        box.setLayout(f)

        self.optimizer_combo = _combo(self.tr(
            "The rule that turns gradients into weight changes. SGD takes a plain step down "
            "the slope; momentum and Adam remember past steps to move faster and smoother."))
        self._fill_registry(self.optimizer_combo, OPTIMIZERS)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        f.addRow(self._label(self.tr("Optimizer"), self.optimizer_combo), self.optimizer_combo)

        hyper = {
            "momentum": (self.tr("Momentum μ"), _parse_float(0.0, 1.0, max_open=True, example="0.9"),
                         self.tr("Momentum μ (0 ≤ μ < 1): how much of the previous step is kept. "
                                 "0.9 means steps build up like a ball rolling downhill.")),
            "beta1": (self.tr("β₁"), _parse_float(0.0, 1.0, max_open=True, example="0.9"),
                      self.tr("β₁: how fast Adam forgets old gradients in its running average "
                              "(the momentum part); usually 0.9.")),
            "beta2": (self.tr("β₂"), _parse_float(0.0, 1.0, max_open=True, example="0.999"),
                      self.tr("β₂: how fast Adam forgets old squared gradients (the per-weight "
                              "step size part); usually 0.999.")),
            "alpha": (self.tr("α (decay)"), _parse_float(0.0, 1.0, max_open=True, example="0.99"),
                      self.tr("α: how fast RMSprop forgets old squared gradients; usually 0.99.")),
            "eps": (self.tr("ε"), _parse_float(0.0, 1.0, min_open=True, example="1e-8"),
                    self.tr("ε: a tiny number added before dividing, so a weight whose gradients "
                            "were all zero does not divide by zero.")),
        }
        keys = [k for k in hyper if any(k in getattr(c, "defaults", {}) for c in OPTIMIZERS.values())]
        for cls in OPTIMIZERS.values():  # anything registered later, after the known ones
            for k in getattr(cls, "defaults", {}):
                if k != "lr" and k not in keys:
                    keys.append(k)
        self.hyper_edits: dict[str, QLineEdit] = {}
        for k in keys:
            label, parse, tip = hyper.get(k, (k, _parse_float(example="0.5"), k))
            edit = self._line_edit()
            chk = self._add_check(f"opt.{k}", edit, parse, tip)
            chk.committed.connect(lambda v, k=k: self._on_hyper_committed(k, v))
            self.hyper_edits[k] = edit
            f.addRow(self._label(label, edit), edit)

        self.lr_combo = _combo("")
        self.lr_combo.setEditable(True)
        self.lr_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lr_combo.setMaximumWidth(120)
        for t in LEARNING_RATES:
            self.lr_combo.addItem(t, float(t))
        self.lr_edit = self.lr_combo.lineEdit()
        lr_parse = _parse_float(0.0, min_open=True, example="0.03")
        chk = self.lr_check = self._add_check("lr", self.lr_edit, lr_parse, self.tr(
            "Learning rate η: the size of each step down the loss slope. Too small: learning "
            "crawls; too large: the loss jumps around or explodes. Try 0.03, 0.1, 0.3… "
            "You can change it while training."))
        self.lr_combo.setToolTip(chk.tooltip)
        chk.committed.connect(self._on_lr_committed)
        self.lr_combo.activated.connect(lambda _i: self.lr_check.commit(force=True))
        f.addRow(self._label(self.tr("Learning rate"), self.lr_combo), self.lr_combo)

        self.schedule_combo = _combo(self.tr(
            "Learning-rate schedule: lower the rate as training goes on, to take big steps "
            "first and fine ones at the end."))
        for name, cls in SCHEDULES.items():
            self.schedule_combo.addItem(name, name)
            tip = (self.tr("Keep the learning rate the same in every epoch.") if name == "constant"
                   else registry_tooltip(cls))
            self.schedule_combo.setItemData(self.schedule_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.schedule_combo.currentIndexChanged.connect(self._on_schedule_changed)
        f.addRow(self._label(self.tr("Schedule"), self.schedule_combo), self.schedule_combo)

        sched_fields = {
            "step_size": (self.tr("Step every"), self._parse_int(1, example="10"),
                          self.tr("Multiply the learning rate by γ every this many epochs.")),
            "milestones": (self.tr("At epochs"), _parse_milestones,
                           self.tr("Epochs where the learning rate is multiplied by γ, e.g. 50, 100, 160.")),
            "gamma": (self.tr("Factor γ"), _parse_float(0.0, min_open=True, example="0.5"),
                      self.tr("γ: the factor the learning rate is multiplied by (below 1 lowers it).")),
        }
        keys = []
        for cls in SCHEDULES.values():
            for k in self._schedule_params(cls):
                if k not in keys:
                    keys.append(k)
        self.schedule_edits: dict[str, QLineEdit] = {}
        for k in keys:
            label, parse, tip = sched_fields.get(k, (k, _parse_float(example="1"), k))
            edit = self._line_edit()
            chk = self._add_check(f"schedule.{k}", edit, parse, tip)
            chk.committed.connect(lambda v, k=k: self._on_schedule_option(k, v))
            self.schedule_edits[k] = edit
            f.addRow(self._label(label, edit), edit)

        self.batch_spin = _spin(1, 1_000_000, self.tr(
            "Batch size: how many samples are looked at before each weight update. 1 = "
            "stochastic gradient descent (a noisy step per sample); larger batches give "
            "smoother but fewer steps per epoch."), width=90)
        self.batch_spin.valueChanged.connect(self._on_batch_changed)
        self.full_batch_check = QCheckBox(self.tr("Full batch"))
        self.full_batch_check.setToolTip(self.tr(
            "Use the whole training set for every step (batch gradient descent): one smooth "
            "step per epoch."))
        self.full_batch_check.toggled.connect(self._on_batch_changed)
        self.batch_spin.setSpecialValueText(self.tr("1 (SGD)"))  # shown for the minimum, 1
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.batch_spin)
        row.addWidget(self.full_batch_check, 1)
        f.addRow(self._label(self.tr("Batch size"), self.batch_spin), row)

        self.epochs_spin = _spin(0, 1_000_000, self.tr(
            "Epochs: how many times training goes through the whole training set. "
            "Each epoch shows every training sample to the network once."))
        self.epochs_spin.valueChanged.connect(self._on_epochs_changed)
        f.addRow(self._label(self.tr("Epochs"), self.epochs_spin), self.epochs_spin)

        self.l1_edit = self._line_edit()
        c1 = self._add_check("l1", self.l1_edit, _parse_float(0.0, example="0.001"), self.tr(
            "L1 regularisation λ₁: adds λ₁·Σ|w| to the loss, pushing unneeded weights to exactly "
            "zero (a sparser network). 0 turns it off."))
        c1.committed.connect(lambda v: self._set_live(l1=v))
        f.addRow(self._label(self.tr("L1"), self.l1_edit), self.l1_edit)
        self.l2_edit = self._line_edit()
        c2 = self._add_check("weight_decay", self.l2_edit, _parse_float(0.0, example="0.001"), self.tr(
            "L2 regularisation (weight decay) λ₂: pulls every weight a little towards zero at "
            "each step, which keeps boundaries smooth and fights over-fitting. 0 turns it off."))
        c2.committed.connect(lambda v: self._set_live(weight_decay=v))
        f.addRow(self._label(self.tr("L2"), self.l2_edit), self.l2_edit)

        self.seed_spin = _spin(0, 2_147_483_647, self.tr(
            "Random seed: the same seed gives the same data, starting weights and shuffling, "
            "so a run can be repeated exactly. Change it to see another random start."), width=110)
        self.seed_spin.valueChanged.connect(self._on_seed_changed)
        f.addRow(self._label(self.tr("Seed"), self.seed_spin), self.seed_spin)

        self.dtype_combo = _combo(self.tr(
            "Number precision: float32 is about twice as fast and plenty for training; float64 "
            "gives exact, reproducible digits for checking calculations by hand."))
        self.dtype_combo.addItem("float32", "float32")
        self.dtype_combo.addItem("float64", "float64")
        self.dtype_combo.setMaximumWidth(120)
        self.dtype_combo.currentIndexChanged.connect(self._on_dtype_changed)
        f.addRow(self._label(self.tr("Precision"), self.dtype_combo), self.dtype_combo)
        return box

    def _line_edit(self) -> QLineEdit:
        e = QLineEdit()
        e.setMaximumWidth(120)
        return e

    def _add_check(self, key: str, edit: QLineEdit, parse, tip: str) -> FieldCheck:
        chk = FieldCheck(edit, parse, tip, parent=self)
        self._checks[key] = chk
        return chk

    def _parse_int(self, minimum: int, example: str = "10"):
        def parse(text: str) -> int:
            t = text.strip()
            if not t:
                raise ValueError(self.tr("This field is empty: enter a whole number, e.g. {0}.").format(example))
            try:
                v = int(t)
            except ValueError:
                raise ValueError(self.tr("“{0}” is not a whole number.").format(t)) from None
            if v < minimum:
                raise ValueError(self.tr("Must be at least {0}.").format(minimum))
            return v
        return parse

    @staticmethod
    def _schedule_params(cls) -> dict:
        try:
            sig = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            return {}
        return {n: p.default for n, p in sig.parameters.items()
                if n != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}

    # ------------------------------------------------------------------ public API
    def settings(self) -> Settings:
        """A copy of the settings as shown."""
        return copy.deepcopy(self._s)

    def set_settings(self, s: Settings) -> None:
        """Show ``s`` (no signal is emitted while loading)."""
        self._loading = True
        try:
            self._s = copy.deepcopy(s)
            self._load_data()
            self._load_network()
            self._load_training()
        finally:
            self._loading = False
        self._update_tab_order()

    def set_dataset(self, name_or_path: str) -> None:
        """Select a dataset (a catalog name or a file path, added to the list) as the user would."""
        name = str(name_or_path)
        if self.dataset_combo.findData(name) < 0:
            self._add_custom_dataset(name)
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(name))

    def invalid_fields(self) -> dict[str, str]:
        """Fields holding text that is not a valid value: key → reason."""
        return {k: c.error for k, c in self._checks.items() if c.error}

    def is_valid(self) -> bool:
        return not self.invalid_fields() and bool(self._checked_features() or not self._features_apply())

    # ------------------------------------------------------------------ loading
    def _add_custom_dataset(self, name: str) -> None:
        # one entry for a file at a time, after a separator
        for i in range(self.dataset_combo.count() - 1, -1, -1):
            if self.dataset_combo.itemData(i, Qt.ItemDataRole.UserRole + 1) == "custom":
                self.dataset_combo.removeItem(i)
        if self.dataset_combo.count() and self.dataset_combo.itemData(self.dataset_combo.count() - 1) is not None:
            self.dataset_combo.insertSeparator(self.dataset_combo.count())
        self.dataset_combo.addItem(os.path.basename(name) or name, name)
        i = self.dataset_combo.count() - 1
        self.dataset_combo.setItemData(i, name, Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.setItemData(i, "custom", Qt.ItemDataRole.UserRole + 1)

    def _load_data(self) -> None:
        s = self._s
        if self.dataset_combo.findData(s.dataset) < 0:
            self._add_custom_dataset(s.dataset)
        _set_combo(self.dataset_combo, s.dataset)
        opts = s.data_options or {}
        self.noise_slider.setValue(int(round(float(opts.get("noise", 0)))))
        self.ratio_slider.setValue(int(round(100 * float(opts.get("train_ratio", 0.5)))))
        feats = _canonical_features(opts.get("features"))
        for key, cb in self.feature_checks.items():
            cb.setChecked(key in feats)
        self._set_features_flag("")
        self._update_data_widgets()

    def _load_network(self) -> None:
        s = self._s
        hidden = [int(h) for h in s.hidden]
        if s.activations and len(s.activations) == len(hidden) + 1:
            acts, out = list(s.activations[:-1]), s.activations[-1]
        else:
            acts, out = [s.activation] * len(hidden), s.output_activation
        self._set_layer_rows(hidden, acts)
        _set_combo(self.output_combo, out)
        _set_combo(self.loss_combo, s.loss)
        _set_combo(self.init_combo, s.init)
        self.batchnorm_check.setChecked(bool(s.batchnorm))
        self.dropout_spin.setValue(float(s.dropout))
        self._update_pairing_hint()

    def _load_training(self) -> None:
        s = self._s
        _set_combo(self.optimizer_combo, s.optimizer)
        self._show_optimizer_fields()
        self._checks["lr"].set_text(fmt_number(s.lr))
        _set_combo(self.schedule_combo, s.schedule or "constant")
        self._show_schedule_fields()
        full = not s.batch_size
        self.full_batch_check.setChecked(full)
        if not full:
            self.batch_spin.setValue(int(s.batch_size))
        self.batch_spin.setEnabled(not full)
        self.epochs_spin.setValue(int(s.epochs))
        self._checks["l1"].set_text(fmt_number(s.l1))
        self._checks["weight_decay"].set_text(fmt_number(s.weight_decay))
        self.seed_spin.setValue(int(s.seed))
        _set_combo(self.dtype_combo, s.dtype)

    def _show_optimizer_fields(self) -> None:
        """Show the current optimizer's hyper-parameters (their values or defaults)."""
        cls = OPTIMIZERS.get(self._s.optimizer)
        defaults = dict(getattr(cls, "defaults", {}) or {})
        for k, edit in self.hyper_edits.items():
            on = k in defaults
            self.train_form.setRowVisible(edit, on)
            if on:
                self._checks[f"opt.{k}"].set_text(fmt_number(self._s.optimizer_options.get(k, defaults[k])))
            else:
                self._checks[f"opt.{k}"].set_text("")

    def _show_schedule_fields(self) -> None:
        cls = SCHEDULES.get(self._s.schedule or "constant")
        params = self._schedule_params(cls) if cls is not None and self._s.schedule not in (None, "constant") else {}
        for k, edit in self.schedule_edits.items():
            on = k in params
            self.train_form.setRowVisible(edit, on)
            chk = self._checks[f"schedule.{k}"]
            if not on:
                chk.set_text("")
                continue
            v = self._s.schedule_options.get(k, params[k])
            chk.set_text(", ".join(str(int(m)) for m in v) if k == "milestones" else fmt_number(v))

    # ------------------------------------------------------------------ hidden layers
    def hidden_sizes(self) -> list[int]:
        return [r.spin.value() for r in self._layers]

    def _set_layer_rows(self, sizes: list[int], acts: list[str]) -> None:
        while self._layers:
            self._pop_layer_row()
        for size, act in zip(sizes, acts):
            self._push_layer_row(size, act)
        self._update_layer_buttons()

    def _push_layer_row(self, size: int, act: str) -> None:
        row = _LayerRow(self, len(self._layers), size, act)
        row.label.setMinimumWidth(getattr(self, "_label_width", 0))
        row.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.net_form.insertRow(self._first_layer_row + len(self._layers), row.label, row.field)
        self._layers.append(row)

    def _pop_layer_row(self) -> None:
        row = self._layers.pop()
        self.net_form.removeRow(row.field)  # deletes the label and the widgets

    def add_layer(self) -> None:
        """Add a hidden layer like the last one (4 tanh neurons when there is none)."""
        if len(self._layers) >= self.MAX_LAYERS:
            return
        if self._layers:
            last = self._layers[-1]
            self._push_layer_row(last.spin.value(), last.combo.currentData())
        else:
            act = self._s.activation if self._s.activation != "softmax" else "tanh"
            self._push_layer_row(4, act)
        self._update_layer_buttons()
        self._update_tab_order()
        self._on_arch_changed()

    def remove_layer(self) -> None:
        """Remove the last hidden layer."""
        if not self._layers:
            return
        self._pop_layer_row()
        self._update_layer_buttons()
        self._update_tab_order()
        self._on_arch_changed()

    def _update_layer_buttons(self) -> None:
        n = len(self._layers)
        self.remove_layer_button.setEnabled(n > 0)
        self.add_layer_button.setEnabled(n < self.MAX_LAYERS)
        if n == 0:
            self.layers_count.setText(self.tr("none: a single layer"))
        elif n == 1:
            self.layers_count.setText(self.tr("1 hidden layer"))
        else:
            self.layers_count.setText(self.tr("{0} hidden layers").format(n))

    # ------------------------------------------------------------------ data handlers
    def _features_apply(self) -> bool:
        return dataset_kind(self._s.dataset) == "toy"

    def _checked_features(self) -> list[str]:
        return [k for k, cb in self.feature_checks.items() if cb.isChecked()]

    def _update_data_widgets(self) -> None:
        kind = dataset_kind(self._s.dataset)
        toy = kind == "toy"
        for w in (self.noise_slider, self.noise_label):
            w.setEnabled(toy)
        for w in (self.ratio_slider, self.ratio_label):
            w.setEnabled(toy or kind == "csv")
        self.features_widget.setEnabled(toy)
        self.noise_label.setText(f"{self.noise_slider.value()}")
        self.ratio_label.setText(f"{self.ratio_slider.value()} %")
        self.dataset_combo.setToolTip(self._datasets.get(self._s.dataset, self._s.dataset))

    def _on_dataset_changed(self, _i: int) -> None:
        if self._loading:
            return
        name = self.dataset_combo.currentData()
        if name is None:
            return
        s = self._s
        old_kind, kind = dataset_kind(s.dataset), dataset_kind(name)
        s.dataset = name
        # keep only options the new source accepts; file-specific ones only for the same file
        if kind == "toy":
            keep = TOY_OPTIONS if name in ("spiral-k", "blobs") else TOY_OPTIONS[:-1]
        elif kind == "csv":
            keep = ("train_ratio",)
        else:
            keep = ()
        if old_kind != kind and kind == "toy":
            keep = ("noise", "train_ratio", "features")
        opts = {k: v for k, v in (s.data_options or {}).items() if k in keep}
        if kind == "toy":
            opts["noise"] = self.noise_slider.value()
            opts["train_ratio"] = self.ratio_slider.value() / 100
            feats = self._checked_features()
            if feats and feats != ["x1", "x2"]:
                opts["features"] = feats
            else:
                opts.pop("features", None)
        elif kind == "csv":
            opts["train_ratio"] = self.ratio_slider.value() / 100
        s.data_options = opts
        s.weights = None  # fixed weights fit one input size only
        self._suggest_output_for(name)
        self._update_data_widgets()
        self._emit(True)

    def _suggest_output_for(self, name: str) -> None:
        """Switch output + loss when the current pair cannot serve the new task at all."""
        s = self._s
        out = s.activations[-1] if s.activations else s.output_activation
        new = None
        if name in REGRESSION_DATASETS:
            if s.loss in CLASSIFICATION_LOSSES or out in ("sigmoid", "softmax", "step"):
                new = ("identity", "mse")
        elif dataset_kind(name) in ("toy", "named") and (
                out == "identity" or s.loss not in (*CLASSIFICATION_LOSSES, "mse", "sse_half")):
            new = ("softmax", "cross_entropy") if name in MULTICLASS_DATASETS else ("sigmoid", "bce")
        if new is None:
            return
        self._loading = True
        try:
            _set_combo(self.output_combo, new[0])
            _set_combo(self.loss_combo, new[1])
        finally:
            self._loading = False
        self._read_architecture()

    def _on_noise_changed(self, v: int) -> None:
        self.noise_label.setText(f"{v}")
        if self._loading or not self._features_apply():
            return
        self._s.data_options = {**self._s.data_options, "noise": int(v)}
        self._emit(True)

    def _on_ratio_changed(self, v: int) -> None:
        self.ratio_label.setText(f"{v} %")
        if self._loading or dataset_kind(self._s.dataset) not in ("toy", "csv"):
            return
        self._s.data_options = {**self._s.data_options, "train_ratio": v / 100}
        self._emit(True)

    def _set_features_flag(self, error: str) -> None:
        self.features_widget.setStyleSheet("QCheckBox { color: #d62728; }" if error else "")
        self.features_widget.setToolTip((f"⚠ {error}\n\n" if error else "") + self.features_label.toolTip())
        self.features_widget.setProperty("invalid", bool(error))

    def _on_features_changed(self, _on: bool) -> None:
        if self._loading:
            return
        feats = self._checked_features()
        if not feats:
            self._set_features_flag(self.tr("Choose at least one input."))
            return
        self._set_features_flag("")
        if not self._features_apply():
            return
        self._s.data_options = {**self._s.data_options, "features": feats}
        self._s.weights = None
        self._emit(True)

    # ------------------------------------------------------------------ network handlers
    def _read_architecture(self) -> None:
        """hidden, activation(s), output activation and loss from the widgets into ``_s``."""
        s = self._s
        hidden = self.hidden_sizes()
        acts = [r.combo.currentData() for r in self._layers]
        out = self.output_combo.currentData()
        if hidden != list(s.hidden):
            s.weights = None
        s.hidden = hidden
        if len(set(acts)) <= 1:
            if acts:
                s.activation = acts[0]
            s.activations = None
            s.output_activation = out
        else:
            s.activations = acts + [out]
            s.output_activation = out
        s.loss = self.loss_combo.currentData()
        self._update_pairing_hint()

    def _on_arch_changed(self, *_args) -> None:
        if self._loading:
            return
        self._read_architecture()
        self._emit(True)

    def _update_pairing_hint(self) -> None:
        out, loss = self.output_combo.currentData(), self.loss_combo.currentData()
        hint = ""
        if loss == "cross_entropy" and out != "softmax":
            hint = self.tr("Cross-entropy expects a softmax output.")
        elif out == "softmax" and loss != "cross_entropy":
            hint = self.tr("A softmax output is usually trained with cross-entropy.")
        elif loss == "bce" and out not in ("sigmoid",):
            hint = self.tr("Binary cross-entropy expects outputs in (0, 1): use sigmoid.")
        if out == "step" or any(r.combo.currentData() == "step" for r in self._layers):
            hint = self.tr("Step has no slope, so this network cannot be trained "
                           "(it can still be evaluated with fixed weights).")
        self.pairing_hint.setText(hint)
        self.net_form.setRowVisible(self.pairing_hint, bool(hint))

    def _on_init_changed(self, _i: int) -> None:
        if self._loading:
            return
        self._s.init = self.init_combo.currentData()
        self._s.init_options = {}
        self._s.weights = None
        self._emit(True)

    def _on_batchnorm_changed(self, on: bool) -> None:
        if self._loading:
            return
        self._s.batchnorm = bool(on)
        self._emit(True)

    def _on_dropout_changed(self, v: float) -> None:
        if self._loading:
            return
        self._s.dropout = round(float(v), 4)
        self._emit(True)

    # ------------------------------------------------------------------ training handlers
    def _set_live(self, **changes) -> None:
        if self._loading:
            return
        for k, v in changes.items():
            setattr(self._s, k, v)
        self._emit(False)

    def _on_lr_committed(self, v: float) -> None:
        if float(v) != self._s.lr:  # Enter on a listed rate also "activates" it: send once
            self._set_live(lr=float(v))

    def _on_optimizer_changed(self, _i: int) -> None:
        if self._loading:
            return
        self._s.optimizer = self.optimizer_combo.currentData()
        self._s.optimizer_options = {}
        self._show_optimizer_fields()
        self._update_tab_order()
        self._emit(False)

    def _on_hyper_committed(self, key: str, v: float) -> None:
        if self._loading:
            return
        self._s.optimizer_options = {**self._s.optimizer_options, key: float(v)}
        self._emit(False)

    def _on_schedule_changed(self, _i: int) -> None:
        if self._loading:
            return
        name = self.schedule_combo.currentData()
        self._s.schedule = None if name == "constant" else name
        self._s.schedule_options = {}
        self._show_schedule_fields()
        self._update_tab_order()
        self._emit(False)

    def _on_schedule_option(self, key: str, v) -> None:
        if self._loading:
            return
        self._s.schedule_options = {**self._s.schedule_options, key: v}
        self._emit(False)

    def _on_batch_changed(self, *_args) -> None:
        full = self.full_batch_check.isChecked()
        self.batch_spin.setEnabled(not full)
        if self._loading:
            return
        self._s.batch_size = None if full else int(self.batch_spin.value())
        self._emit(True)

    def _on_epochs_changed(self, v: int) -> None:
        self._set_live(epochs=int(v))

    def _on_seed_changed(self, v: int) -> None:
        if self._loading:
            return
        self._s.seed = int(v)
        self._emit(True)

    def _on_dtype_changed(self, _i: int) -> None:
        if self._loading:
            return
        self._s.dtype = self.dtype_combo.currentData()
        self._emit(True)

    # ------------------------------------------------------------------ plumbing
    def _emit(self, needs_rebuild: bool) -> None:
        if self._loading:
            return
        self.settingsChanged.emit(self.settings(), bool(needs_rebuild))

    def _update_tab_order(self) -> None:
        """Tab goes down the panel in reading order, also through added layer rows."""
        chain: list[QWidget] = [self.dataset_combo, self.open_button, self.noise_slider,
                                self.ratio_slider, *self.feature_checks.values(),
                                self.remove_layer_button, self.add_layer_button]
        for r in self._layers:
            chain += [r.spin, r.combo]
        chain += [self.output_combo, self.loss_combo, self.init_combo, self.batchnorm_check,
                  self.dropout_spin, self.optimizer_combo, *self.hyper_edits.values(), self.lr_combo,
                  self.schedule_combo, *self.schedule_edits.values(), self.batch_spin,
                  self.full_batch_check, self.epochs_spin, self.l1_edit, self.l2_edit,
                  self.seed_spin, self.dtype_combo]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
