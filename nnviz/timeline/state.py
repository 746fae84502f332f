"""The exact state of a training run, taken and put back between two batches.

:func:`capture_state` copies everything a :class:`~nnviz.core.training.Trainer` needs to go
on bit for bit: the parameters, the layers' buffers (batch-norm running statistics), the
optimizer's state arrays, step counter, learning rate and hyper-parameters, the trainer's
counters, the epoch's order and running statistics, the divergence watch, and the state of
every random generator (the shuffle, the augmentation, the dropout masks). The result is a
nested dict of read-only NumPy arrays and JSON-able values (never a view of the live run);
:func:`restore_state` writes it back into a trainer built from the same settings.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.core.training import EpochResult
from nnviz.i18n import N_

#: The version of the state layout (saved in run files).
STATE_VERSION = 1


def frozen(a) -> np.ndarray:
    """A read-only copy of ``a``."""
    c = np.array(a, copy=True)
    c.flags.writeable = False
    return c


def _generators(trainer) -> list[np.random.Generator]:
    """The dropout layers' generators, each once, in layer order (``build_mlp`` gives every
    layer the same one)."""
    out, seen = [], set()
    for layer in trainer.net.layers:
        drop = getattr(layer, "drop", None)
        if drop is not None and id(drop.rng) not in seen:
            seen.add(id(drop.rng))
            out.append(drop.rng)
    return out


def _bit_state(rng: np.random.Generator) -> dict:
    return rng.bit_generator.state  # a fresh dict of ints and strings each time


def capture_state(trainer, order=None) -> dict:
    """The exact state of ``trainer`` (see the module's text). ``order``: an already frozen copy
    of ``trainer._order`` to share (a timeline passes the one it holds for the epoch)."""
    net, opt = trainer.net, trainer.optimizer
    buffers = {f"{li}.{k}": frozen(v) for li, layer in enumerate(net.layers)
               for k, v in layer.buffers.items()}
    if order is None and trainer._order is not None:
        order = frozen(trainer._order)
    last = trainer.last_epoch
    return {
        "version": STATE_VERSION,
        "params": frozen(net.flat_params),
        "buffers": buffers,
        "optimizer": {
            "name": opt.name, "t": int(opt.t), "lr": float(opt.lr),
            "hyperparameters": {k: v for k, v in opt.hyperparameters.items()},
            "state": {k: frozen(v) for k, v in opt.state.items() if not k.startswith("_")},
        },
        "schedule": {"name": trainer.schedule.name,
                     "options": {k: list(v) if isinstance(v, (list, tuple)) else v
                                 for k, v in trainer.schedule.hyperparameters.items()}},
        "trainer": {
            "epoch": int(trainer.epoch), "step_in_epoch": int(trainer.step_in_epoch),
            "global_step": int(trainer.global_step), "base_lr": float(trainer.base_lr),
            "order": order,
            "loss_sum": float(trainer._loss_sum), "correct": int(trainer._correct),
            "seen": int(trainer._seen), "seconds": float(trainer._seconds),
            "start_loss": trainer.watch.start_loss, "high": int(trainer.watch.high),
            "suspicious": bool(trainer.watch.suspicious),
            "start_weight": float(trainer.watch.start_weight),
            "last_epoch": last.as_dict() if last is not None else None,
            "last_confusion": (frozen(trainer.last_confusion)
                               if trainer.last_confusion is not None else None),
        },
        "rng": {
            "shuffle": _bit_state(trainer.rng),
            "transform": _bit_state(trainer.transform_rng),
            "dropout": [_bit_state(g) for g in _generators(trainer)],
        },
    }


def _set_bits(rng: np.random.Generator, state: dict) -> None:
    rng.bit_generator.state = state


def restore_state(trainer, state: dict) -> None:
    """Put ``state`` (from :func:`capture_state`) back into ``trainer``, built from the same
    settings; training then goes on exactly as it did after the state was taken. The
    optimizer keeps its own class; its state arrays, step count and learning rate are set."""
    net, opt = trainer.net, trainer.optimizer
    params = state["params"]
    if params.shape != net.flat_params.shape:
        raise NNVizError(N_("the recorded state has {n} parameters but the network has {m}"),
                         n=params.size, m=net.flat_params.size)
    np.copyto(net.flat_params, params)
    for li, layer in enumerate(net.layers):
        for k in layer.buffers:
            layer.buffers[k][...] = state["buffers"][f"{li}.{k}"]
    o = state["optimizer"]
    opt.state = {k: np.array(v, copy=True) for k, v in o["state"].items()}
    opt.t = int(o["t"])
    opt.lr = float(o["lr"])
    t = state["trainer"]
    trainer.epoch, trainer.step_in_epoch = int(t["epoch"]), int(t["step_in_epoch"])
    trainer.global_step, trainer.base_lr = int(t["global_step"]), float(t["base_lr"])
    trainer._order = None if t["order"] is None else np.array(t["order"], copy=True)
    trainer._loss_sum, trainer._correct = float(t["loss_sum"]), int(t["correct"])
    trainer._seen, trainer._seconds = int(t["seen"]), float(t["seconds"])
    w = trainer.watch
    w.start_loss = None if t["start_loss"] is None else float(t["start_loss"])
    w.high, w.suspicious = int(t["high"]), bool(t["suspicious"])
    w.start_weight = float(t["start_weight"])
    trainer.last_epoch = EpochResult(**t["last_epoch"]) if t["last_epoch"] is not None else None
    conf = t.get("last_confusion")
    trainer.last_confusion = None if conf is None else np.array(conf, copy=True)
    r = state["rng"]
    _set_bits(trainer.rng, r["shuffle"])
    _set_bits(trainer.transform_rng, r["transform"])
    gens = _generators(trainer)
    if len(gens) != len(r["dropout"]):
        raise NNVizError(N_("the recorded state has {n} dropout generators but the network has {m}"),
                         n=len(r["dropout"]), m=len(gens))
    for g, s in zip(gens, r["dropout"]):
        _set_bits(g, s)


def state_arrays(state: dict) -> list[np.ndarray]:
    """Every array in ``state`` (for counting bytes)."""
    out = []

    def walk(v):
        if isinstance(v, np.ndarray):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(state)
    return out
