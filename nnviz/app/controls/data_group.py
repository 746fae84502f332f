"""The Data group: the dataset (a list plus a file button), noise, train split and inputs."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from nnviz.core.errors import NNVizError
from nnviz.data import list_datasets
from nnviz.data.toy import NAMES as TOY_DATASETS
from nnviz.data.toy import parse_features
from nnviz.experiment import Settings
from nnviz.presets import settings_for_dataset

from nnviz.i18n import N_, _, names

from nnviz.i18n import names

from .fields import CUSTOM_ROLE, make_combo, retitle_combo, set_combo
from .group import FormGroup

#: (feature key in nnviz.data.toy.FEATURES, label shown), and where each sits in the grid
FEATURES = (("x1", "x₁"), ("x2", "x₂"), ("x1^2", "x₁²"), ("x2^2", "x₂²"), ("x1*x2", "x₁x₂"),
            ("sin(x1)", "sin x₁"), ("sin(x2)", "sin x₂"))
_PLACES = {"x1": (0, 0), "x2": (0, 1), "x1^2": (1, 0), "x2^2": (1, 1), "x1*x2": (1, 2),
           "sin(x1)": (2, 0), "sin(x2)": (2, 1)}

DATASET_TIP = N_("The examples the network learns from. The 2-D sets can be drawn on a plane, so you "
                 "can watch the decision boundary form; MNIST are pictures of digits.")
NOISE_TIP = N_("Noise: how much the points are shaken off their ideal place (0–50 %). Noisy data is "
               "harder to separate and easier to over-fit.")
RATIO_TIP = N_("Share of the data used for training; the rest is the test set, kept aside to check how "
               "well the network does on data it never learned from.")
FEATURES_TIP = N_("The inputs fed to the network, computed from each point (x₁, x₂). Extra inputs like "
                  "x₁² or sin x₁ let even a small network draw curved boundaries.")
NO_FEATURE = N_("Choose at least one input.")


def dataset_names() -> dict[str, str]:
    """Name → description of every named dataset, in the catalog's order."""
    return list_datasets()


def dataset_kind(name: str) -> str:
    """``"toy"``, ``"csv"`` (a CSV/TXT file), ``"file"`` (other files) or ``"named"``."""
    if name in TOY_DATASETS:
        return "toy"
    low = str(name).lower()
    if low.endswith(".csv") or low.endswith(".txt"):
        return "csv"
    if name in dataset_names():
        return "named"
    return "file"


def is_image_dataset(name: str) -> bool:
    """MNIST and Fashion-MNIST: the data that augmentation (distorting images) applies to."""
    return dataset_kind(name) == "named" and str(name).endswith("mnist")


def shown_features(value) -> list[str]:
    """The feature keys of a ``features`` option (the toy data's spellings), unknown ones left out."""
    items = value.split(",") if isinstance(value, str) else list(value or ["x1", "x2"])
    out = []
    for item in items:
        try:
            key = parse_features([item])[0]
        except NNVizError:
            continue
        if key not in out:
            out.append(key)
    return out


class DataGroup(FormGroup):
    """The data rows; a new dataset brings the network :func:`settings_for_dataset` proposes."""

    GROUP = "data"
    openDatasetRequested = Signal()
    #: the settings were replaced as a whole (a new dataset): the other groups must show them
    replaced = Signal()

    def _prepare(self) -> None:
        self.datasets = dataset_names()

    # ------------------------------------------------------------------ rows
    def _build_dataset(self) -> None:
        combo = self.dataset_combo = make_combo()
        groups = [[n for n in self.datasets if n in TOY_DATASETS],
                  [n for n in self.datasets if n not in TOY_DATASETS and not n.endswith("mnist")],
                  [n for n in self.datasets if n.endswith("mnist")]]
        for g in groups:
            if not g:
                continue
            if combo.count():
                combo.insertSeparator(combo.count())
            for n in g:
                combo.addItem(n, n)
        combo.currentIndexChanged.connect(self._on_dataset_changed)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.openDatasetRequested)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(combo, 1)
        row.addWidget(self.open_button)
        self.add_row(N_("Dataset"), DATASET_TIP, combo, row)

    def _build_noise(self) -> None:
        self.noise_slider, self.noise_label, row = self._slider_row(0, 50, 5)
        self.noise_slider.valueChanged.connect(self._on_noise_changed)
        self.add_row(N_("Noise"), NOISE_TIP, self.noise_slider, row)

    def _build_train_ratio(self) -> None:
        self.ratio_slider, self.ratio_label, row = self._slider_row(10, 90, 10)
        self.ratio_slider.setSingleStep(5)
        self.ratio_slider.valueChanged.connect(self._on_ratio_changed)
        self.add_row(N_("Train split"), RATIO_TIP, self.ratio_slider, row)

    def _build_features(self) -> None:
        self.features_widget = QWidget()
        self._features_error = ""
        g = QGridLayout(self.features_widget)
        g.setContentsMargins(0, 0, 0, 0)
        g.setHorizontalSpacing(6)
        g.setVerticalSpacing(2)
        self.feature_checks: dict[str, QCheckBox] = {}
        for i, (key, text) in enumerate(FEATURES):
            cb = QCheckBox(text)
            cb.toggled.connect(self._on_features_changed)
            g.addWidget(cb, *_PLACES.get(key, (3 + i // 3, i % 3)))
            self.feature_checks[key] = cb
        self.features_label = self.add_row(N_("Inputs"), FEATURES_TIP, self.features_widget)

    def _retranslate_rows(self) -> None:
        retitle_combo(self.dataset_combo, "dataset")
        self._show_dataset_tip()
        self.open_button.setText(_("Open CSV…"))
        self.open_button.setToolTip(_(
            "Load your own data from a CSV file (one row per sample, the label in the last "
            "column), a .npz file or MNIST-style IDX files."))
        self.noise_slider.setToolTip(_(NOISE_TIP))
        self.ratio_slider.setToolTip(_(RATIO_TIP))
        for key, text in FEATURES:
            self.feature_checks[key].setToolTip(_("Feed {feature} to the network").format(feature=text))
        self._set_features_flag(self._features_error)

    def _slider_row(self, lo: int, hi: int, tick: int):
        s = QSlider(Qt.Orientation.Horizontal)
        s.setRange(lo, hi)
        s.setTracking(False)  # valueChanged on release (a rebuild), the label follows live
        s.setPageStep(tick)
        s.setTickInterval(tick)
        s.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lab = QLabel()
        lab.setMinimumWidth(lab.fontMetrics().horizontalAdvance("100 %") + 4)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(s, 1)
        row.addWidget(lab)
        return s, lab, row

    def _tab_dataset(self) -> list[QWidget]:
        return [self.dataset_combo, self.open_button]

    def _tab_noise(self) -> list[QWidget]:
        return [self.noise_slider]

    def _tab_train_ratio(self) -> list[QWidget]:
        return [self.ratio_slider]

    def _tab_features(self) -> list[QWidget]:
        return list(self.feature_checks.values())

    # ------------------------------------------------------------------ state
    def features_apply(self) -> bool:
        return dataset_kind(self.s.dataset) == "toy"

    def checked_features(self) -> list[str]:
        return [k for k, cb in self.feature_checks.items() if cb.isChecked()]

    def set_dataset(self, name: str) -> None:
        if self.dataset_combo.findData(name) < 0:
            self._add_custom_dataset(name)
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(name))

    def _add_custom_dataset(self, name: str) -> None:
        combo = self.dataset_combo
        for i in range(combo.count() - 1, -1, -1):  # one entry for a file at a time
            if combo.itemData(i, CUSTOM_ROLE) == "custom":
                combo.removeItem(i)
        if combo.count() and combo.itemData(combo.count() - 1) is not None:
            combo.insertSeparator(combo.count())
        named = ("dataset", name) in names.NAMES   # a preset's own sample (the seeds' numbers)
        combo.addItem(names.title("dataset", name) if named else (os.path.basename(name) or name), name)
        i = combo.count() - 1
        combo.setItemData(i, names.tip("dataset", name) if named else name, Qt.ItemDataRole.ToolTipRole)
        combo.setItemData(i, "custom", CUSTOM_ROLE)

    def load(self, s: Settings) -> None:
        if self.dataset_combo.findData(s.dataset) < 0:
            self._add_custom_dataset(s.dataset)
        set_combo(self.dataset_combo, s.dataset)
        opts = s.data_options or {}
        self.noise_slider.setValue(int(round(float(opts.get("noise", 0)))))
        self.ratio_slider.setValue(int(round(100 * float(opts.get("train_ratio", 0.5)))))
        feats = shown_features(opts.get("features"))
        for key, cb in self.feature_checks.items():
            cb.setChecked(key in feats)
        self._set_features_flag("")
        self.load_fields(s)
        self._update_widgets()

    def _update_widgets(self) -> None:
        kind = dataset_kind(self.s.dataset)
        toy = kind == "toy"
        for w in (self.noise_slider, self.noise_label):
            w.setEnabled(toy)
        for w in (self.ratio_slider, self.ratio_label):
            w.setEnabled(toy or kind == "csv")
        self.features_widget.setEnabled(toy)
        self.fields["augment"].load(self.s)  # a new dataset may have switched it off
        self.fields["augment"].widget.setEnabled(is_image_dataset(self.s.dataset))
        self.noise_label.setText(f"{self.noise_slider.value()}")
        self.ratio_label.setText(f"{self.ratio_slider.value()} %")
        self._show_dataset_tip()

    def _show_dataset_tip(self) -> None:
        """The combo's tooltip: what the chosen data is (the path of a file), then the row's."""
        name = self.s.dataset
        about = names.tip("dataset", name) if name in self.datasets or ("dataset", name) in names.NAMES else name
        self.dataset_combo.setToolTip(f"{about}\n\n{_(DATASET_TIP)}" if about else _(DATASET_TIP))

    def _set_features_flag(self, error: str) -> None:
        """``error``: a marked text (``N_``) or empty; shown in the current language."""
        self._features_error = error
        self.features_widget.setStyleSheet("QCheckBox { color: #d62728; }" if error else "")
        tip = _(FEATURES_TIP)
        self.features_widget.setToolTip(f"⚠ {_(error)}\n\n{tip}" if error else tip)
        self.features_widget.setProperty("invalid", bool(error))

    # ------------------------------------------------------------------ user edits
    def _on_dataset_changed(self, _i: int) -> None:
        name = self.dataset_combo.currentData()
        if self.draft.loading or name is None:
            return
        s = settings_for_dataset(self.s, name)
        # the sliders and boxes remember their values while another kind of data is shown
        kind = dataset_kind(name)
        if kind == "toy":
            s.data_options["noise"] = self.noise_slider.value()
            s.data_options["train_ratio"] = self.ratio_slider.value() / 100
            feats = self.checked_features()
            if feats and feats != ["x1", "x2"]:
                s.data_options["features"] = feats
            else:
                s.data_options.pop("features", None)
        elif kind == "csv":
            s.data_options["train_ratio"] = self.ratio_slider.value() / 100
        if not is_image_dataset(name):
            s.augment = False  # only images can be distorted
        self.draft.s = s
        self._update_widgets()
        self.replaced.emit()
        self.draft.changed(True)

    def _on_noise_changed(self, v: int) -> None:
        self.noise_label.setText(f"{v}")
        if self.draft.loading or not self.features_apply():
            return
        self.s.data_options = {**self.s.data_options, "noise": int(v)}
        self.draft.changed(True)

    def _on_ratio_changed(self, v: int) -> None:
        self.ratio_label.setText(f"{v} %")
        if self.draft.loading or dataset_kind(self.s.dataset) not in ("toy", "csv"):
            return
        self.s.data_options = {**self.s.data_options, "train_ratio": v / 100}
        self.draft.changed(True)

    def _on_features_changed(self, _on: bool) -> None:
        if self.draft.loading:
            return
        feats = self.checked_features()
        if not feats:
            self._set_features_flag(NO_FEATURE)
            return
        self._set_features_flag("")
        if not self.features_apply():
            return
        self.s.data_options = {**self.s.data_options, "features": feats}
        self.s.weights = None
        self.draft.changed(True)
