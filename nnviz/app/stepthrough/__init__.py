"""Step-through widgets (stand-alone; the main window wires them in later).

:class:`StepSession` holds a list of steps (the phases of :mod:`nnviz.lessons`, the apple
graph's steps, or an optimizer race's iterations) and the current index; the views redraw on
its ``phaseChanged(index)``.
"""
from nnviz.app.stepthrough.session import StepSession

__all__ = ["StepSession"]
