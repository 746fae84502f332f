"""The "Data and output" dock: :class:`OutputView` shows the input plane or the shown sample."""
from nnviz.app.output.plane import PlaneView
from nnviz.app.output.sample import SampleView
from nnviz.app.output.view import OutputView

__all__ = ["OutputView", "PlaneView", "SampleView"]
