"""The plots: training curves (:class:`MetricsPlots`) and the confusion matrix
(:class:`ConfusionMatrixView`), and their shared style (the Qt-free history they draw is
:mod:`nnviz.app.history`)."""
from nnviz.app.plots.confusion import ConfusionMatrixView
from nnviz.app.history import CSV_COLUMNS
from nnviz.app.plots.metrics import MetricsPlots
from nnviz.app.plots.style import fmt_acc, fmt_loss, style_plot

__all__ = ["CSV_COLUMNS", "ConfusionMatrixView", "MetricsPlots", "fmt_acc", "fmt_loss", "style_plot"]
