"""Read ten MNIST test digits, then compare your score with the network's.

The digits and a network come from a background task: the test set at ``NNVIZ_DATA_DIR`` and a
softmax layer trained there for a moment on 10 000 training digits (a network of its own, so the
quiz works whatever the window has open). Without MNIST the panel says how to get it.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from nnviz.app.exercises.questionbox import RIGHT, WRONG
from nnviz.app.translation import retranslate
from nnviz.i18n import _, message

N_DIGITS, TRAIN_ROWS, EPOCHS, LR = 10, 10_000, 40, 0.5


def softmax_reader(x: np.ndarray, y: np.ndarray, epochs: int = EPOCHS, lr: float = LR):
    """A softmax layer fitted by full-batch gradient descent: ``predict(x) → classes``."""
    x = np.asarray(x, dtype=np.float32) / 255.0
    t = np.eye(10, dtype=np.float32)[np.asarray(y, dtype=int)]
    W, b = np.zeros((x.shape[1], 10), np.float32), np.zeros(10, np.float32)
    for _k in range(epochs):
        z = x @ W + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - t) / len(x)
        W -= lr * (x.T @ g)
        b -= lr * g.sum(axis=0)
    return lambda rows: np.argmax((np.asarray(rows, dtype=np.float32) / 255.0) @ W + b, axis=1)


class _Signals(QObject):
    done = Signal(object)


class _LoadTask(QRunnable):
    def __init__(self, signals, seed: int):
        super().__init__()
        self.signals, self.seed = signals, seed

    def run(self) -> None:
        from nnviz.data import load_dataset
        from nnviz.exercises.seeds import DigitQuiz

        try:
            data = load_dataset("mnist", scaling="none")
            reader = softmax_reader(data.x_train[:TRAIN_ROWS], data.y_train[:TRAIN_ROWS])
            result = DigitQuiz(data.x_test, data.y_test, lambda idx: reader(data.x_test[idx]),
                               n=N_DIGITS, seed=self.seed)
        except Exception as exc:  # noqa: BLE001 - no MNIST here (or unreadable): said in the panel
            result = exc
        try:
            self.signals.done.emit(result)
        except RuntimeError:   # the panel closed meanwhile
            pass


def _pixmap(image: np.ndarray, scale: int = 2) -> QPixmap:
    from nnviz.app.imagefile import grey_to_qimage

    img = grey_to_qimage(np.asarray(image, dtype=float))
    return QPixmap.fromImage(img).scaled(img.width() * scale, img.height() * scale)


class DigitQuizPanel(QWidget):
    """Ten digits, a one-character field under each, Score. ``scored(right, n)`` when scored."""

    scored = Signal(int, int)

    def __init__(self, seed: int = 0, parent=None, load: bool = True):
        super().__init__(parent)
        self.quiz = None
        self.error = None
        self.result = None
        lay = QVBoxLayout(self)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.images, self.fields, self.marks = [], [], []
        for k in range(N_DIGITS):
            img, field, mark = QLabel(), QLineEdit(), QLabel()
            img.setAlignment(Qt.AlignCenter)
            field.setMaxLength(1)
            field.setFixedWidth(40)
            field.setAlignment(Qt.AlignCenter)
            field.returnPressed.connect(self.focusNextChild)
            mark.setAlignment(Qt.AlignCenter)
            r, c = divmod(k, 5)
            self.grid.addWidget(img, 3 * r, c, Qt.AlignCenter)
            self.grid.addWidget(field, 3 * r + 1, c, Qt.AlignCenter)
            self.grid.addWidget(mark, 3 * r + 2, c, Qt.AlignCenter)
            self.images.append(img)
            self.fields.append(field)
            self.marks.append(mark)
        self.score_button = QPushButton()
        self.score_button.clicked.connect(self.score)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.intro)
        lay.addLayout(self.grid)
        row = QHBoxLayout()
        row.addWidget(self.score_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addStretch(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self.set_quiz)
        retranslate(self)
        if load:
            QThreadPool.globalInstance().start(_LoadTask(self._signals, seed))

    def retranslate_ui(self) -> None:
        self.title.setText(_("Your turn: read ten handwritten digits"))
        self.score_button.setText(_("Score"))
        self.score_button.setToolTip(_("Compare your readings with the true labels and with the network's"))
        for f in self.fields:
            f.setToolTip(_("The digit you read (0–9)"))
        self._write()

    def set_quiz(self, quiz) -> None:
        """The digits to read (a :class:`nnviz.exercises.seeds.DigitQuiz`), or the exception that
        kept them away."""
        if isinstance(quiz, Exception):
            self.quiz, self.error = None, quiz
        else:
            self.quiz, self.error = quiz, None
            for k, img in enumerate(self.images):
                img.setPixmap(_pixmap(quiz.image(k)) if k < len(quiz) else QPixmap())
        self.result = None
        self._write()

    def answers(self) -> list:
        return [int(f.text()) if f.text().isdigit() else None for f in self.fields[:len(self.quiz or [])]]

    def score(self) -> None:
        if self.quiz is None:
            return
        self.result = self.quiz.score(self.answers())
        self._write()
        self.scored.emit(self.result.learner_right, self.result.n)

    def _write(self) -> None:
        ready = self.quiz is not None
        for w in (*self.fields, self.score_button):
            w.setEnabled(ready)
        if self.error is not None:
            self.intro.setText(_("MNIST is not on this machine, so there are no digits to read: set NNVIZ_DATA_DIR "
                                 "to the folder with its four files, or open the MNIST preset to download it.")
                               + "\n" + message(self.error).splitlines()[0])
        elif not ready:
            self.intro.setText(_("Loading ten test digits and training a network to read them…"))
        else:
            self.intro.setText(_("Type the digit you see under each image, then press Score. A network "
                                 "(a softmax layer trained on 10 000 training digits) reads them too."))
        r = self.result
        for k, mark in enumerate(self.marks):
            if r is None or k >= len(r.rows):
                mark.clear()
                continue
            _i, truth, mine, net = r.rows[k]
            mark.setStyleSheet(f"color: {RIGHT if mine == truth else WRONG};")
            mark.setText(_("{truth} (network: {net})").format(truth=truth, net=net))
        self.summary.setText("" if r is None else
                             _("You: {you} of {n} right. The network: {net} of {n} right.").format(
                                 you=r.learner_right, net=r.network_right, n=r.n))
