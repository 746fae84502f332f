"""The digit canvas: draw a digit and watch a network read it (stand-alone widgets).

:class:`DigitPanel` puts together :class:`DrawingCanvas` (the drawing),
:class:`InputPreview` (the 28×28 image the network gets), :class:`ProbabilityBars` and
:class:`TeachBar` ("my digits"); :class:`MistakesBrowser` shows the test digits a model reads
wrongly. :class:`NetworkCopy` and :func:`input_snapshot` (no Qt) follow the live network.
"""
from nnviz.app.canvas.drawing import DrawingCanvas, Stroke
from nnviz.app.canvas.livemodel import NetworkCopy, input_snapshot
from nnviz.app.canvas.mistakes import MistakesBrowser
from nnviz.app.canvas.panel import DigitPanel, as_predictor
from nnviz.app.canvas.teach import TeachBar
from nnviz.app.canvas.views import InputPreview, ProbabilityBars

__all__ = ["DigitPanel", "DrawingCanvas", "InputPreview", "MistakesBrowser", "NetworkCopy",
           "ProbabilityBars", "Stroke", "TeachBar", "as_predictor", "input_snapshot"]
