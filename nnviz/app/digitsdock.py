"""The digit canvas in the window: the "Draw a digit" dock and the misclassified browser's dock.

:class:`DigitDocks` puts :class:`~nnviz.app.canvas.DigitPanel` and
:class:`~nnviz.app.canvas.MistakesBrowser` into the main window and wires them to its
:class:`~nnviz.app.appmodel.AppModel` (never to the worker or its network):

* **Which model reads the canvas**: the shipped one (the default, offline, before anything is
  trained), the network being trained (only when the window's data are 28×28 images into 10
  classes; a UI-side :class:`~nnviz.app.canvas.NetworkCopy` takes the snapshots' weights, at
  most a few times a second and only while the dock is visible), or a model file.
* **The diagram shows the drawn digit** while the canvas reads the network being trained. The
  drawing *holds* the diagram: from the moment the learner draws (or puts a digit on the
  canvas) the training snapshots stop repainting it, and the diagram follows the drawing
  instead, through the live copy's newest weights. The hold ends when the canvas is cleared
  or its dock hidden, when the canvas switches to another model, when a new network replaces this one, or when
  the learner asks training to go on (Play or Step epoch start it running; a Step batch or
  "Teach the network" trains while paused): they asked to watch it learn, so the snapshots
  take the diagram back. Drawing while training runs holds the diagram until the next Pause,
  Play or step.
* **Teach the network** posts a :class:`~nnviz.app.training.commands.FineTune` through
  :meth:`AppModel.fine_tune` and switches the canvas to the network being trained, to see it
  change.
* **A click on a confusion-matrix cell** opens the browser on that (true, predicted) pair, for
  the network being trained and the experiment's own test set (so its counts are the matrix's,
  for the weights the matrix was computed with: at the end of an epoch).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QFileDialog, QPushButton, QWidget

from nnviz.app.canvas import DigitPanel, MistakesBrowser
from nnviz.app.canvas.dockcontent import FILE, LIVE, SHIPPED, CanvasWidgets
from nnviz.app.diagramhold import DiagramHold
from nnviz.app.translation import retranslate
from nnviz.core.errors import NNVizError
from nnviz.i18n import N_, _, message

#: The largest share of the window's width the "Draw a digit" dock takes when it is shown.
DOCK_SHARE = 0.6


def reads_digits(info) -> bool:
    """True when the window's network reads 28×28 images into 10 classes."""
    return (info is not None and tuple(info.image_shape or ()) == (28, 28) and info.sizes[0] == 784
            and info.sizes[-1] == 10 and info.is_classification)


class DigitDocks(QObject):
    """The two docks, their View/File actions, and their wiring to the window's model.

    ``stepRequested(object x784, int label)``: the drawing's raw pixels (one row like the
    data's, 0..255) and its label (the test digit's own, else the predicted class).
    """

    stepRequested = Signal(object, int)

    def __init__(self, window):
        super().__init__(window)
        self.window, self.model, self.diagram = window, window.model, window.diagram
        self._label: int | None = None   # the known label of the digit on the canvas
        self._file = ""                  # the model file the selector names

        # The panel, its selector and the browser are built the first time their dock is shown:
        # most sessions never open them, and building them at start-up delays the first window.
        self._built: CanvasWidgets | None = None
        self._browser: MistakesBrowser | None = None
        self.dock = self._dock("digits", QWidget())
        self.mistakes_dock = self._dock("mistakes", QWidget())
        self.dock.visibilityChanged.connect(lambda seen: self._canvas() if seen else self.hold.release())
        self.mistakes_dock.visibilityChanged.connect(lambda seen: seen and self.browser)

        self.show_action = self._action(self.show_canvas, "Ctrl+D")
        self.mistakes_action = self._action(lambda: self.show_mistakes(), "Ctrl+M")
        self.open_model_action = self._action(lambda: self.open_model_file(), None)

        self.hold = DiagramHold(self)  # (now: it must see each snapshot before the frame's drawer)
        self.model.experimentReplaced.connect(self._on_experiment)
        window.confusion.cellClicked.connect(self.show_pair)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.dock.setWindowTitle(_("Draw a digit"))
        self.mistakes_dock.setWindowTitle(_("Misclassified digits"))
        for act, text, tip in ((self.show_action, _("Draw a digit"), _("Draw a digit and watch a network read it")),
                               (self.mistakes_action, _("Misclassified digits"),
                                _("The test digits the canvas's model reads wrongly")),
                               (self.open_model_action, _("Open a model for the canvas…"),
                                _("Read the drawn digits with a saved model"))):
            act.setText(text)
            act.setStatusTip(tip)
            act.setToolTip(tip)
        self._update_live_choice()

    # -- built on first use --------------------------------------------------------------------
    def _canvas(self) -> CanvasWidgets:
        if self._built is None:
            self._built = CanvasWidgets(self)
            self.dock.setWidget(self._built.scroll)
            p, m = self._built.panel, self.model
            p.fineTuneRequested.connect(self.fine_tune)
            p.canvas.changed.connect(self._on_drawn)
            p.teach.failed.connect(lambda msg: m.status.emit(msg))
            m.snapshot.connect(p.feed_snapshot)  # cheap: the copy takes weights on its own timer
            self.hold.watch(p)
            self._update_live_choice()
        return self._built

    @property
    def panel(self) -> DigitPanel:
        return self._canvas().panel

    @property
    def selector(self) -> QComboBox:
        return self._canvas().selector

    @property
    def step_button(self) -> QPushButton:
        return self._canvas().step_button

    @property
    def browser(self) -> MistakesBrowser:
        if self._browser is None:
            self._browser = MistakesBrowser()
            self._browser.digitChosen.connect(self.show_digit)
            self.mistakes_dock.setWidget(self._browser)
        return self._browser

    def _reads_live(self) -> bool:
        """True when the canvas reads the network being trained (False before it is built)."""
        return self._built is not None and self.selector.currentData() == LIVE

    def _dock(self, name: str, widget) -> QDockWidget:
        dock = QDockWidget(self.window)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.RightDockWidgetArea, dock)
        return dock

    def _action(self, slot, shortcut) -> QAction:
        act = QAction(self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    def place(self, group: QDockWidget) -> None:
        """Tab both docks with ``group`` (the window's right-hand views); the browser hidden."""
        self.window.tabifyDockWidget(group, self.dock)
        self.window.tabifyDockWidget(self.dock, self.mistakes_dock)
        self.mistakes_dock.hide()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """The window closes: stop the browser's run and wait for the canvas's background jobs
        (so no pool thread runs Python while the interpreter exits)."""
        if self._built is None and self._browser is None:
            return True  # nothing of the canvas was built: no background jobs
        from nnviz.app.canvas.background import pool

        if self._browser is not None:
            self._browser.cancel()
        return pool().waitForDone(timeout_ms)

    # -- showing ---------------------------------------------------------------------------------
    def show_canvas(self) -> None:
        self.dock.show()
        self.dock.raise_()
        widgets = self._canvas()
        box = widgets.box
        want = min(widgets.wide_width() + 90, int(self.window.width() * DOCK_SHARE))  # (room for the bars)
        tall = min(box.minimumSizeHint().height() + 40, int(self.window.height() * 0.75))
        if not self.dock.isFloating():
            if self.dock.width() < want:
                self.window.resizeDocks([self.dock], [want], Qt.Horizontal)
            if self.dock.height() < tall:  # (docks stacked above one another on wide screens)
                self.window.resizeDocks([self.dock], [tall], Qt.Vertical)
        self.panel.canvas.setFocus()

    def show_mistakes(self, pair=(None, None)) -> None:
        """The browser, for the canvas's model (or, for ``pair`` from the confusion matrix, for
        the network being trained on the experiment's test set)."""
        self.mistakes_dock.show()
        self.mistakes_dock.raise_()
        if pair == (None, None):
            self._browse(self.panel.models.model, self._reads_live())
        self.browser.show_pair(*pair)

    def show_pair(self, true: int, predicted: int) -> None:
        """A confusion-matrix cell was clicked: its digits, read by the network being trained."""
        info = self.model.info
        if not reads_digits(info):
            self.model.status.emit(_("The browser shows 28×28 digits; this network reads other data."))
            return
        if not self._reads_live():
            self.use(LIVE)
        from nnviz.app.canvas.livemodel import NetworkCopy
        from nnviz.classify import DigitModel

        snap = self.model.last_snapshot
        if snap is None:
            return
        try:
            copy = NetworkCopy.from_settings(info.settings, info.sizes[0], info.sizes[-1])
            copy.load(snap)
        except NNVizError as exc:
            self.model.error.emit(_("The mistakes cannot be shown"), message(exc))
            return
        self._browse(DigitModel(copy.net, scaling=info.data.scaling, source="live"), True)
        self.show_mistakes((int(true), int(predicted)))

    def _browse(self, model, own_test_set: bool) -> None:
        if model is None:
            self.model.status.emit(_("No model reads the canvas yet."))
            return
        info = self.model.info
        if own_test_set and reads_digits(info) and len(info.data.x_test):
            self.browser.set_digits(info.data.x_test.reshape(-1, 28, 28), info.data.y_test)
        else:
            self.browser.set_digits(None, None)
        self.browser.set_model(model)

    def show_digit(self, image28, label: int | None = None) -> None:
        self.panel.show_digit(image28, label)
        self._label = None if label is None else int(label)
        self.show_canvas()

    # -- which model reads the canvas -------------------------------------------------------------
    def _on_selector(self, index: int) -> None:
        kind = self.selector.itemData(index)
        if kind == FILE:
            self.open_model_file()
        else:
            self.use(kind)

    def use(self, kind: str) -> bool:
        """Read the canvas with ``kind`` ("shipped" or "live"); False (the model kept) if not."""
        if kind == LIVE:
            info = self.model.info
            if not reads_digits(info):
                self._refuse(_("The network being trained does not read 28×28 digits: "
                               "choose MNIST (or another set of 28×28 images) first."))
                return False
            try:
                self.panel.use_live_network(_config(info), scaling=info.data.scaling)
            except NNVizError as exc:
                self._refuse(message(exc))
                return False
            if self.model.last_snapshot is not None:
                self.panel.feed_snapshot(self.model.last_snapshot)
        else:
            self.panel.use_shipped_model()
            self.hold.release()
        self._select(kind)
        return True

    def open_model_file(self, path: str | None = None) -> bool:
        """Read the canvas with a saved model; a clear message (the model kept) if it is not a
        model of 28×28 digits."""
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self.window, _("Open a model for the canvas"), "",
                                                        _("nnviz models (*.nnviz *.npz);;All files (*)"))
        if not path:
            self._select(self._kind)
            return False
        try:
            self.panel.use_model_file(path)
        except NNVizError as exc:
            self._refuse(message(exc), _("This model cannot read the canvas"))
            return False
        self._file = str(path)
        self.hold.release()
        self._select(FILE)
        return True

    @property
    def _kind(self) -> str:
        if self._built is None:
            return SHIPPED
        return self.panel.models.kind if self.panel.models.kind in (SHIPPED, FILE) else LIVE

    def _select(self, kind: str) -> None:
        self.selector.setCurrentIndex(self.selector.findData(kind if kind in (SHIPPED, LIVE, FILE) else SHIPPED))

    def _refuse(self, message: str, title: str | None = None) -> None:
        self._select(self._kind)
        self.model.error.emit(title or _("The canvas keeps its model"), message)

    def _update_live_choice(self) -> None:
        if self._built is None:
            return  # (done when it is built)
        ok = reads_digits(self.model.info)
        item = self.selector.model().item(self.selector.findData(LIVE))
        item.setEnabled(ok)
        item.setToolTip("" if ok else _("Only when the window trains on 28×28 images"))
        trainable = ok and self.model.info.trainable
        self.panel.teach.set_teachable(trainable, "" if trainable else N_(
            "Teaching trains the window's network: it needs one that reads 28×28 digits "
            "(choose MNIST first)"))

    def _on_experiment(self, info) -> None:
        self.hold.release(redraw=False)
        self._update_live_choice()
        if self._reads_live():
            if reads_digits(info):
                self.use(LIVE)
            else:
                self.use(SHIPPED)
                self.model.status.emit(_("The canvas reads with the shipped model again: the new "
                                         "network does not read 28×28 digits."))

    def _on_drawn(self) -> None:
        self._label = None
        if self.panel.canvas.is_blank():
            self.hold.release()
        elif self._reads_live():
            self.hold.take()

    @property
    def held(self) -> bool:
        """True while the diagram shows the drawing rather than the training snapshots."""
        return self.hold.held

    # -- teach it, step through -------------------------------------------------------------------
    def fine_tune(self, command) -> None:
        if not self._reads_live():
            self.use(LIVE)
        self.hold.release(redraw=False)  # its steps are shown live in the diagram
        self.model.fine_tune(command)

    def _request_step(self) -> None:
        p = self.panel
        if p.image is None:
            self.model.status.emit(_("Draw a digit first."))
            return
        label = self._label
        if label is None:
            label = int(np.argmax(p.probabilities)) if p.probabilities is not None else 0
        self.stepRequested.emit(np.asarray(p.image, dtype=np.float64).reshape(784), int(label))


def _config(info) -> dict:
    from nnviz.app.canvas.livemodel import NetworkCopy

    return NetworkCopy.from_settings(info.settings, info.sizes[0], info.sizes[-1]).net.config()
