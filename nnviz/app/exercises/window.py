"""Exercises in the main window: the scores, the Lessons menu's marks and its Exercises submenu,
the exercise dock (gates, apple graph, 2-2-1 network, MNIST digits, line or curve), and the
diagram's part in Your turn and the predictions (hidden values, clicked edges).

:func:`install_exercises_ui` is called once by the window, after the step-through's UI.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QScrollArea, QWidget

from nnviz.app.exercises.scores import ScoreStore
from nnviz.app.translation import retranslate
from nnviz.i18n import _

#: The exercises of the Lessons menu's submenu, in its order: (id, lesson whose score it counts to).
EXERCISES = (("gates", "gates"), ("apple", "apple"), ("network-2-2-1", "network-2-2-1"),
             ("mnist", "mnist"), ("boundary", "linear"))
GATE_ORDER = ("and", "or", "nand")


class ExercisesUI(QObject):
    """What issue 21 adds to a :class:`~nnviz.app.window.mainwindow.MainWindow`."""

    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        self.step_ui = su = window.step_ui
        self.scores = ScoreStore(window.qs, self)
        if self.scores.problems:
            w.remembered.problems += self.scores.problems
        dock = su.dock_widget
        self.your_turn, self.predict = dock.your_turn, dock.predict
        self.your_turn.scores = self.scores
        self.your_turn.lesson = self.current_lesson
        self.your_turn.maskChanged.connect(w.diagram.set_step_hidden)
        self.your_turn.maskChanged.connect(self._mask_lesson_text)
        self.your_turn.lessonDone.connect(lambda _l: w.statusBar().showMessage(
            _("Lesson done: you worked out every kind of value in its step. The Lessons menu marks it ✓."), 15000))
        self.predict.predicted.connect(lambda _kind, right: self.scores.record(self.current_lesson(), right))
        dock.step_mode.activeChanged.connect(self._watch_clicks)
        self._watch_clicks(dock.step_mode.active)
        self.gates_solved: set[str] = set()
        self.panel = None
        self.exercise = None
        self.dock = w._dock("", "exercise", QWidget(), Qt.BottomDockWidgetArea)
        w.splitDockWidget(su.lesson_dock, self.dock, Qt.Horizontal)   # beside the lesson's text
        self.dock.hide()
        menu = su.lessons_menu
        menu.addSeparator()
        self.menu = menu.addMenu("")
        self.actions = {}
        for name, _lesson in EXERCISES:
            act = self.menu.addAction("")
            act.triggered.connect(lambda _c=False, n=name: self.open_exercise(n))
            self.actions[name] = act
        self.act_ask_play = self.menu.addAction("")
        self.act_ask_play.setCheckable(True)
        self.act_ask_play.toggled.connect(self._on_ask_play)
        self._install_play_prompt()
        if "gates" in su.lesson_actions:   # the gates lesson opens its exercise beside its text
            su.lesson_actions["gates"].triggered.connect(lambda _c=False: self.open_exercise("gates"))
        self.scores.changed.connect(lambda _l: self.mark_lessons())
        retranslate(self)

    def retranslate_ui(self) -> None:
        texts = {"gates": _("Gates: find the weights (AND, OR, NAND, XOR)…"),
                 "apple": _("Apple graph: work out the values…"),
                 "network-2-2-1": _("2-2-1 network: compute the forward pass…"),
                 "mnist": _("Read ten handwritten digits (MNIST)…"),
                 "boundary": _("Predict: a line or a curve?…")}
        self.menu.setTitle(_("Exercises"))
        for name, act in self.actions.items():
            act.setText(texts[name])
        self.dock.setWindowTitle(_("Exercise"))
        self.act_ask_play.setText(_("Predict line or curve before Play (every new run)"))
        self.act_ask_play.setToolTip(_("Without it, nnviz asks only while a lesson is open"))
        self.mark_lessons()

    def _install_play_prompt(self) -> None:
        """The "line or curve?" bar above the diagram, asked at Play (see playprompt)."""
        from nnviz.app.exercises.playprompt import ALWAYS_KEY, NEVER_KEY, PlayPrompt, _flag

        w = self.window
        self.play_prompt = bar = PlayPrompt(w.model, w.qs, self._lesson_open)
        w.centralWidget().layout().insertWidget(1, bar)      # under the banner, above the diagram
        w.model.before_play = bar.before_play
        bar.predicted.connect(lambda right: self.scores.record(self._boundary_lesson(), right, "boundary"))
        bar.showPicture.connect(lambda: (w.output_dock.show(), w.output_dock.raise_()))
        bar.never.toggled.connect(lambda on: on and self.act_ask_play.setChecked(False))
        self.act_ask_play.setChecked(_flag(w.qs, ALWAYS_KEY) and not _flag(w.qs, NEVER_KEY))

    def _on_ask_play(self, on: bool) -> None:
        from nnviz.app.exercises.playprompt import ALWAYS_KEY, NEVER_KEY

        self.window.qs.setValue(ALWAYS_KEY, bool(on))
        if on:
            self.window.qs.setValue(NEVER_KEY, False)

    def _lesson_open(self) -> bool:
        return self.step_ui.lesson_panel.lesson is not None and self.step_ui.lesson_dock.isVisible()

    def _boundary_lesson(self) -> str:
        return self.current_lesson() if self._lesson_open() else "linear"

    def current_lesson(self) -> str:
        """The lesson a step-mode answer counts for: the open lesson's, else "step" (practice)."""
        lesson = self.step_ui.lesson_panel.lesson
        return lesson.name if lesson is not None and self.step_ui.lesson_dock.isVisible() else "step"

    def _mask_lesson_text(self, question) -> None:
        """The lesson's text hides the asked value while the question is open."""
        from nnviz.app.exercises.masking import mask_numbers

        panel = self.step_ui.lesson_panel
        value = None if question is None else question.expected
        if getattr(panel, "_masked_value", None) != value:
            panel._masked_value = value
            panel.set_text_filter(None if value is None else (lambda text, v=value: mask_numbers(text, v)))

    # -- the Lessons menu's marks ---------------------------------------------------------------
    def mark_lessons(self) -> None:
        """Each lesson's title, with ✓ and its score once the learner has tried it."""
        from nnviz.lessons.catalog import load_lessons

        try:
            titles = {l.name: l.title for l in load_lessons()}
        except Exception:  # noqa: BLE001 - the menu keeps its texts
            return
        for name, act in self.step_ui.lesson_actions.items():
            mark = self.scores.mark(name)
            title = titles.get(name, act.text())
            act.setText(f"{title}    {mark}" if mark else title)
            act.setToolTip(_("Done") if self.scores.entry(name)[2] else "")

    # -- the exercise dock ----------------------------------------------------------------------
    def open_exercise(self, name: str):
        """Show exercise ``name`` (see :data:`EXERCISES`) in the exercise dock; returns its panel."""
        from nnviz.app.exercises.boundary import BoundaryPrediction
        from nnviz.app.exercises.digitquiz import DigitQuizPanel
        from nnviz.app.exercises.gatepanel import GatePanel
        from nnviz.app.exercises.seedpanels import SeedQuestions

        if name == "boundary" and self.play_prompt.ask():   # a fresh 2-D run: asked in the bar at Play
            return self.play_prompt
        if name == "gates":
            panel = GatePanel()
            panel.solved.connect(self._on_gate_solved)
            panel.buildXorRequested.connect(lambda: self.window.open_preset("xor"))
        elif name in ("apple", "network-2-2-1"):
            panel = SeedQuestions(name)
            panel.answered.connect(self.scores.record)
            panel.finished.connect(self.scores.mark_done)
        elif name == "mnist":
            from nnviz.app.exercises.digitquiz import window_reader

            panel = DigitQuizPanel(window=window_reader(self.window.model))
            panel.scored.connect(self._on_digits_scored)
        else:
            panel = BoundaryPrediction(self.window.model)
            panel.predicted.connect(self._on_boundary)
        old = self.dock.widget()
        box = QScrollArea()          # the dock may be lower than the panel: it scrolls, the window keeps its size
        box.setWidgetResizable(True)
        box.setFrameShape(QScrollArea.NoFrame)
        box.setWidget(panel)
        self.dock.setWidget(box)
        if old is not None:
            old.deleteLater()
        self.panel, self.exercise = panel, name
        self.step_ui._show_dock(self.dock, 0.5)
        want = min(max(560, panel.sizeHint().width() + 24), int(self.window.width() * 0.6))
        if self.dock.width() < want:
            self.window.resizeDocks([self.dock], [want], Qt.Horizontal)
        return panel

    def _on_gate_solved(self, gate: str) -> None:
        self.scores.record("gates", True)
        self.gates_solved.add(gate)
        if all(g in self.gates_solved for g in GATE_ORDER):
            self.scores.mark_done("gates")

    def _on_digits_scored(self, right: int, n: int) -> None:
        for k in range(n):
            self.scores.record("mnist", k < right)
        self.scores.mark_done("mnist")

    def _on_boundary(self, right: bool) -> None:
        self.scores.record("linear", right)

    # -- clicks on the diagram's edges (the weight Your turn and the predictions ask about) -------
    def _watch_clicks(self, on: bool) -> None:
        """Listen to clicks on the diagram only in step mode: a Python event filter sees every
        event of the viewport, its paints too, and each one takes Python's lock from training."""
        viewport = self.window.diagram.view.viewport()
        if on:
            viewport.installEventFilter(self)
        else:
            viewport.removeEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.MouseButtonPress and event.button() == Qt.LeftButton \
                and self.window.diagram.in_step():
            d = self.window.diagram
            key = d._hit(d.view.mapToScene(event.position().toPoint()))
            if key is not None and key[0] == "w":
                self.your_turn.choose_weight(key[1], key[2], key[3])
                self.predict.pick_weight(key[2], key[3], layer=key[1])
        return False


def install_exercises_ui(window) -> ExercisesUI:
    return ExercisesUI(window)
