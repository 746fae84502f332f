"""The digit canvas: draw a digit and watch a network read it (stand-alone widgets).

:class:`DigitPanel` puts together :class:`DrawingCanvas` (the drawing),
:class:`InputPreview` (the 28×28 image the network gets) and :class:`ProbabilityBars`.
"""
from nnviz.app.canvas.drawing import DrawingCanvas, Stroke
from nnviz.app.canvas.panel import DigitPanel, as_predictor
from nnviz.app.canvas.views import InputPreview, ProbabilityBars

__all__ = ["DigitPanel", "DrawingCanvas", "InputPreview", "ProbabilityBars", "Stroke", "as_predictor"]
