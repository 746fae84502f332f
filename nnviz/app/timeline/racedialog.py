"""Training → Race…: what the variants of a race differ in.

The learner picks one setting to vary: the optimizer (SGD, Momentum, RMSprop, Adam …), the
learning rate (several values) or the hidden layers' activation (sigmoid vs ReLU …), and the
values to race. :meth:`RaceDialog.vary` gives ``{setting: [values]}`` for
:meth:`nnviz.app.timeline.race.RaceUI.start`.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QStackedWidget, QVBoxLayout, QWidget)

from nnviz.app.translation import retranslate
from nnviz.i18n import _
from nnviz.i18n.names import tip, title

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
DEFAULT_ACTIVATIONS = ("sigmoid", "relu")
KINDS = ("optimizer", "lr", "activation")


def parse_rates(text: str) -> list[float]:
    """``"0.3, 0.1 0.03"`` → ``[0.3, 0.1, 0.03]``; ValueError with a readable reason."""
    out = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part.strip():
            continue
        try:
            v = float(part)
        except ValueError:
            raise ValueError(_("“{text}” is not a number; write it like {example} or 1e-3.").format(
                text=part.strip(), example="0.1")) from None
        if not (v > 0 and v < 1e3):
            raise ValueError(_("A learning rate is a number above 0, e.g. {example}.").format(example="0.1"))
        out.append(v)
    return out


class RaceDialog(QDialog):
    """Pick what to vary and the values; :meth:`vary` is the choice (``{}`` if invalid)."""

    def __init__(self, parent: QWidget | None = None, lr: float = 0.1):
        super().__init__(parent)
        self.kind = QComboBox()
        for k in KINDS:
            self.kind.addItem("", k)
        self.pages = QStackedWidget()
        self.opt_checks = {o: QCheckBox() for o in OPTIMIZERS}
        self.act_checks = {a: QCheckBox() for a in ACTIVATIONS}
        for o in DEFAULT_OPTIMIZERS:
            self.opt_checks[o].setChecked(True)
        for a in DEFAULT_ACTIVATIONS:
            self.act_checks[a].setChecked(True)
        for checks in (self.opt_checks, self.act_checks):
            page = QWidget()
            lay = QVBoxLayout(page)
            lay.setContentsMargins(0, 0, 0, 0)
            for box in checks.values():
                lay.addWidget(box)
                box.toggled.connect(self._validate)
            lay.addStretch(1)
            self.pages.addWidget(page)
        self.pages.insertWidget(1, self._rates_page(lr))
        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.kind.currentIndexChanged.connect(self._validate)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.kind_label = QLabel()
        self.form.addRow(self.kind_label, self.kind)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(self.form)
        lay.addWidget(self.pages)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(380)
        retranslate(self)
        self._validate()

    def _rates_page(self, lr: float) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.rates_label = QLabel()
        self.rates_label.setWordWrap(True)
        self.rates = QLineEdit(", ".join(f"{v:.2g}" for v in (lr * 3, lr, lr / 3)))
        self.rates.textChanged.connect(self._validate)
        lay.addWidget(self.rates_label)
        lay.addWidget(self.rates)
        lay.addStretch(1)
        return page

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Race"))
        self.intro.setText(_("Train several variants at once, from the same first weights on the same "
                             "samples in the same order: only the setting you choose differs, so "
                             "their curves show what it changes."))
        self.kind_label.setText(_("Vary"))
        for i, text in enumerate((_("Optimizer"), _("Learning rate"), _("Activation of the hidden layers"))):
            self.kind.setItemText(i, text)
        for o, box in self.opt_checks.items():
            box.setText(title("optimizer", o))
            box.setToolTip(tip("optimizer", o))
        for a, box in self.act_checks.items():
            box.setText(title("activation", a))
            box.setToolTip(tip("activation", a))
        self.rates_label.setText(_("Learning rates, separated by commas:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start race"))
        self._validate()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(KINDS.index(kind))

    def vary(self) -> dict:
        """``{setting: [values]}`` of the choice, ``{}`` when it is not a race (fewer than 2)."""
        kind = self.kind.currentData()
        try:
            if kind == "optimizer":
                values = [o for o, box in self.opt_checks.items() if box.isChecked()]
            elif kind == "activation":
                values = [a for a, box in self.act_checks.items() if box.isChecked()]
            else:
                values = list(dict.fromkeys(parse_rates(self.rates.text())))
        except ValueError:
            return {}
        return {kind: values} if len(values) >= 2 else {}

    def _validate(self, *_args) -> None:
        problem = ""
        if self.kind.currentData() == "lr":
            try:
                parse_rates(self.rates.text())
            except ValueError as exc:
                problem = str(exc)
        if not problem and not self.vary():
            problem = _("Choose at least two variants to race.")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
