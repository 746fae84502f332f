"""``nnviz bench`` (headless): how fast the NumPy engine trains, beside PyTorch when it is installed.

Prints one JSON document (``--json``) or a short table. Figures: seconds for one epoch of
``mnist-fast`` (784-256-128-10, Adam, batch 64, float32) and its test accuracy; batches per
second for small nets; and, if ``import torch`` works, the same MNIST model trained by
PyTorch on the CPU in the same run, with one and with two threads, alternating with nnviz's
epochs (``rounds``), and the ratio of nnviz's time to PyTorch's *best* (its faster thread count:
PyTorch's two OpenMP threads spin and collapse when another process takes a core, which would
flatter nnviz), ``ratio_numpy_over_torch`` (below 1 means nnviz is faster). Timings are of
training only (no evaluation).
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time

import numpy as np


def mnist_or_synthetic():
    """``(dataset, source)``: MNIST if it can be found (no download), else synthetic data of
    the same shape (``source`` says which)."""
    from nnviz.core.errors import NNVizError
    from nnviz.data import load_dataset

    try:
        return load_dataset("mnist", scaling="unit"), "mnist"
    except NNVizError:
        from nnviz.data.base import Dataset

        rng = np.random.default_rng(0)
        x = rng.integers(0, 256, (60000, 784), dtype=np.uint8)
        y = rng.integers(0, 10, 60000)
        return Dataset("synthetic", x, y, x[:10000], y[:10000], n_classes=10, scaling="unit"), "synthetic"


def numpy_mnist_fast(data, epochs=1, seed=0) -> dict:
    from nnviz.experiment import build
    from nnviz.presets import get_preset

    from nnviz.core.parallel import two_cores

    s = get_preset("mnist-fast").settings.replace(seed=seed)
    exp = build(s, data=data)
    times, accs = [], []
    with two_cores():  # headless: both cores, as ``nnviz train``
        for _ in range(epochs):
            res = exp.trainer.run_epoch()
            times.append(res.seconds)
            accs.append(res.test_acc)
    return {"seconds_per_epoch": times, "test_acc": accs, "two_cores": True}


def torch_mnist_fast(data, epochs=1, seed=0, threads: int = 2) -> dict | None:
    try:
        import torch
    except Exception:
        return None
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, min(threads, os.cpu_count() or 1)))
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(m.weight)
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x_all = torch.from_numpy(np.array(data.x_train))  # uint8 (a writable copy), scaled per batch like nnviz
    y_all = torch.from_numpy(np.asarray(data.y_train, dtype=np.int64))
    gen = torch.Generator().manual_seed(seed)
    times, accs = [], []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(len(x_all), generator=gen)
        model.train()
        for s in range(0, len(perm), 64):
            idx = perm[s:s + 64]
            xb = x_all[idx].float().div_(255.0)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), y_all[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        model.eval()
        with torch.no_grad():
            xt = torch.from_numpy(np.array(data.x_test)).float().div_(255.0)
            pred = model(xt).argmax(1).numpy()
        accs.append(float((pred == np.asarray(data.y_test)).mean()))
    return {"seconds_per_epoch": times, "test_acc": accs, "version": torch.__version__,
            "threads": torch.get_num_threads()}


def small_nets(seconds: float = 1.0) -> list[dict]:
    """Batches per second of small setups (the window's typical toy problems), and the CPU time
    of one batch."""
    from nnviz.data.base import Dataset
    from nnviz.experiment import Settings, build

    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, (500, 2))
    y = (np.hypot(x[:, 0], x[:, 1]) < 3).astype(np.int64)
    data = Dataset("circle-like", x[:250], y[:250], x[250:], y[250:], n_classes=2)
    cases = [("2-4-4-1 tanh, batch 10", Settings(hidden=[4, 4], activation="tanh", batch_size=10)),
             ("2-8-8-1 relu, batch 10", Settings(hidden=[8, 8], activation="relu", batch_size=10)),
             ("2-8-8-1 tanh, per-sample", Settings(hidden=[8, 8], activation="tanh", batch_size=1)),
             ("2-4-1 sigmoid, full batch", Settings(hidden=[4], activation="sigmoid", batch_size=None))]
    out = []
    for name, s in cases:
        tr = build(s, data=data).trainer
        tr.train_for(0.05)
        c0 = time.thread_time()
        batches, _, elapsed = tr.train_for(seconds)
        cpu = time.thread_time() - c0
        # cpu_us_per_batch: this thread's CPU time, which a busy machine's waiting does not inflate
        out.append({"net": name, "batches_per_s": round(batches / elapsed, 1),
                    "cpu_us_per_batch": round(1e6 * cpu / max(1, batches), 1)})
    return out


def timed_batches(trainer, seconds: float) -> tuple[int, float, float]:
    """The core's loop (``Trainer.train_for``) timing each ``train_batch`` call: returns
    ``(batches, seconds inside train_batch, wall seconds)``."""
    clock = time.perf_counter
    batches, inside = 0, 0.0
    t0 = clock()
    while clock() - t0 < seconds:
        t = clock()
        r = trainer.train_batch()
        inside += clock() - t
        batches += 1
        if r.epoch_done:
            trainer.finish_epoch()
    return batches, inside, clock() - t0


def run(epochs: int = 1, quick: bool = False, use_torch: bool = True, rounds: int = 2) -> dict:
    result = {"machine": {"python": platform.python_version(), "numpy": np.__version__,
                          "cpus": os.cpu_count(), "platform": platform.platform()},
              "small_nets": small_nets(0.5 if quick else 1.0)}
    if quick:
        return result
    data, source = mnist_or_synthetic()
    result["data"] = source
    mine, theirs = None, {}
    for _ in range(max(1, rounds)):  # alternating, so a change of the machine's load hits all arms
        m = numpy_mnist_fast(data, epochs)
        mine = m if mine is None else _merged(mine, m)
        for threads in ((2, 1) if use_torch else ()):
            t = torch_mnist_fast(data, epochs, threads=threads)
            if t is not None:
                key = f"threads_{t['threads']}"
                theirs[key] = t if key not in theirs else _merged(theirs[key], t)
    result["mnist_fast_numpy"] = mine
    if theirs:
        best = min(theirs.values(), key=lambda t: min(t["seconds_per_epoch"]))
        result["mnist_fast_torch"] = theirs
        result["torch_best_threads"] = best["threads"]
        result["ratio_numpy_over_torch"] = round(min(mine["seconds_per_epoch"])
                                                 / min(best["seconds_per_epoch"]), 3)
    return result


def _merged(a: dict, b: dict) -> dict:
    """Two runs' figures as one (their lists of seconds and accuracies joined)."""
    out = dict(a)
    for k in ("seconds_per_epoch", "test_acc"):
        out[k] = list(a[k]) + list(b[k])
    return out


def main(args) -> int:
    res = run(epochs=args.epochs, quick=args.quick, use_torch=not args.no_torch)
    if args.json:
        print(json.dumps(res, indent=1))
        return 0
    for row in res["small_nets"]:
        print(f"{row['net']:<28} {row['batches_per_s']:>10.1f} batches/s")
    if "mnist_fast_numpy" in res:
        m = res["mnist_fast_numpy"]
        print(f"mnist-fast ({res['data']}), NumPy: {min(m['seconds_per_epoch']):.2f} s/epoch, "
              f"test acc {m['test_acc'][-1]:.4f}")
        if "mnist_fast_torch" in res:
            for t in res["mnist_fast_torch"].values():
                print(f"mnist-fast, PyTorch {t['version']} ({t['threads']} thread{'s' if t['threads'] > 1 else ''}): "
                      f"{min(t['seconds_per_epoch']):.2f} s/epoch, test acc {t['test_acc'][-1]:.4f}")
            r = res["ratio_numpy_over_torch"]
            print(f"nnviz ÷ PyTorch's best: {r:.2f}× the time "
                  f"({'nnviz faster' if r < 1 else 'PyTorch faster'})")
        else:
            print("PyTorch is not installed: no comparison (pip install torch to add one)", file=sys.stderr)
    return 0
