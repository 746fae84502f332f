"""Step-through explanations and the seeds' lessons, Qt-free.

* :func:`record_step` traces one training step of a network together with what the trace
  itself does not keep (the input, the weights and optimizer state before the step);
* :func:`build_phases` turns that record into the phases a learner steps through: forward
  layer 0 … L-1, loss, backward layer L-1 … 0, update — each with its formula in symbols and
  filled in with the real numbers;
* :mod:`nnviz.lessons.catalog` reads the lesson texts (``resources/lessons/*.json``) and
  :mod:`nnviz.lessons.demos` computes what each lesson shows.

Dependency direction: app → lessons → (data, core).
"""
from nnviz.lessons.phases import Phase, build_phases, display_state
from nnviz.lessons.record import StepRecord, record_step

__all__ = ["Phase", "StepRecord", "build_phases", "display_state", "record_step"]
