"""Rewind, branch and race (issue 20): a training run's timeline, Qt-free.

:func:`capture_state`/:func:`restore_state` take and put back the exact state of a trainer;
a :class:`Timeline` keeps checkpoints of it within a memory budget; :func:`replay_to` and
:func:`branch` go back to any step and train on from there; a :class:`Race` trains variants
in lockstep; :func:`save_run`/:func:`load_run` write and read a run file (a model file with
the timeline beside it).
"""
from nnviz.timeline.branch import branch, replay_to
from nnviz.timeline.race import Race
from nnviz.timeline.runfile import RunFile, load_run, save_run
from nnviz.timeline.state import capture_state, restore_state
from nnviz.timeline.timeline import Checkpoint, Timeline

__all__ = ["capture_state", "restore_state", "Checkpoint", "Timeline", "replay_to", "branch",
           "Race", "save_run", "load_run", "RunFile"]
