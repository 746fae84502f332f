"""Which model the digit panel reads with: the shipped one, a saved file, or the live network.

:class:`ModelSource` turns each into a predictor (images (n, 28, 28) 0..255 → (n, 10)) plus,
when there is one, the :class:`~nnviz.core.network.Network` behind it (for the diagram's
activations). The live network is a :class:`~nnviz.app.canvas.livemodel.NetworkCopy` on the
UI thread that takes a snapshot's weights at most every :attr:`ModelSource.live_interval_ms`
and only while the panel is visible; the worker's own network is never touched.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from nnviz.core.errors import ModelFileError, NNVizError


def _tr(text: str) -> str:
    return QCoreApplication.translate("DigitModels", text)


def _check_digit_model(net, source: str) -> None:
    if net.n_inputs != 784 or net.n_outputs != 10:
        raise ModelFileError(_tr("{0}: this model has {1} inputs and {2} outputs; reading digits "
                                 "needs 784 inputs (28×28 pixels) and 10 outputs (0–9)")
                             .format(source, net.n_inputs, net.n_outputs))


class ModelSource(QObject):
    """The panel's current model. ``changed(str)`` carries a description to show."""

    changed = Signal(str)
    live_interval_ms = 250

    def __init__(self, panel):
        super().__init__(panel)
        self._panel = panel
        self.kind = "none"          # "none", "shipped", "file", "function", "live"
        self.predict = None
        self.network = None
        self.scaling = "unit"
        self._model = None          # the DigitModel behind predict (none for a function)
        self._live = None           # NetworkCopy
        self._pending = None        # the newest snapshot not yet taken by the live copy
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._take_pending)

    @property
    def model(self):
        """What reads the digits now, for another widget (e.g. the misclassified browser): a
        :class:`~nnviz.classify.DigitModel`, a plain function, or None."""
        return self._model if self._model is not None else self.predict

    # -- choosing ------------------------------------------------------------------------------
    def use(self, model, scaling: str = "unit") -> None:
        """A Network, a DigitModel, a function, or None."""
        from nnviz.classify import DigitModel
        from nnviz.core.network import Network

        self._live, self._pending = None, None
        if model is None:
            self._set("none", None, None, scaling, _tr("No model to read the digit"))
        elif isinstance(model, Network):
            self._set_model("function", DigitModel(model, scaling=scaling), _tr("Model: a network"))
        elif isinstance(model, DigitModel):
            self._set_model("function", model, _tr("Model: {0}").format(model.source or _tr("a network")))
        elif callable(model):
            self._set("function", model, None, scaling, _tr("Model: a function"))
        else:
            raise NNVizError(f"not a model: {model!r}")

    def use_shipped(self) -> None:
        from nnviz.classify import DigitModel

        self._live, self._pending = None, None
        try:
            model = DigitModel.load()
        except NNVizError as exc:
            self._set("none", None, None, "unit", _tr("No model: {0}").format(exc))
            return
        acc = model.test_accuracy
        text = (_tr("Model: the shipped one (test accuracy {0:.1%})").format(acc) if acc
                else _tr("Model: the shipped one"))
        self._set_model("shipped", model, text)

    def use_file(self, path) -> None:
        """A saved model; raises ``NNVizError`` (and keeps the current model) when it is not
        a model of 28×28 digits."""
        from pathlib import Path

        from nnviz.classify import DigitModel

        model = DigitModel.load(path)
        _check_digit_model(model.net, str(path))
        self._live, self._pending = None, None
        self._set_model("file", model, _tr("Model: {0}").format(Path(path).name))

    def use_live(self, config: dict, scaling: str = "unit") -> None:
        """The network being trained, of architecture ``config``: no predictions until the
        first snapshot brings its weights."""
        from nnviz.app.canvas.livemodel import NetworkCopy

        live = NetworkCopy(config)
        _check_digit_model(live.net, _tr("the network being trained"))
        self._live, self._pending = live, None
        self._set("live", None, None, scaling, _tr("Model: the network being trained (waiting "
                                                   "for its weights)"))

    def _set_model(self, kind, model, text) -> None:
        self._set(kind, model.predict, model.net, model.scaling, text)
        self._model = model

    def _set(self, kind, predict, network, scaling, text) -> None:
        self.kind, self.predict, self.network, self.scaling = kind, predict, network, scaling
        self._model = None
        self.changed.emit(text)

    def inputs(self, image28) -> np.ndarray:
        """The model's (784,) scaled input for a 28×28 image (0..255)."""
        from nnviz.data.preprocess import scale_inputs

        dtype = self.network.dtype if self.network is not None else np.float32
        return scale_inputs(np.asarray(image28).reshape(1, -1), self.scaling, dtype=dtype)[0]

    # -- the live network ------------------------------------------------------------------------
    def feed(self, snap) -> None:
        """Keep the newest snapshot; the copy takes it when the timer fires (and the panel shows)."""
        if self._live is None or snap is None or not snap.weights:
            return
        self._pending = snap
        if not self._timer.isActive():
            self._timer.start(self.live_interval_ms if self.predict is not None else 0)

    def _take_pending(self) -> None:
        if self._pending is None or self._live is None or not self._panel.isVisible():
            return  # a hidden panel waits: its show event takes the newest snapshot
        snap, self._pending = self._pending, None
        try:
            self._live.update(snap)
        except NNVizError as exc:  # the window trains another architecture now
            self._set("none", None, None, self.scaling, _tr("No model: {0}").format(exc))
            self._live = None
            return
        from nnviz.classify import DigitModel

        model = DigitModel(self._live.net, scaling=self.scaling, source="live")
        self.kind, self.predict, self.network, self._model = "live", model.predict, model.net, model
        self.changed.emit(_tr("Model: the network being trained (step {0})").format(snap.global_step))

    def panel_shown(self) -> None:
        """The panel became visible: take the snapshot that waited meanwhile."""
        if self._pending is not None:
            self._timer.start(0)
