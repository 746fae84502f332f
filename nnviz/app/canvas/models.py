"""Which model the digit panel reads with: the shipped one, a saved file, or the live network.

:class:`ModelSource` turns each into a predictor (images (n, 28, 28) 0..255 → (n, 10)) plus,
when there is one, the :class:`~nnviz.core.network.Network` behind it (for the diagram's
activations). The live network is a :class:`~nnviz.app.canvas.livemodel.NetworkCopy` on the
UI thread that takes a snapshot's weights at most every :attr:`ModelSource.live_interval_ms`
and only while the panel is visible; the worker's own network is never touched.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from nnviz.core.errors import ModelFileError, NNVizError
from nnviz.i18n import N_, _, message

NO_MODEL = N_("No model to read the digit")
LIVE_NAME = N_("the network being trained")


def _check_digit_model(net, source: str) -> None:
    if net.n_inputs != 784 or net.n_outputs != 10:
        raise ModelFileError(N_("{source}: this model has {inputs} inputs and {outputs} outputs; "
                                "reading digits needs 784 inputs (28×28 pixels) and 10 outputs (0–9)"),
                             source=source, inputs=net.n_inputs, outputs=net.n_outputs)


class ModelSource(QObject):
    """The panel's current model. ``changed(str)`` carries a description to show (in the
    current language; :meth:`description` writes it again after a language switch)."""

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
        self._desc = (NO_MODEL, {}, ())  # the description: an English template, its values, and
        #                                  which of them are themselves marked texts to translate
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
            self._set("none", None, None, scaling, (NO_MODEL,))
        elif isinstance(model, Network):
            self._set_model("function", DigitModel(model, scaling=scaling), (N_("Model: a network"),))
        elif isinstance(model, DigitModel):
            desc = ((N_("Model: {name}"), {"name": model.source}) if model.source
                    else (N_("Model: a network"),))
            self._set_model("function", model, desc)
        elif callable(model):
            self._set("function", model, None, scaling, (N_("Model: a function"),))
        else:
            raise NNVizError(N_("not a model: {model}"), model=repr(model))

    def use_shipped(self) -> None:
        from nnviz.classify import DigitModel

        self._live, self._pending = None, None
        try:
            model = DigitModel.load()
        except NNVizError as exc:
            self._set("none", None, None, "unit", (N_("No model: {reason}"), {"reason": exc}, ("reason",)))
            return
        acc = model.test_accuracy
        desc = ((N_("Model: the shipped one (test accuracy {accuracy})"), {"accuracy": "{0:.1%}".format(acc)})
                if acc else (N_("Model: the shipped one"),))
        self._set_model("shipped", model, desc)

    def use_file(self, path) -> None:
        """A saved model; raises ``NNVizError`` (and keeps the current model) when it is not
        a model of 28×28 digits."""
        from pathlib import Path

        from nnviz.classify import DigitModel

        model = DigitModel.load(path)
        _check_digit_model(model.net, str(path))
        self._live, self._pending = None, None
        self._set_model("file", model, (N_("Model: {name}"), {"name": Path(path).name}))

    def use_live(self, config: dict, scaling: str = "unit") -> None:
        """The network being trained, of architecture ``config``: no predictions until the
        first snapshot brings its weights."""
        from nnviz.app.canvas.livemodel import NetworkCopy

        live = NetworkCopy(config)
        _check_digit_model(live.net, _(LIVE_NAME))
        self._live, self._pending = live, None
        self._set("live", None, None, scaling, (N_("Model: the network being trained (waiting "
                                                   "for its weights)"),))

    def _set_model(self, kind, model, desc) -> None:
        self._set(kind, model.predict, model.net, model.scaling, desc)
        self._model = model

    def _set(self, kind, predict, network, scaling, desc) -> None:
        self.kind, self.predict, self.network, self.scaling = kind, predict, network, scaling
        self._model = None
        self._describe(*desc)

    def _describe(self, template: str, values: dict | None = None, translated=()) -> None:
        """Remember the description (an ``N_`` template and its values; the values named in
        ``translated`` are errors or marked texts, translated too) and emit it."""
        self._desc = (template, dict(values or {}), tuple(translated))
        self.changed.emit(self.description())

    def description(self) -> str:
        """What reads the digits, in the current language."""
        template, values, translated = self._desc
        shown = {}
        for key, value in values.items():
            if key in translated:
                value = message(value) if isinstance(value, BaseException) else _(value)
            shown[key] = value
        return _(template).format(**shown) if shown else _(template)

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
            self._set("none", None, None, self.scaling, (N_("No model: {reason}"), {"reason": exc}, ("reason",)))
            self._live = None
            return
        from nnviz.classify import DigitModel

        model = DigitModel(self._live.net, scaling=self.scaling, source="live")
        self.kind, self.predict, self.network, self._model = "live", model.predict, model.net, model
        self._describe(N_("Model: the network being trained (step {step})"), {"step": snap.global_step})

    def panel_shown(self) -> None:
        """The panel became visible: take the snapshot that waited meanwhile."""
        if self._pending is not None:
            self._timer.start(0)
