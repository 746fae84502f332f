"""A recorded moment of a run as a :class:`~nnviz.app.training.state.Snapshot` (worker thread, no Qt).

The scrub bar asks the worker (a :class:`~nnviz.app.training.commands.ShowRecorded` command) for
the picture of a run at a recorded step. :func:`recorded_snapshot` puts the checkpoint's
parameters into a *scratch copy* of the network (made once per experiment; the training network
is never touched) and builds the snapshot through the same
:func:`~nnviz.app.training.snapshots.make_snapshot` as a live one, so every view draws it as it
draws any snapshot. It is marked with ``recorded_step``; it carries no gradients (a checkpoint
keeps none) and, if asked, the test set's confusion matrix at that moment.
"""
from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np

from nnviz.app.training.snapshots import make_snapshot


def scratch_network(worker):
    """The worker's scratch copy of its network (made again when the experiment changes)."""
    net = worker._exp.net
    pair = getattr(worker, "_scratch", None)
    if pair is None or pair[0] is not net:
        pair = worker._scratch = (net, copy.deepcopy(net))
    return pair[1]


def load_checkpoint(net, ckpt) -> bool:
    """Put ``ckpt``'s parameters (and batch-norm statistics, when its state has them) into
    ``net``; False when they do not fit this network."""
    params = np.asarray(ckpt.params)
    if params.size != net.flat_params.size:
        return False
    net.flat_params[...] = params.reshape(net.flat_params.shape)
    buffers = ckpt.state.get("buffers") if isinstance(ckpt.state, dict) else None
    for li, layer in enumerate(net.layers):   # batch-norm running statistics ("layer.name")
        for k, v in layer.buffers.items():
            saved = (buffers or {}).get(f"{li}.{k}")
            if saved is not None and np.shape(saved) == np.shape(v):
                v[...] = saved
    return True


def checkpoint_lr(ckpt, default: float) -> float:
    """The learning rate in force at ``ckpt`` (as recorded), else ``default``."""
    state = ckpt.state if isinstance(ckpt.state, dict) else {}
    opt = state.get("optimizer")
    for value in ((opt or {}).get("lr") if isinstance(opt, dict) else None, ckpt.metrics.get("lr")):
        if isinstance(value, (int, float)) and np.isfinite(value):
            return float(value)
    return float(default)


def recorded_snapshot(worker, timeline, step: int, with_confusion: bool = False):
    """The snapshot of ``timeline`` at its checkpoint at or before ``step`` (None if that
    checkpoint does not fit the worker's network)."""
    exp = worker._exp
    ckpt = timeline.at(int(step))
    net = scratch_network(worker)
    if not load_checkpoint(net, ckpt):
        return None
    trainer = None
    if exp.trainer is not None:
        trainer = copy.copy(exp.trainer)  # shares the data and targets; reads only
        trainer.net = net
        trainer.epoch, trainer.step_in_epoch = int(ckpt.epoch), int(ckpt.step_in_epoch)
        trainer.global_step = int(ckpt.step)
    ghost = SimpleNamespace(net=net, data=exp.data, trainer=trainer, settings=exp.settings,
                            optimizer=SimpleNamespace(lr=checkpoint_lr(ckpt, exp.optimizer.lr)))
    loss = ckpt.metrics.get("loss")
    with np.errstate(all="ignore"):
        snap = make_snapshot(ghost, sample_index=worker._sample, grid_size=worker._grid_size,
                             final=True, last_loss=float("nan") if loss is None else float(loss),
                             grid_axes_cache=worker._grid_axes)
        snap.grads = None   # a checkpoint keeps no gradients
        if with_confusion and trainer is not None and trainer.classification and len(exp.data.x_test):
            snap.confusion = trainer.confusion("test")
    snap.recorded_step = int(ckpt.step)
    return snap
