"""The digit panel: draw, see the 28×28 input the network gets, read its ten probabilities.

A stand-alone widget: give it a model (a :class:`~nnviz.core.network.Network`, a
:class:`~nnviz.classify.DigitModel` or any function ``images (n, 28, 28) 0..255 → (n, 10)``
probabilities; by default the shipped model). Predictions run on a timer while drawing (at
most every :attr:`DigitPanel.interval_ms`), never inside a paint event; a forward pass on one
image is far cheaper than a frame, so the UI thread does it without stalling.

Models (:mod:`nnviz.app.canvas.models`): the shipped one, a saved file, or the network being
trained in the window, followed through its snapshots on a UI-side copy.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from nnviz.app.canvas.background import TestDigits
from nnviz.app.canvas.drawing import DrawingCanvas
from nnviz.app.canvas.models import NO_MODEL, ModelSource
from nnviz.app.canvas.teach import TeachBar
from nnviz.app.canvas.views import InputPreview, ProbabilityBars
from nnviz.app.canvas.views import DRAW_A_DIGIT, ElidedLabel
from nnviz.app.translation import retranslate
from nnviz.core.errors import NNVizError
from nnviz.i18n import N_, _


def as_predictor(model, scaling: str = "unit"):
    """A function images (n, 28, 28) → (n, 10) probabilities from a model of any accepted kind."""
    if model is None:
        return None
    from nnviz.core.network import Network

    if isinstance(model, Network):
        from nnviz.classify import DigitModel
        return DigitModel(model, scaling=scaling).predict
    if callable(model):
        return model
    raise NNVizError(N_("not a model: {model}"), model=repr(model))


class DigitPanel(QWidget):
    """Canvas, preprocessing toggles, the network's view, the probability bars, "teach it".

    Signals: ``image_changed(object)`` with the 28×28 input (``None`` when blank),
    ``predicted(object)`` with the (10,) probabilities (``None`` when blank or no model),
    ``inputChanged(object)`` with the network's (784,) scaled input (``None`` when blank),
    ``fineTuneRequested(object)`` with a :class:`~nnviz.app.training.commands.FineTune` to post,
    ``modelChanged(str)`` with a description of the model now reading the digits.
    """

    image_changed = Signal(object)
    predicted = Signal(object)
    inputChanged = Signal(object)
    fineTuneRequested = Signal(object)
    modelChanged = Signal(str)
    interval_ms = 50

    def __init__(self, model="shipped", parent=None, scaling: str = "unit"):
        super().__init__(parent)
        self.models = ModelSource(self)
        self.image: np.ndarray | None = None
        self.x: np.ndarray | None = None   # the network's input for the image (784,)
        self.probabilities: np.ndarray | None = None
        self.updates = 0  # predictions made (a throttling figure for tests and benchmarks)
        self._rng = np.random.default_rng()
        self.test_digits = TestDigits(self)

        self.canvas = DrawingCanvas(self)
        self.preview = InputPreview(self)
        self.bars = ProbabilityBars(self)
        self.steps = {key: QCheckBox() for key in ("crop", "resize", "centre")}
        for box in self.steps.values():
            box.setChecked(True)
            box.toggled.connect(self.refresh)

        self.model_label = ElidedLabel()
        self.teach = TeachBar(self)
        self.teach.fineTuneRequested.connect(self._request_fine_tune)

        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setRange(4, 60)
        self.width_slider.setValue(int(self.canvas.brush_width))
        self.width_slider.valueChanged.connect(self.canvas.set_brush_width)
        clear, load = QPushButton(), QPushButton()
        clear.clicked.connect(self.canvas.clear)
        load.clicked.connect(self.load_test_digit)
        self.clear_button, self.load_button = clear, load
        self.brush_label, self.sees_label = QLabel(), ElidedLabel()

        # Three parts side by side (the drawing, what the network sees, the bars), or, when the
        # panel is narrow, the bars below the drawing (see arrange()); the model and "teach it"
        # below them all, so the panel fits a dock.
        self.draw_box, self.sees_box, self.top_box = QWidget(), QWidget(), QWidget()
        left = QGridLayout(self.draw_box)   # the brush on one row, the buttons on the next
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.canvas, 0, 0, 1, 3)
        left.addWidget(self.brush_label, 1, 0)
        left.addWidget(self.width_slider, 1, 1, 1, 2)
        left.addWidget(clear, 2, 0, 1, 2)
        left.addWidget(load, 2, 2)
        left.setRowStretch(0, 1)
        right = QVBoxLayout(self.sees_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.sees_label)
        right.addWidget(self.preview)
        for box in self.steps.values():
            right.addWidget(box)
        right.addStretch(1)
        self._top = QGridLayout(self.top_box)
        self._top.setContentsMargins(0, 0, 0, 0)
        self.narrow: bool | None = None
        self.arrange(False)
        lay = QVBoxLayout(self)
        lay.addWidget(self.top_box, 1)
        lay.addWidget(self.model_label)
        lay.addWidget(self.teach)

        # Ctrl+Z and Esc anywhere in the panel (the focus may be on a button or a check box)
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.canvas.undo),
                           (QKeySequence(Qt.Key.Key_Escape), self.canvas.clear)):
            sc = QShortcut(keys, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.interval_ms)
        self._timer.timeout.connect(self.refresh)
        self.canvas.changed.connect(self._schedule)
        self.canvas.stroke_finished.connect(self.refresh)
        self.models.changed.connect(self._model_changed)
        if isinstance(model, str) and model == "shipped":
            self.models.use_shipped()
        else:
            self.models.use(model, scaling)
        retranslate(self)

    def retranslate_ui(self) -> None:
        texts = {"crop": (_("Crop to the ink"), _("Cut the picture to the ink's bounding box")),
                 "resize": (_("Scale to 20 px"),
                            _("Scale the longer side to 20 pixels (MNIST's digits are all this "
                              "big); off, a small drawing stays small")),
                 "centre": (_("Centre the mass"),
                            _("Move the centre of mass to the middle of the 28×28 field; off, "
                              "an off-centre drawing stays off-centre"))}
        for key, (text, tip) in texts.items():
            self.steps[key].setText(text)
            self.steps[key].setToolTip(tip)
        self.width_slider.setToolTip(_("Brush width"))
        self.brush_label.setText(_("Brush"))
        self.clear_button.setText(_("Clear"))
        self.clear_button.setToolTip(_("Clear the canvas (Esc)"))
        self.load_button.setText(_("Load a test digit"))
        self.load_button.setToolTip(_("Put a random MNIST test digit on the canvas"))
        self.sees_label.setText(_("What the network sees"))
        self.model_label.setText(self.models.description())

    # -- layout --------------------------------------------------------------------------------
    def arrange(self, narrow: bool) -> None:
        """The drawing, the network's view and the bars side by side, or (``narrow``) the bars
        and the view below the drawing."""
        if narrow == self.narrow:
            return
        self.narrow, grid = narrow, self._top
        for w in (self.draw_box, self.sees_box, self.bars):
            grid.removeWidget(w)
        for i in range(3):
            grid.setColumnStretch(i, 0)
            grid.setRowStretch(i, 0)
        if narrow:
            grid.addWidget(self.draw_box, 0, 0, 1, 2)
            grid.addWidget(self.sees_box, 1, 0)
            grid.addWidget(self.bars, 1, 1)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(0, 1)
        else:
            grid.addWidget(self.draw_box, 0, 0)
            grid.addWidget(self.sees_box, 0, 1)
            grid.addWidget(self.bars, 0, 2)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(2, 2)  # the bars take a share of the spare width
        grid.setRowStretch(1 if narrow else 0, 1)

    def wide_width(self) -> int:
        """The least width the three parts need side by side (and the rows below them)."""
        gap = self._top.horizontalSpacing() if self._top.horizontalSpacing() >= 0 else 6
        parts = sum(w.minimumSizeHint().width() if w is not self.bars else w.minimumWidth()
                    for w in (self.draw_box, self.sees_box, self.bars)) + 2 * gap
        m = self.layout().contentsMargins()
        return max(parts, self.teach.minimumSizeHint().width()) + m.left() + m.right()

    # -- model ---------------------------------------------------------------------------------
    @property
    def _predict(self):
        return self.models.predict

    def set_model(self, model, scaling: str = "unit") -> None:
        """Read digits with another model (``None``: none)."""
        self.models.use(model, scaling)

    def use_shipped_model(self) -> None:
        """Read digits with the model shipped in ``resources/`` (the default)."""
        self.models.use_shipped()

    def use_model_file(self, path) -> None:
        """Read digits with a saved model; a clear ``NNVizError`` (nothing changes) for a file
        that is not a model of 28×28 digits into 10 classes."""
        self.models.use_file(path)

    def use_live_network(self, config: dict, scaling: str = "unit") -> None:
        """Read digits with the network being trained: ``config`` is its ``Network.config()``;
        :meth:`feed_snapshot` then brings its weights (a ``NNVizError`` if it cannot read
        digits)."""
        self.models.use_live(config, scaling)

    def feed_snapshot(self, snap) -> None:
        """A training snapshot (connect ``controller.snapshot`` here). Cheap: the live copy
        takes the newest weights at most every ``models.live_interval_ms``, while visible."""
        self.models.feed(snap)

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().showEvent(ev)
        self.models.panel_shown()

    def _model_changed(self, description: str) -> None:
        self.model_label.setText(description)
        self.refresh()
        self.modelChanged.emit(description)

    def input_snapshot(self, base=None):
        """What the panel's network computes for the drawing, as a Snapshot the network diagram
        draws (``None`` when blank or when the model is a plain function)."""
        from nnviz.app.canvas.livemodel import input_snapshot

        net = self.models.network
        if net is None or self.x is None or net.n_inputs != self.x.size:
            return None
        return input_snapshot(net, self.x, base)

    def _request_fine_tune(self) -> None:
        command = self.teach.fine_tune_command()
        if command is not None:
            self.fineTuneRequested.emit(command)

    def step_flags(self) -> dict[str, bool]:
        return {k: box.isChecked() for k, box in self.steps.items()}

    # -- updates -------------------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self._timer.isActive():  # throttle: the first change starts the clock
            self._timer.start()

    def refresh(self) -> None:
        """Preprocess the drawing and predict now (the timer calls this while drawing)."""
        from nnviz.data.preprocess import NoInkError, to_mnist

        self._timer.stop()
        image = None
        if not self.canvas.is_blank():
            try:
                image = to_mnist(self.canvas.ink(), **self.step_flags())
            except NoInkError:  # everything erased
                image = None
        self.image = image
        self.preview.set_image(image)
        self.image_changed.emit(image)
        probs = None
        predict = self._predict
        if image is not None and predict is not None:
            probs = np.asarray(predict(image[None]), dtype=float)[0]
            self.updates += 1
        self.probabilities = probs
        message = DRAW_A_DIGIT if predict is not None else NO_MODEL
        self.bars.set_probabilities(probs, message)
        self.teach.set_image(image, None if probs is None else int(np.argmax(probs)))
        self.predicted.emit(probs)
        self.x = None if image is None else self.models.inputs(image)
        self.inputChanged.emit(self.x)

    # -- test digits ---------------------------------------------------------------------------
    def load_test_digit(self, index: int | None = None) -> int:
        """Put an MNIST test digit on the canvas and return its label: from the shipped sample
        at once, from the full test set once its background load (started here) has ended.
        ``index`` counts in ``test_digits.images``."""
        digits = self.test_digits
        x, y = digits.images, digits.labels
        i = int(self._rng.integers(len(x))) if index is None else int(index)
        self.canvas.load_digit(x[i])
        self.refresh()
        digits.ensure_full()
        return int(y[i])

    def show_digit(self, image28, label: int | None = None) -> None:
        """Put a 28×28 digit on the canvas (e.g. from the misclassified browser)."""
        self.canvas.load_digit(image28)
        self.refresh()
