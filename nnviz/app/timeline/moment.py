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
            snap.confusion = known_confusion(worker, timeline, ckpt)
            if snap.confusion is None:
                snap.confusion = trainer.confusion("test")
                _remember(worker, timeline, ckpt, snap.confusion)
    snap.recorded_step = int(ckpt.step)
    return snap


#: Confusion matrices of recorded moments the worker keeps (they are small).
CONFUSION_CACHE = 512


def known_confusion(worker, timeline, ckpt):
    """The test set's matrix at ``ckpt`` without counting it: counted before, or the one its
    epoch's end counted (a checkpoint taken at an epoch's end holds it); else None."""
    cache = getattr(worker, "_confusions", None)
    got = None if cache is None else cache.get((id(timeline), int(ckpt.step)))
    if got is not None and got[0] is timeline:
        return got[1]
    if int(ckpt.step_in_epoch) == 0 and int(ckpt.epoch) > 0 and "test_acc" in ckpt.metrics:
        t = ckpt.state.get("trainer", {})
        last = t.get("last_epoch") or {}
        conf = t.get("last_confusion")
        if conf is not None and last.get("epoch") == int(ckpt.epoch):
            return np.array(conf)
    return None


def _remember(worker, timeline, ckpt, conf) -> None:
    cache = getattr(worker, "_confusions", None)
    if cache is None:
        cache = worker._confusions = {}
    if len(cache) >= CONFUSION_CACHE:
        cache.pop(next(iter(cache)))
    cache[(id(timeline), int(ckpt.step))] = (timeline, conf)


def count_confusion(trainer, stop):
    """``trainer.confusion("test")`` counted in chunks; None as soon as ``stop()`` (a newer
    request waits)."""
    data = trainer.data
    y = np.asarray(data.y_test, dtype=np.int64)
    k = max(int(data.n_classes), 2)
    counts = np.zeros(k * k, np.int64)
    n, step = len(data.x_test), max(1, int(trainer.eval_batch))
    for s in range(0, n, step):
        if stop():
            return None
        with np.errstate(all="ignore"):
            out = trainer.net.forward(data.inputs(data.x_test[s:s + step], dtype=trainer.net.dtype))
        counts += np.bincount(y[s:s + step] * k + trainer.predict_labels(out), minlength=k * k)
    return counts.reshape(k, k)


def recorded_moment(worker, timeline, step: int, with_confusion: bool, stop):
    """The snapshots that show a recorded moment: its picture at once (with the confusion
    matrix when it costs nothing), then, if the matrix is wanted and must be counted, the
    same snapshot with it (``recorded_followup``) unless ``stop()`` says a newer request waits."""
    snap = recorded_snapshot(worker, timeline, step, False)
    if snap is None:
        return
    exp = worker._exp
    trainer = exp.trainer
    ckpt = timeline.at(int(step))
    count = with_confusion and trainer is not None and trainer.classification and len(exp.data.x_test)
    if count:
        snap.confusion = known_confusion(worker, timeline, ckpt)
    yield snap
    if not count or snap.confusion is not None or stop():
        return
    net = scratch_network(worker)   # (still holds the moment's parameters)
    ghost = copy.copy(trainer)
    ghost.net = net
    conf = count_confusion(ghost, stop)
    if conf is None:
        return
    _remember(worker, timeline, ckpt, conf)
    import dataclasses
    yield dataclasses.replace(snap, confusion=conf, recorded_followup=True)
