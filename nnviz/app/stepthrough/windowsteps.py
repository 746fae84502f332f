"""Step-through in the main window: the Step mode action, the step dock, the diagram's phase
display, the Lessons menu and the gradient check dialog.

:func:`install_step_ui` is called once by :class:`~nnviz.app.window.mainwindow.MainWindow`; everything
goes through the window's :class:`~nnviz.app.appmodel.AppModel` (``enter_step_mode`` …).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.stepthrough.gradcheckview import GradCheckDialog
from nnviz.app.stepthrough.lessonview import localized
from nnviz.app.stepthrough.stepdock import StepDock
from nnviz.app.translation import retranslate
from nnviz.i18n import _, message

#: Lessons that step through the window's own network once their preset is open.
NETWORK_STEPPED = ("step", "mnist")


class _DemoTask(QRunnable):
    def __init__(self, lesson, done):
        super().__init__()
        self.lesson, self.done = lesson, done

    def run(self) -> None:
        from nnviz.lessons.demos import run_demo

        try:
            result = run_demo(self.lesson)
        except Exception as exc:  # noqa: BLE001 - shown in the lesson's panel
            result = exc
        try:
            self.done.emit(self.lesson.name, result)
        except RuntimeError:  # the window closed meanwhile: nobody waits for the result
            pass


class LessonPanel(QWidget):
    """A lesson's title and text (its numbers filled in by its demo), and its own view when it
    has one (the apple graph, the optimizer race) with a step bar."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lesson = None
        self.result = None
        self.view = None
        self.bar = None
        lay = QVBoxLayout(self)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        self.body = QVBoxLayout()
        lay.addLayout(self.body, 1)
        self.error = None
        self.text_filter = None   # Your turn (issue 21): hides the asked value in the text while asked
        retranslate(self)

    def set_text_filter(self, f) -> None:
        """Write the text through ``f`` (text → text; None: as it is) from now on."""
        self.text_filter = f
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """The lesson's title and text in the current language (its numbers kept); its view
        retranslates itself."""
        if self.lesson is None:
            self.title.clear()
            self.text.clear()
            return
        lesson = localized(self.lesson)
        self.title.setText(lesson.title)
        if self.error is not None:
            self.text.setText(_("This lesson's computation failed: {error}").format(error=message(self.error)))
        elif self.result is None:
            self.text.setText(_("Computing the lesson's numbers…"))
        else:
            try:
                self.text.setText(lesson.filled_text(self.result.get("fill", {})))
            except (KeyError, IndexError, ValueError):   # a translation whose placeholders differ
                self.text.setText(self.result["text"])
        if self.text_filter is not None:
            self.text.setText(self.text_filter(self.text.text()))

    def show_lesson(self, lesson) -> None:
        self.lesson, self.result, self.error = lesson, None, None
        self._clear_view()
        self.retranslate_ui()

    def _clear_view(self) -> None:
        while self.body.count():
            w = self.body.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.view = self.bar = None
        self.body.addStretch(1)   # the text stays at the top until a view takes the room

    def show_result(self, result) -> None:
        from nnviz.app.stepthrough.appleview import AppleGraphView
        from nnviz.app.stepthrough.raceview import RaceView
        from nnviz.app.stepthrough.session import StepSession
        from nnviz.app.stepthrough.stepbar import StepBar

        if isinstance(result, Exception):
            self.error = result
            self.retranslate_ui()
            return
        self.result = result
        self.retranslate_ui()
        self._clear_view()
        demo = self.lesson.demo
        if demo not in ("apple", "race"):
            from nnviz.app.stepthrough.demoplots import demo_view

            self.view = demo_view(self.lesson, result, self)  # a plot of what the lesson computed
            if self.view is not None:
                self.body.takeAt(0)
                self.body.addWidget(self.view, 1)
            return
        session = StepSession(self)
        if demo == "apple":
            lesson = self.lesson   # steps built again after a language switch (their formulas' words)
            session.set_source(lambda: _apple_steps(lesson))
            self.view = AppleGraphView(session)
        else:
            self.view = RaceView(session, result)
        self.bar = StepBar(session)
        self.body.takeAt(0)
        self.body.addWidget(self.view, 1)
        self.body.addWidget(self.bar)
        self.setFocusProxy(self.bar)


def _apple_steps(lesson) -> list:
    from nnviz.lessons.demos import run_demo

    return run_demo(lesson)["steps"]   # microseconds: the apple graph has two nodes


class StepModeUI(QObject):
    """What step-through adds to a :class:`MainWindow` (see the module docstring)."""

    demoDone = Signal(str, object)

    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        self.model = m = window.model
        self.step_mode = sm = m.step_mode
        self.act_step_mode = w._action("", self._toggle, Qt.Key_T, checkable=True)
        self.act_next = w._action("", sm.session.next, Qt.Key_Right)
        self.act_back = w._action("", sm.session.back, Qt.Key_Left)
        self.act_home = w._action("", sm.session.home, Qt.Key_Home)
        self.act_end = w._action("", sm.session.end, Qt.Key_End)
        for a in self.phase_actions():
            a.setEnabled(False)
        self.act_gradcheck = w._action("", self.open_gradcheck, None)
        w.toolbar.insertAction(w.act_reset, self.act_step_mode)
        w.training_menu.addSeparator()
        w.training_menu.addAction(self.act_step_mode)
        w.training_menu.addAction(self.act_gradcheck)

        self.dock_widget = StepDock(sm)
        self.dock = w._dock("", "steps", self.dock_widget, Qt.BottomDockWidgetArea)
        self.dock.hide()
        self.lesson_panel = LessonPanel()
        self.lesson_dock = w._dock("", "lesson", self.lesson_panel, Qt.BottomDockWidgetArea)
        self.lesson_dock.hide()
        w.splitDockWidget(self.dock, self.lesson_dock, Qt.Horizontal)   # the lesson's text beside the phases
        self._build_lessons_menu()
        self.gradcheck: GradCheckDialog | None = None
        self._pending_lesson = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.demoDone.connect(self._on_demo)

        sm.activeChanged.connect(self._on_active)
        sm.session.phaseChanged.connect(self._show_phase)
        sm.session.stepsChanged.connect(self._show_phase)
        w.diagram.stepSelectRequested.connect(sm.session.select)
        m.stateChanged.connect(self._on_state)
        m.experimentReplaced.connect(self._on_experiment)
        retranslate(self)

    def retranslate_ui(self) -> None:
        from nnviz.lessons.catalog import load_lessons

        _texts(self.act_step_mode, _("Step mode"), _("Pause and walk through one training step, phase by phase"))
        _texts(self.act_next, _("Next phase"))
        _texts(self.act_back, _("Previous phase"))
        _texts(self.act_home, _("First phase"))
        _texts(self.act_end, _("Last phase"))
        _texts(self.act_gradcheck, _("Gradient check…"), _("Backprop against central differences for the shown sample"))
        self.dock.setWindowTitle(_("Step through"))
        self.lesson_dock.setWindowTitle(_("Lesson"))
        self.lessons_menu.setTitle(_("&Lessons"))
        try:
            lessons = load_lessons()
        except Exception:  # noqa: BLE001 - the menu keeps the titles it has
            lessons = []
        for lesson in lessons:
            if lesson.name in self.lesson_actions:
                self.lesson_actions[lesson.name].setText(lesson.title)

    def phase_actions(self):
        return (self.act_next, self.act_back, self.act_home, self.act_end)

    # -- step mode on and off ---------------------------------------------------------------
    def _toggle(self, on: bool) -> None:
        if on:
            if not self.model.enter_step_mode():
                self.act_step_mode.setChecked(False)
        else:
            self.model.leave_step_mode()

    def _on_active(self, on: bool) -> None:
        w = self.window
        self.act_step_mode.setChecked(on)
        # ← → step phases now, not batches and epochs
        trainable = self.model.info is not None and self.model.info.trainable
        for a in (w.act_step, w.act_epoch):
            a.setEnabled(trainable and not on)
        for a in self.phase_actions():
            a.setEnabled(on)
        if on:
            self._show_dock(self.dock, 0.42)
        else:
            w.diagram.end_step()

    def _show_dock(self, dock, share: float) -> None:
        """Show ``dock`` at least ``share`` of the window's height (its views need room)."""
        was = dock.isVisible()
        dock.show()
        dock.raise_()
        want = int(self.window.height() * share)
        if not was or dock.height() < want:
            self.window.resizeDocks([dock], [want], Qt.Vertical)
        if not was and self.dock.isVisible() and self.lesson_dock.isVisible():
            width = self.window.width()
            self.window.resizeDocks([self.dock, self.lesson_dock], [int(width * 0.62), int(width * 0.38)],
                                    Qt.Horizontal)

    def _show_phase(self, *_):
        if self.step_mode.active and self.step_mode.record is not None:
            self.window.diagram.show_step(self.step_mode.display())

    def _on_state(self, state: str) -> None:
        if state == "running" and self.step_mode.active:
            self.step_mode.leave()

    # -- lessons ------------------------------------------------------------------------------
    def _build_lessons_menu(self) -> None:
        from nnviz.lessons.catalog import load_lessons

        w = self.window
        menu = w.menuBar().addMenu("")
        w.menuBar().insertMenu(w.help_menu.menuAction(), menu)
        menu.setToolTipsVisible(True)
        self.lessons_menu = menu
        self.lesson_actions = {}
        for lesson in load_lessons():
            act = menu.addAction(lesson.title)
            act.triggered.connect(lambda _checked=False, name=lesson.name: self.open_lesson(name))
            self.lesson_actions[lesson.name] = act

    def open_lesson(self, lesson) -> None:
        """Pause, open the lesson's network, show its text and step through where it makes sense
        (``lesson``: a Lesson or its name)."""
        from nnviz.lessons.catalog import get_lesson
        from nnviz.presets import get_preset

        if isinstance(lesson, str):
            lesson = get_lesson(lesson)

        self.model.pause()
        self.step_mode.leave()
        self._pending_lesson = None
        if lesson.preset is not None and get_preset(lesson.preset).kind != "graph":
            if lesson.demo in NETWORK_STEPPED:
                self._pending_lesson = lesson   # stepped once its network is in the worker
            if not self.model.open_preset(lesson.preset):
                self._pending_lesson = None
        self.lesson_panel.show_lesson(lesson)
        self._show_dock(self.lesson_dock, 0.6 if lesson.demo in ("apple", "race") else 0.42)
        self.pool.start(_DemoTask(lesson, self.demoDone))
        if lesson.demo == "gradcheck":
            self.open_gradcheck()

    def _on_experiment(self, _info) -> None:
        lesson, self._pending_lesson = self._pending_lesson, None
        if lesson is None:
            return
        self.step_mode.session.selection = tuple(lesson.select) if lesson.select is not None else None
        # after the model has handed the new network to the worker (it emits before it does)
        QTimer.singleShot(0, self.model.enter_step_mode)

    def _on_demo(self, name: str, result) -> None:
        if self.lesson_panel.lesson is not None and self.lesson_panel.lesson.name == name:
            self.lesson_panel.show_result(result)

    # -- gradient check -----------------------------------------------------------------------
    def open_gradcheck(self) -> GradCheckDialog:
        if self.gradcheck is None:
            self.gradcheck = GradCheckDialog(self.step_mode, self.window)
        self.gradcheck.show()
        self.gradcheck.raise_()
        self.step_mode.check_gradients()
        return self.gradcheck


def _texts(act, text: str, tip: str = "") -> None:
    """An action's text and tip (with its shortcut, as the window's ``_action`` writes them)."""
    act.setText(text)
    if tip:
        key = act.shortcut()
        act.setToolTip(tip + (f"  ({key.toString(QKeySequence.NativeText)})" if not key.isEmpty() else ""))
        act.setStatusTip(tip)


def install_step_ui(window) -> StepModeUI:
    return StepModeUI(window)
