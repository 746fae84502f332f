"""A run's timeline saved with the model and opened again in the window (issue 20; no Qt).

File → Save model writes the selected run's timeline beside the network
(:func:`nnviz.timeline.save_run`, on the worker thread between batches: :func:`save_on_worker`);
File → Open model of such a file reads it (:func:`open_run`), the experiment built around its
network continues from the exact recorded state (:func:`restore_opened`: optimizer state, step
counters, data order, random generators), and the scrub bar gets the timeline back as the new
run's record (:func:`opened_timeline`). A plain model file opens as before.
"""
from __future__ import annotations

import copy
import weakref

import numpy as np

_OPENED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # network → its timeline


def open_run(path):
    """``(net, extra, timeline)`` of a run file; ``None`` for a plain model file. Raises
    :class:`~nnviz.core.errors.NNVizError` for a damaged one."""
    from nnviz.timeline.runfile import is_run_file, load_run

    if not is_run_file(path):
        return None
    rf = load_run(path)
    _OPENED[rf.net] = rf.timeline
    extra = dict(rf.extra)
    extra["settings"] = rf.settings.to_dict()
    return rf.net, extra, rf.timeline


def restore_opened(exp) -> bool:
    """Put the opened run's last recorded state into ``exp``'s trainer (built around the file's
    network), so training goes on exactly as the recorded run would have; True if done."""
    tl = _OPENED.get(exp.net)
    if tl is None or exp.trainer is None or not len(tl):
        return False
    from nnviz.timeline.branch import _as_recorded
    from nnviz.timeline.state import restore_state

    cp = tl.checkpoints()[-1]
    if cp.step != tl.last_step or not np.array_equal(cp.params, exp.net.flat_params):
        return False   # (the file's network is not the recorded run's last state)
    _as_recorded(exp.trainer, cp.state)
    restore_state(exp.trainer, cp.state)
    return True


def opened_timeline(net):
    """The timeline opened with ``net`` (once: it is the new run's record from now on)."""
    return _OPENED.pop(net, None)


def save_on_worker(worker, path: str, extra: dict, timeline):
    """Write the worker's network (or ``timeline``'s run's last state, for a run that is not
    training) with ``timeline`` to ``path``; the path written."""
    from nnviz.timeline import save_run

    exp = worker._exp
    race = getattr(worker, "_race", None)
    live = timeline is worker._timeline or (race is not None and any(t is timeline for t in race.timelines))
    net, settings = exp.net, timeline.settings or exp.settings
    extra = {k: v for k, v in extra.items() if k not in ("settings", "preset", "run")}
    tr = exp.trainer
    if live and tr is not None:
        gs = int(tr.global_step)
        if not len(timeline) or timeline.at(gs).step != gs:   # the file's network is the last checkpoint
            timeline.record(tr, worker._last_loss, force=True)
    elif len(timeline):
        last = timeline.checkpoints()[-1]
        if last.params.shape == net.flat_params.shape and last.params.dtype == net.flat_params.dtype:
            net = copy.deepcopy(net)
            np.copyto(net.flat_params, last.params)
            for li, layer in enumerate(net.layers):   # batch-norm statistics of that moment
                for k in layer.buffers:
                    buf = last.state["buffers"].get(f"{li}.{k}")
                    if buf is not None:
                        layer.buffers[k][...] = buf
    return save_run(path, net, settings, timeline, extra=extra)
