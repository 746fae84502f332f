"""Teach it: give the right label for a drawing the network read wrongly, collect such drawings
("my digits") and ask for the network to be fine-tuned on them.

:class:`TeachBar` holds a :class:`~nnviz.data.mydigits.MyDigits`; the panel gives it the
current 28×28 image. It never trains anything itself: ``fineTuneRequested`` asks the window,
which posts :class:`~nnviz.app.training.commands.FineTune` to the training thread (see
:meth:`TeachBar.fine_tune_command`).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from nnviz.app.translation import retranslate
from nnviz.core.errors import NNVizError
from nnviz.data.mydigits import MyDigits
from nnviz.i18n import _, message

#: the fine-tuning a click asks for: a few steps at a modest rate, so it nudges, not retrains
FINE_TUNE_STEPS = 30
FINE_TUNE_LR = 0.02


class TeachBar(QWidget):
    """"It is a: 0 1 … 9" buttons, the size of my digits, Teach / Save / Open buttons.

    Signals: ``digitAdded(int label)``, ``fineTuneRequested()``, ``failed(str)`` (a message to
    show, e.g. a file that is not a my-digits file).
    """

    digitAdded = Signal(int)
    fineTuneRequested = Signal()
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.my_digits = MyDigits()
        self._image: np.ndarray | None = None
        self._predicted: int | None = None
        self._teachable, self._why_not = True, ""   # (why_not: an English text, marked N_)
        self.prompt = QLabel()
        self.label_buttons: list[QPushButton] = []
        digits = QGridLayout()
        digits.setSpacing(2)
        digits.addWidget(self.prompt, 0, 0)   # "Wrong? It is a:" and the ten digits on one row
        for k in range(10):
            b = QPushButton(str(k))
            b.setMinimumWidth(20)
            b.setMaximumWidth(30)
            b.clicked.connect(lambda _=False, k=k: self.add_current(k))
            digits.addWidget(b, 0, k + 1)
            self.label_buttons.append(b)
        digits.setColumnStretch(11, 1)   # (the digits stay together at the left)
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(40)
        self.teach_button = QPushButton()
        self.teach_button.clicked.connect(self.fineTuneRequested)
        self.save_button, self.open_button, self.clear_button = QPushButton(), QPushButton(), QPushButton()
        self.save_button.clicked.connect(self._ask_save)
        self.open_button.clicked.connect(self._ask_open)
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        for b in (self.teach_button, self.save_button, self.open_button, self.clear_button):
            row.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(digits)
        lay.addLayout(row)
        self.set_image(None)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.prompt.setText(_("Wrong? It is a:"))
        self.prompt.setToolTip(_("If the network read your drawing wrongly, click the digit "
                                 "you meant: the drawing goes into “my digits”, which the "
                                 "network can then learn from."))
        for k, b in enumerate(self.label_buttons):
            b.setToolTip(_("Add this drawing to my digits as a {digit}").format(digit=k))
        self.teach_button.setText(_("Teach the network"))
        self.save_button.setText(_("Save…"))
        self.save_button.setToolTip(_("Save my digits to a file (.npz)"))
        self.open_button.setText(_("Open…"))
        self.open_button.setToolTip(_("Open my digits saved before"))
        self.clear_button.setText(_("Forget"))
        self.clear_button.setToolTip(_("Empty my digits"))
        self._update()

    @staticmethod
    def _teach_tip() -> str:
        return _("Train the network being trained in the window a few steps on my digits, mixed "
                 "with some of its training digits so it does not forget what it knew. Watch it live.")

    # -- state ---------------------------------------------------------------------------------
    def set_image(self, image28: np.ndarray | None, predicted: int | None = None) -> None:
        """The drawing as the network sees it (28×28, 0..255) and the class it predicted."""
        self._image = None if image28 is None else np.asarray(image28)
        self._predicted = predicted
        for k, b in enumerate(self.label_buttons):
            b.setEnabled(self._image is not None)
            b.setProperty("predicted", k == predicted)
        self._update()

    def add_current(self, label: int) -> bool:
        """Add the current drawing as ``label``; False when there is none."""
        if self._image is None:
            return False
        self.my_digits.add(self._image, label)
        self._update()
        self.digitAdded.emit(int(label))
        return True

    def clear(self) -> None:
        self.my_digits.clear()
        self._update()

    def _update(self) -> None:
        n = len(self.my_digits)
        counts = self.my_digits.counts()
        detail = ", ".join(f"{k}×{c}" for k, c in enumerate(counts) if c)
        self.count_label.setText(_("My digits: {n} ({detail})").format(n=n, detail=detail) if detail
                                 else _("My digits: {n}").format(n=n))
        self.count_label.setToolTip(self.count_label.text())
        for b in (self.teach_button, self.save_button, self.clear_button):
            b.setEnabled(n > 0)
        self.teach_button.setEnabled(n > 0 and self._teachable)
        self.teach_button.setToolTip(_(self._why_not) if self._why_not else self._teach_tip())

    def set_teachable(self, ok: bool, why_not: str = "") -> None:
        """Whether the window has a network to teach (``why_not``, an English text marked with
        ``N_``, becomes the button's tooltip, translated)."""
        self._teachable, self._why_not = bool(ok), "" if ok else why_not
        self._update()

    def fine_tune_command(self, steps: int = FINE_TUNE_STEPS, lr: float = FINE_TUNE_LR):
        """The :class:`~nnviz.app.training.commands.FineTune` to post for my digits (None when empty)."""
        from nnviz.app.training.commands import FineTune

        if not len(self.my_digits):
            return None
        return FineTune(self.my_digits.images, self.my_digits.labels, steps=steps, lr=lr)

    # -- files -----------------------------------------------------------------------------------
    def save(self, path) -> str:
        return str(self.my_digits.save(path))

    def load(self, path) -> None:
        """Replace my digits by the file's (a clear ``NNVizError`` for a bad file)."""
        self.my_digits = MyDigits.load(path)
        self._update()

    def _ask_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save my digits"), "my-digits.npz",
                                                    _("My digits (*.npz)"))
        if path:
            try:
                self.save(path)
            except NNVizError as exc:
                self.failed.emit(message(exc))

    def _ask_open(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Open my digits"), "", _("My digits (*.npz)"))
        if path:
            try:
                self.load(path)
            except NNVizError as exc:
                self.failed.emit(message(exc))
