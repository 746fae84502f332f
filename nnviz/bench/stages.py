"""Where one training epoch's time goes: ``python -m nnviz.bench.stages [batches] [--two-cores]``.

Drives a ``mnist-fast`` network through the same steps ``Trainer.train_batch`` takes, calling the
core's own public pieces one by one (nothing is patched or replaced) and timing each in a
:class:`StageStats`: batching (indices, gather, scaling, targets), every layer's product
(``x·W + b``), activation, loss, the backward pass (fused output delta, per-layer products) and
the optimizer. The sum is compared with ``Trainer.train_batch`` on the same setup, so what the
stages leave out (the trainer's bookkeeping, Python calls) shows as ``python_and_rest``.
"""
from __future__ import annotations

import json
import sys
import time

import numpy as np


def _matmul(a, b):
    try:  # the headless two-core split when it exists (and is on)
        from nnviz.core.parallel import matmul
    except ImportError:  # (an older tree, for a before/after comparison)
        return a @ b
    return matmul(a, b)


class StageStats:
    """Seconds per named stage, summed over calls."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.batches = 0

    def add(self, name: str, dt: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + dt

    def per_batch_us(self) -> dict[str, float]:
        n = max(1, self.batches)
        return {k: round(1e6 * v / n, 1) for k, v in self.seconds.items()}


def _stage_batch(tr, stats: StageStats, clock=time.perf_counter) -> None:
    net, opt = tr.net, tr.optimizer
    t = clock()
    idx = tr.next_batch_indices()
    x_raw = tr.data.x_train[idx]
    x = tr.data.inputs(x_raw, dtype=net.dtype)
    tt = tr.t_train[idx]
    t1 = clock()
    stats.add("batching", t1 - t)
    a = x
    for i, layer in enumerate(net.layers):
        t = clock()
        z = _matmul(a, layer.params["W"])
        z += layer.params["b"]
        t1 = clock()
        a = layer.activation.forward(z)
        t2 = clock()
        layer.x, layer.z, layer.z_lin, layer.a, layer.a_act = (x if i == 0 else net.layers[i - 1].a), z, z, a, a
        stats.add(f"forward_product_{i}", t1 - t)
        stats.add("activations", t2 - t1)
    t = clock()
    loss = net.loss_value(a, tt)
    delta = net.loss.delta_logits(a, tt) if net.fused_output() else None
    dout = net.loss.backward(a, tt) if delta is None else None
    stats.add("loss", clock() - t)
    n = len(net.layers)
    for i in range(n - 1, -1, -1):
        layer = net.layers[i]
        if delta is None or i < n - 1:
            t = clock()
            delta = layer.activation.backward(layer.z, layer.a_act, dout)
            stats.add("activations", clock() - t)
        t = clock()
        dout = layer.backward_delta(delta, need_dx=i > 0)
        stats.add(f"backward_product_{i}", clock() - t)
    t = clock()
    float(np.add.reduce(net.flat_grads))  # the finiteness check
    opt.t += 1
    opt._update(net.flat_params, net.flat_grads)
    stats.add("optimizer", clock() - t)
    tr.step_in_epoch += 1
    if tr.step_in_epoch >= tr.steps_per_epoch:
        tr.step_in_epoch = 0
    stats.batches += 1
    return loss


def run(batches: int = 600) -> dict:
    from nnviz.bench.headless import mnist_or_synthetic
    from nnviz.experiment import build
    from nnviz.presets import get_preset

    data, source = mnist_or_synthetic()
    s = get_preset("mnist-fast").settings
    staged, whole = build(s, data=data).trainer, build(s, data=data).trainer
    stats = StageStats()
    for _ in range(20):
        _stage_batch(staged, StageStats())
        whole.train_batch()
    whole_s = 0.0
    with np.errstate(all="ignore"):
        for block in range(6):  # alternating blocks: the machine's speed drifts
            for _ in range(batches // 6):
                _stage_batch(staged, stats)
            t = time.perf_counter()
            for _ in range(batches // 6):
                whole.train_batch()
            whole_s += time.perf_counter() - t
    per = stats.per_batch_us()
    staged_total = sum(per.values())
    whole_us = 1e6 * whole_s / stats.batches
    return {"data": source, "batches": stats.batches, "train_batch_us": round(whole_us, 1),
            "stages_us": per, "stages_total_us": round(staged_total, 1),
            "python_and_rest_us": round(whole_us - staged_total, 1),
            "epoch_s_estimate": round(whole_us * staged.steps_per_epoch / 1e6, 3)}


def main(argv) -> None:
    """``python -m nnviz.bench.stages [batches] [--two-cores]``."""
    batches = int(next((a for a in argv if a.isdigit()), 600))
    if "--two-cores" in argv:
        from nnviz.core.parallel import two_cores
        with two_cores():
            res = run(batches)
        res["two_cores"] = True
    else:
        res = run(batches)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
