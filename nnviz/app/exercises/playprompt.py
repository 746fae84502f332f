"""Before Play: "will the decision boundary end up a line or a curve?" in a bar above the diagram.

Asked when the learner presses Play on a network that has not trained yet (a fresh run, or the
first Play after Reset), reads two inputs into classes, and either a lesson is open or the
learner turned the question on for every run (Lessons → Exercises). The bar is not a dialog:
Line or Curve starts training at once, Skip (or Play again) trains without a prediction, and
"Don't ask again" is remembered. nnviz tells right or wrong once the network has learned (a
training accuracy of :data:`LEARNED` after :data:`REVEAL_EPOCHS` epochs, or :data:`GIVE_UP_EPOCHS`
epochs), when training finishes, or when the learner pauses after :data:`REVEAL_EPOCHS` epochs,
and raises the "Data and output" view with the boundary.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton

from nnviz.app.exercises.questionbox import RIGHT, WRONG
from nnviz.app.translation import retranslate
from nnviz.i18n import _

REVEAL_EPOCHS = 30       # at least this many epochs, and then
LEARNED = 0.95           # a training accuracy this high (the boundary has formed), or
GIVE_UP_EPOCHS = 2000    # this many epochs (a line cannot separate XOR: it never gets there),
#                          or the learner pauses after REVEAL_EPOCHS
ALWAYS_KEY = "exercises/predict_play_always"    # ask on every fresh run, not only in a lesson
NEVER_KEY = "exercises/predict_play_never"      # "Don't ask again"


def _flag(qs, key: str) -> bool:
    return qs.value(key, False) in (True, "true", "1", 1)


def _join(a: str, b: str) -> str:
    """Two sentences, with a space between them unless the first ends in a Chinese full stop."""
    return a + ("" if a.endswith(("。", "！", "？")) else " ") + b


class PlayPrompt(QFrame):
    """The bar. ``predicted(right)`` once the answer is known; ``showPicture()`` asks the window
    to show the decision boundary (its Output view)."""

    predicted = Signal(bool)
    showPicture = Signal()

    def __init__(self, model, qs=None, in_lesson=lambda: False, parent=None):
        super().__init__(parent)
        self.model = model
        self.qs = qs if qs is not None else QSettings()
        self.in_lesson = in_lesson
        self.state = "idle"           # "asking", "waiting" (training, prediction made), "revealed"
        self.guess = None
        self.answer = None            # the Prediction (nnviz.exercises.boundary_shape)
        self.setObjectName("play-prompt")
        self.setStyleSheet("#play-prompt { background: #e8f0fe; border-bottom: 1px solid #a8c7fa; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.line_button, self.curve_button, self.skip_button = QPushButton(), QPushButton(), QPushButton()
        self.line_button.clicked.connect(lambda: self.choose("line"))
        self.curve_button.clicked.connect(lambda: self.choose("curve"))
        self.skip_button.clicked.connect(self.skip)
        self.never = QCheckBox()
        self.never.toggled.connect(lambda on: self.qs.setValue(NEVER_KEY, bool(on)))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close_bar)
        row.addWidget(self.text, 1)
        for w in (self.line_button, self.curve_button, self.skip_button, self.never, self.close_button):
            row.addWidget(w)
        model.stateChanged.connect(self._on_state)
        model.snapshot.connect(self._on_snapshot)
        model.experimentReplaced.connect(lambda _info=None: self.close_bar())
        self.hide()
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.line_button.setText(_("A line"))
        self.curve_button.setText(_("A curve"))
        self.skip_button.setText(_("Skip"))
        self.skip_button.setToolTip(_("Train without predicting"))
        self.never.setText(_("Don't ask again"))
        self.never.setToolTip(_("Lessons → Exercises turns the question on again"))
        self.close_button.setText(_("Close"))
        self._write()

    # -- when to ask ------------------------------------------------------------------------------
    def can_ask(self) -> bool:
        """Whether the network in the window is one to ask about: two inputs into classes, not
        trained yet."""
        info = self.model.info
        return (info is not None and info.trainable and info.is_classification and info.sizes[0] == 2
                and not self.model.is_trained())

    def wants_to_ask(self) -> bool:
        if not self.can_ask() or _flag(self.qs, NEVER_KEY):
            return False
        return _flag(self.qs, ALWAYS_KEY) or bool(self.in_lesson())

    def ask(self) -> bool:
        """Ask now (Lessons → Exercises): False when the network is not one to ask about."""
        if self.state == "waiting" or not self.can_ask() or self.model.state == "running":
            return False
        self._start()
        return True

    def before_play(self) -> bool:
        """The model's Play hook: True when the bar took the press (it plays once answered)."""
        if self.state == "asking":       # Play again: train without a prediction
            self.skip()
            return True
        if self.state in ("waiting", "revealed") or not self.wants_to_ask():
            return False
        self._start()
        return True

    def _start(self) -> None:
        self.state, self.guess, self.answer = "asking", None, None
        self.never.setChecked(False)
        self._write()
        self.show()

    # -- the learner's answer ------------------------------------------------------------------------
    def choose(self, guess: str) -> None:
        from nnviz.exercises import boundary_shape

        info = self.model.info
        if self.state != "asking" or info is None:
            return
        self.guess, self.answer = guess, boundary_shape(list(info.activations))
        self.state, self._acc, self._epoch = "waiting", 0.0, 0
        self._write()
        self.model.play()

    def skip(self) -> None:
        self.close_bar()
        self.model.play()

    def close_bar(self) -> None:
        self.state, self.guess, self.answer = "idle", None, None
        self.hide()

    def _on_snapshot(self, snap) -> None:
        if self.state != "waiting":
            return
        epoch = self._epoch = getattr(snap, "epoch", 0)
        for e in getattr(snap, "epochs", ()):
            if e.get("train_acc") is not None:
                self._acc = float(e["train_acc"])
        if epoch >= GIVE_UP_EPOCHS or (epoch >= REVEAL_EPOCHS and getattr(self, "_acc", 0.0) >= LEARNED):
            self.reveal()

    def _on_state(self, state: str) -> None:
        if self.state == "waiting" and (state == "finished" or (
                state == "paused" and getattr(self, "_epoch", 0) >= REVEAL_EPOCHS)):
            self.reveal()

    def reveal(self) -> None:
        if self.state != "waiting" or self.answer is None:
            return
        self.state = "revealed"
        self._write()
        self.predicted.emit(self.answer.check(self.guess))
        self.showPicture.emit()

    def _write(self) -> None:
        asking, revealed = self.state == "asking", self.state == "revealed"
        for w in (self.line_button, self.curve_button, self.skip_button, self.never):
            w.setVisible(asking)
        self.close_button.setVisible(not asking)
        self.text.setStyleSheet("")
        if asking:
            self.text.setText(_("Before it trains: will this network's decision boundary end up a straight "
                                "line or a curve? Look at its layers, then choose."))
        elif self.state == "waiting":
            self.text.setText(_("Your prediction: {guess}. nnviz tells you once the network has learned, "
                                "or when you pause it.").format(guess=self._guess_text()))
        elif revealed:
            right = self.answer.check(self.guess)
            self.text.setStyleSheet(f"color: {RIGHT if right else WRONG}; font-weight: 600;")
            self.text.setText(_join((_("Right. {what}") if right else _("Not this time. {what}")).format(
                what=self.answer.explanation()), _("The “Data and output” view shows the boundary.")))

    def _guess_text(self) -> str:
        return _("a line") if self.guess == "line" else _("a curve")
