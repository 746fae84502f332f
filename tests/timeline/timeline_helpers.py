"""Shared by the timeline tests: record a run, continue a branch to the end, tiny image data."""
from __future__ import annotations

import threading

import numpy as np

from nnviz.experiment import build
from nnviz.timeline import Timeline


def record_run(settings, data=None, budget=256 * 2**20, preset=None):
    """Train ``settings`` to its last epoch, recording every batch; ``(exp, timeline)``."""
    exp = build(settings, data=data)
    tl = Timeline(budget, settings=settings, preset=preset)
    tr = exp.trainer
    tl.record(tr, force=True)
    while tr.epoch < settings.epochs:
        r = tr.train_batch()
        res = tr.finish_epoch() if r.epoch_done else None
        tl.record(tr, r.loss, epoch_result=res, force=tr.epoch >= settings.epochs)
    return exp, tl


def record_while_reading(trainer, timeline, epochs: int, look) -> list:
    """Train ``trainer`` to ``epochs``, recording every batch into ``timeline``, while another
    thread calls ``look()`` over and over; what it raised (it stops at the first)."""
    stop, problems = threading.Event(), []

    def read():
        while not stop.is_set():
            try:
                look()
            except Exception as exc:  # noqa: BLE001 - reported to the test
                problems.append(exc)
                return
    t = threading.Thread(target=read)
    t.start()
    try:
        while trainer.epoch < epochs:
            r = trainer.train_batch()
            res = trainer.finish_epoch() if r.epoch_done else None
            timeline.record(trainer, r.loss, res)
    finally:
        stop.set()
        t.join()
    return problems


def finish(exp) -> list[dict]:
    """Train ``exp`` to its settings' last epoch; the epochs it closed (``seconds`` left out)."""
    tr, out = exp.trainer, []
    while tr.epoch < exp.settings.epochs:
        r = tr.train_batch()
        if r.epoch_done:
            out.append(tr.finish_epoch().as_dict())
    return [without_seconds(d) for d in out]


def without_seconds(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "seconds"}


def tiny_images(n_train=48, n_test=16, side=8, seed=3):
    """A small image dataset (three classes of ``side``×``side`` uint8 pictures)."""
    from nnviz.data.base import Dataset

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(n_train + n_test, side * side), dtype=np.uint8)
    y = rng.integers(0, 3, size=n_train + n_test).astype(np.int64)
    return Dataset("tiny-images", x[:n_train], y[:n_train], x[n_train:], y[n_train:], n_classes=3,
                   scaling="unit", image_shape=(side, side), class_names=["a", "b", "c"])
