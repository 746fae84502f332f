"""``python -m nnviz.bench.landscape``: how fast the loss landscape is computed (issue 22).

Prints one JSON object. Figures:

* ``mnist``: a 784-100-10 network (softmax, cross-entropy, float32; the ``mnist-fast`` setup
  with ``--layers 784,100,10``) trained one epoch, then a 31 × 31 grid of random
  filter-normalised directions on a 1 000-sample subset of the training set (target ≤ 10 s);
* ``small``: live recomputation for small networks — surfaces per second of a 2-8-8-1 network on
  ``circle`` (105 parameters, its 250 training points) at 25 × 25, and of a 2-24-24-1 network
  (~700 parameters) at 25 × 25 (target ≥ 2 per second);
* ``xor``: XOR's 2-4-1 at 41 × 41.

MNIST is read from where ``nnviz`` finds it (``NNVIZ_DATA_DIR``); without it, synthetic data
of the same shape is used and ``source`` says so. ``--quick`` skips the MNIST figure.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time


def _timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def mnist_figure(subset: int = 1000, grid: int = 31) -> dict:
    from nnviz.bench.headless import mnist_or_synthetic
    from nnviz.experiment import build
    from nnviz.landscape import PlaneLoss, compute_surface, make_directions, subset_rows
    from nnviz.presets import get_preset

    data, source = mnist_or_synthetic()
    s = get_preset("mnist-fast").settings.replace(hidden=[100])
    exp = build(s, data=data)
    t0 = time.perf_counter()
    exp.trainer.run_epoch()
    train_s = time.perf_counter() - t0
    net = exp.net
    t_start = time.perf_counter()
    rows = subset_rows(len(data.x_train), subset, seed=0)
    x = data.inputs(data.x_train[rows], dtype=net.dtype)
    t = exp.trainer.t_train[rows]
    d = make_directions(net, "random", seed=0)
    surf = compute_surface(net, x, t, d, span=1.0, grid=grid, evaluator=PlaneLoss(net, x, t))
    total = time.perf_counter() - t_start
    return {"source": source, "sizes": net.sizes, "params": net.n_params, "dtype": net.dtype_name,
            "subset": subset, "grid": grid, "points": grid * grid, "train_epoch_seconds": round(train_s, 3),
            "seconds": round(total, 3), "surface_seconds": round(surf.seconds, 3),
            "center_loss": surf.center_loss, "min_loss": float(surf.loss.min()),
            "max_loss": float(surf.loss.max()), "target_seconds": 10.0, "ok": total <= 10.0}


def small_figure(name: str, settings_changes: dict, grid: int, epochs: int = 5) -> dict:
    from nnviz.experiment import build
    from nnviz.landscape import PlaneLoss, compute_surface, make_directions
    from nnviz.presets import get_preset, preset_data

    preset = get_preset(settings_changes.pop("preset", "xor"))
    s = preset.settings.replace(**settings_changes)
    exp = build(s, data=preset_data(preset, s))
    for _ in range(epochs):
        exp.trainer.run_epoch()
    net = exp.net
    x = exp.data.inputs(exp.data.x_train, dtype=net.dtype)
    t = exp.trainer.t_train
    d = make_directions(net, "random", seed=0)
    # what one live update does: a new evaluator (the network moved) and the whole grid
    secs = _timed(lambda: compute_surface(net, x, t, d, span=1.0, grid=grid,
                                          evaluator=PlaneLoss(net, x, t)), repeat=5)
    return {"name": name, "sizes": net.sizes, "params": net.n_params, "samples": len(x),
            "grid": grid, "seconds": round(secs, 4), "per_second": round(1.0 / secs, 2),
            "target_per_second": 2.0, "ok": 1.0 / secs >= 2.0}


def run(quick: bool = False) -> dict:
    out = {"python": platform.python_version(), "machine": platform.machine(),
           "cpus": os.cpu_count()}
    out["small"] = [
        small_figure("circle 2-8-8-1", {"preset": "network-2-2-1", "dataset": "circle", "weights": None,
                                        "hidden": [8, 8], "activation": "tanh", "loss": "bce",
                                        "output_activation": "sigmoid", "data_options": {}}, 25),
        small_figure("circle 2-24-24-1", {"preset": "network-2-2-1", "dataset": "circle", "weights": None,
                                          "hidden": [24, 24], "activation": "tanh", "loss": "bce",
                                          "output_activation": "sigmoid", "data_options": {}}, 25),
        small_figure("xor 2-4-1", {"preset": "xor"}, 41),
    ]
    if not quick:
        out["mnist"] = mnist_figure()
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(run(quick="--quick" in argv), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
