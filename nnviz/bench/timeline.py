"""The timeline's costs on ``mnist-fast``: ``python -m nnviz.bench.timeline --json``.

Trains ``mnist-fast`` for ``--epochs`` (5) epochs recording every batch into a
:class:`~nnviz.timeline.Timeline` with the default budget (256 MB), and reports the timeline's
memory (at the end and at its peak), the time recording took, the run file's size and the
time to write and read it, and the time to branch at a step between two checkpoints (the
newest checkpoint restored, the batches up to the step replayed). Needs MNIST
(``NNVIZ_DATA_DIR``).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time

import numpy as np

MB = 2**20


def _machine() -> dict:
    return {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
            "platform": platform.platform()}


def record(settings, data, budget: int, preset: str):
    """Train ``settings`` to its end with a timeline; ``(experiment, timeline, figures)``."""
    from nnviz.experiment import build
    from nnviz.timeline import Timeline

    exp = build(settings, data=data)
    tr = exp.trainer
    tl = Timeline(budget, settings=settings, preset=preset)
    rec_s = train_s = 0.0
    peak = 0
    t0 = time.perf_counter()
    tl.record(tr, force=True)
    rec_s += time.perf_counter() - t0
    while tr.epoch < settings.epochs:
        t0 = time.perf_counter()
        r = tr.train_batch()
        res = tr.finish_epoch() if r.epoch_done else None
        t1 = time.perf_counter()
        tl.record(tr, r.loss, epoch_result=res, force=tr.epoch >= settings.epochs)
        t2 = time.perf_counter()
        train_s += t1 - t0
        rec_s += t2 - t1
        peak = max(peak, tl.nbytes)
    n = tr.global_step
    return exp, tl, {
        "batches": n, "checkpoints": len(tl), "stride": tl.stride,
        "params": int(exp.net.n_params), "budget_mb": round(budget / MB, 1),
        "memory_mb": round(tl.nbytes / MB, 2), "peak_memory_mb": round(peak / MB, 2),
        "train_seconds": round(train_s, 2), "record_seconds": round(rec_s, 3),
        "record_ms_per_batch": round(1000 * rec_s / max(n, 1), 4),
        "record_overhead_percent": round(100 * rec_s / max(train_s, 1e-9), 2),
        "test_acc": tl.epochs[-1]["test_acc"] if tl.epochs else None,
    }


def file_figures(exp, settings, tl) -> dict:
    from nnviz.timeline import load_run, save_run

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "run.npz")
        t0 = time.perf_counter()
        save_run(path, exp.net, settings, tl)
        t1 = time.perf_counter()
        rf = load_run(path)
        t2 = time.perf_counter()
        size = os.path.getsize(path)
        deflated = _deflated_size(path)
        same = all(np.array_equal(a.params, b.params)
                   for a, b in zip(tl.checkpoints(), rf.timeline.checkpoints()))
    return {"file_mb": round(size / MB, 2), "deflated_mb": deflated["mb"],
            "deflate_seconds": deflated["seconds"], "save_seconds": round(t1 - t0, 3),
            "load_seconds": round(t2 - t1, 3), "reopens_identical": bool(same)}


def _deflated_size(path) -> dict:
    """The size the same archive would have with every entry deflated (``np.savez_compressed``
    writes that), and the time deflating took: is compression worth it?"""
    import zlib
    import zipfile

    total, t0 = 0, time.perf_counter()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            with zf.open(info) as f:
                while chunk := f.read(1 << 20):
                    total += len(c.compress(chunk))
            total += len(c.flush()) + 30 + 2 * len(info.filename) + 46   # (zip headers)
    return {"mb": round(total / MB, 2), "seconds": round(time.perf_counter() - t0, 2)}


def branch_figures(tl, data, repeat: int = 3) -> dict:
    """Branch in the widest gap between two checkpoints: at its middle and just before its end."""
    from nnviz.timeline import branch

    steps = tl.steps()
    gaps = np.diff(steps)
    i = int(np.argmax(gaps))
    lo, hi = int(steps[i]), int(steps[i + 1])
    out = {"gap": [lo, hi]}
    for label, step in (("middle", (lo + hi) // 2), ("worst", hi - 1)):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            exp = branch(tl, step, data=data)
            times.append(time.perf_counter() - t0)
            assert exp.trainer.global_step == step
        out[label] = {"step": step, "replayed_batches": step - lo,
                      "seconds": round(min(times), 4)}
    t0 = time.perf_counter()
    branch(tl, lo, data=data)
    out["at_checkpoint_seconds"] = round(time.perf_counter() - t0, 4)
    return out


def run(epochs: int = 5, budget_mb: float = 256) -> dict:
    from nnviz.experiment import load_data
    from nnviz.presets import get_preset

    s = get_preset("mnist-fast").settings.replace(epochs=epochs)
    data = load_data(s)
    exp, tl, rec = record(s, data, int(budget_mb * MB), "mnist-fast")
    return {"machine": _machine(), "preset": "mnist-fast", "epochs": epochs, "timeline": rec,
            "file": file_figures(exp, s, tl), "branch": branch_figures(tl, data)}


def main(argv=None) -> int:
    from nnviz.core.errors import NNVizError

    p = argparse.ArgumentParser(prog="python -m nnviz.bench.timeline",
                                description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=5, help="epochs of mnist-fast (default 5)")
    p.add_argument("--budget", type=float, default=256, metavar="MB", help="timeline budget in MB")
    p.add_argument("--json", action="store_true", help="one JSON document (the default output too)")
    args = p.parse_args(argv)
    if args.epochs < 1 or not args.budget > 0:
        p.error("--epochs must be at least 1 and --budget above 0")
    try:
        doc = run(args.epochs, args.budget)
    except NNVizError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    print(json.dumps(doc, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
