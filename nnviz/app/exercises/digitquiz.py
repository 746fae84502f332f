"""Read ten MNIST test digits, then compare your score with the network's.

The network that reads them too is the window's own when it is an MNIST network (784 inputs,
10 outputs): a scratch copy with the weights of its last snapshot (the training network is never
touched). Otherwise it is the shipped digit model (``resources/models``), and without that a
softmax layer trained here for a moment on 10 000 training digits. The panel says which one.
The digits and the readings come from a background task (the test set at ``NNVIZ_DATA_DIR``);
without MNIST the panel says how to get it.
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


#: Which network reads the digits with the learner (the panel's sentence about it).
WINDOW, SHIPPED, SOFTMAX = "window", "shipped", "softmax"


def window_reader(model):
    """``(read, step)`` for the window's network when it reads MNIST digits (784 inputs, 10
    outputs, trained on MNIST): ``read(raw rows) → classes`` on a scratch copy with the last
    snapshot's weights; None otherwise."""
    from nnviz.app.canvas.livemodel import NetworkCopy
    from nnviz.classify import DigitModel

    info = getattr(model, "info", None)
    snap = getattr(model, "last_snapshot", None)
    if info is None or snap is None or not snap.weights or info.sizes[0] != 784 or info.sizes[-1] != 10 \
            or str(getattr(info.settings, "dataset", "")).lower() != "mnist":
        return None
    try:
        copy = NetworkCopy.from_settings(info.settings, info.sizes[0], info.sizes[-1])
        copy.load(snap)
        reader = DigitModel(copy.net, scaling=info.data.scaling, source="window")
    except Exception:  # noqa: BLE001 - an architecture the copy cannot take: another network reads
        return None
    return (lambda rows: np.argmax(reader.predict(np.asarray(rows)), axis=1)), int(snap.global_step)


def _shipped_reader():
    """``(read, accuracy)`` with the shipped digit model, or None when it is missing."""
    from nnviz.classify import DigitModel

    try:
        model = DigitModel.load()
    except Exception:  # noqa: BLE001 - not shipped here: the quiz trains its own
        return None
    return (lambda rows: np.argmax(model.predict(np.asarray(rows)), axis=1)), model.test_accuracy


class _LoadTask(QRunnable):
    def __init__(self, signals, seed: int, window=None):
        super().__init__()
        self.signals, self.seed, self.window = signals, seed, window

    def run(self) -> None:
        from nnviz.data import load_dataset
        from nnviz.exercises.seeds import DigitQuiz

        try:
            data = load_dataset("mnist", scaling="none")
            if self.window is not None:
                read, who = self.window[0], (WINDOW, {"step": self.window[1]})
            else:
                shipped = _shipped_reader()
                if shipped is not None:
                    read, who = shipped[0], (SHIPPED, {"accuracy": shipped[1]})
                else:
                    read = softmax_reader(data.x_train[:TRAIN_ROWS], data.y_train[:TRAIN_ROWS])
                    who = (SOFTMAX, {})
            result = DigitQuiz(data.x_test, data.y_test, lambda idx: read(data.x_test[idx]),
                               n=N_DIGITS, seed=self.seed)
            result.reader = who
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

    def __init__(self, seed: int = 0, parent=None, load: bool = True, window=None):
        """``window``: :func:`window_reader` of the window's model (None: the shipped model)."""
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
            QThreadPool.globalInstance().start(_LoadTask(self._signals, seed, window))

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

    def reader_text(self) -> str:
        """Which network reads the digits too, in the current language."""
        kind, values = getattr(self.quiz, "reader", (SOFTMAX, {}))
        if kind == WINDOW:
            return _("The network in the window reads them too, with its weights of step {step}.").format(
                step=values.get("step", 0))
        if kind == SHIPPED:
            acc = values.get("accuracy")
            return (_("The shipped digit model (test accuracy {accuracy}) reads them too; open MNIST and "
                      "train a network to compare with your own.").format(accuracy="{0:.1%}".format(acc))
                    if acc else _("The shipped digit model reads them too; open MNIST and train a network "
                                  "to compare with your own."))
        return _("A network (a softmax layer trained on 10 000 training digits) reads them too.")

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
            self.intro.setText(_("Loading ten test digits and a network to read them…"))
        else:
            first = _("Type the digit you see under each image, then press Score.")
            self.intro.setText(first + ("" if first.endswith("。") else " ") + self.reader_text())
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
