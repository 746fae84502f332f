"""How long the network diagram takes per frame (``measure_redraw``) and whether its paint
leaves Python running (``paint_gil_check``), through its public names only: ``NetworkDiagram``,
``set_network``, ``update_snapshot`` and ``.view``.

Run as ``python -m nnviz.bench.diagram 2 8 8 1`` (offscreen); used by ``nnviz bench --gui``.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

from nnviz.app.training.state import Snapshot


def default_activations(sizes) -> list[str]:
    """tanh hidden layers; sigmoid for one output, softmax for several."""
    n = len(sizes) - 1
    return ["tanh"] * (n - 1) + ["sigmoid" if sizes[-1] == 1 else "softmax"]


def random_snapshot(sizes, rng: np.random.Generator, grid_size: int | None = None,
                    image_shape=None) -> Snapshot:
    """A plausible snapshot for a dense net of ``sizes`` with random weights and activations."""
    sizes = [int(s) for s in sizes]
    acts = default_activations(sizes)
    weights, grads, z, a, delta = [], [], [], [], []
    if image_shape is not None:
        h, w = image_shape
        yy, xx = np.mgrid[0:h, 0:w]
        cy, cx = rng.uniform(0.35, 0.65, 2) * (h, w)
        ring = np.abs(np.hypot((yy - cy) / (0.3 * h), (xx - cx) / (0.22 * w)) - 1.0) < 0.25
        x = np.clip(ring * rng.uniform(0.7, 1.0, (h, w)), 0, 1).ravel()
    else:
        x = rng.uniform(-1, 1, sizes[0])
    prev = x
    for k in range(len(sizes) - 1):
        W = rng.normal(0, 1.0 / np.sqrt(sizes[k]), (sizes[k], sizes[k + 1]))
        b = rng.normal(0, 0.3 if sizes[k] < 50 else 0.03, sizes[k + 1])
        weights.append((W, b))
        grads.append((rng.normal(0, 0.01, W.shape), rng.normal(0, 0.01, b.shape)))
        zz = prev @ W + b
        if acts[k] == "tanh":
            aa = np.tanh(zz)
        elif acts[k] == "sigmoid":
            aa = 1 / (1 + np.exp(-zz))
        else:
            e = np.exp(zz - zz.max())
            aa = e / e.sum()
        z.append(zz)
        a.append(aa)
        delta.append(rng.normal(0, 0.05, sizes[k + 1]))
        prev = aa
    grid = None
    if grid_size and sizes[0] == 2:
        xs = ys = np.linspace(-1, 1, grid_size)
        gx, gy = np.meshgrid(xs, ys)
        pts = np.column_stack([gx.ravel(), gy.ravel()])
        units, h = [], pts
        for k, (W, b) in enumerate(weights):
            zz = h @ W + b
            h = np.tanh(zz) if acts[k] == "tanh" else 1 / (1 + np.exp(-zz))
            units.append(h.T.reshape(sizes[k + 1], grid_size, grid_size))
        grid = {"xs": xs, "ys": ys, "units": units, "output": units[-1][0]}
    return Snapshot(weights=weights, grads=grads, x=x, z=z, a=a, delta=delta, grid=grid,
                    target=np.zeros(sizes[-1]))


def _shown_diagram(sizes):
    """A 1200×800 diagram of ``sizes`` on screen (offscreen unless a display is set); a 784-input
    net gets a 28×28 image input. Returns ``(app, diagram, sizes, image_shape)``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nnviz.app.diagram import NetworkDiagram

    app = QApplication.instance() or QApplication(sys.argv[:1])
    sizes = [int(s) for s in sizes]
    image_shape = (28, 28) if sizes[0] == 784 else None
    w = NetworkDiagram()
    w.resize(1200, 800)
    w.set_network(sizes, default_activations(sizes), image_shape=image_shape)
    w.show()
    app.processEvents()
    return app, w, sizes, image_shape


def drifting_snapshots(sizes, rng: np.random.Generator, n: int, grid_size: int | None = None,
                       image_shape=None, step: float = 0.003) -> list:
    """``n`` snapshots of a network in training: one random snapshot whose weights, activations
    and grid values then move a little (``step``, relative to their spread) from one to the next."""
    snap = random_snapshot(sizes, rng, grid_size, image_shape)
    out = [snap]
    for _ in range(n - 1):
        move = lambda v: v + rng.normal(0, step * (float(np.std(v)) or 1.0), np.shape(v))   # noqa: E731
        grid = snap.grid
        if grid is not None:
            grid = dict(grid, units=[np.clip(move(u), -1, 1) for u in grid["units"]])
        snap = Snapshot(weights=[(move(W), move(b)) for W, b in snap.weights], grads=snap.grads, x=snap.x,
                        z=snap.z, a=[np.clip(move(a), 0 if k == len(snap.a) - 1 else -1, 1) for k, a in enumerate(snap.a)],
                        delta=snap.delta, grid=grid, target=snap.target)
        out.append(snap)
    return out


def measure_redraw(sizes, n: int = 30, grid_size: int | None = 40, blocks: int = 3, drift: bool = False) -> dict:
    """Milliseconds of ``update_snapshot`` + a paint of a 1200×800 diagram, in ``blocks`` runs of
    ``n`` frames.

    A 784-input net is drawn with a 28×28 image input; a 2-input net gets a ``grid_size``² heatmap
    per neuron (None: no heatmaps). ``median_ms`` is the lowest of the blocks' medians: on a
    shared machine a burst of other work slows one block, not what the diagram costs
    (``median_all_ms`` and ``p95_ms`` are over every frame); ``cpu_median_ms`` is the same in the
    UI thread's CPU time (``time.thread_time``), which waiting for a busy machine's cores does not
    inflate; ``update_cpu_median_ms`` is the UI thread's CPU time in ``update_snapshot`` alone (what
    the training worker waits for). ``drift``: the frames show a network in training (weights moving
    a little from frame to frame, :func:`drifting_snapshots`) instead of 8 unrelated random ones.
    Returns ``{"sizes", "n",
    "median_ms", "median_all_ms", "block_medians_ms", "p95_ms", "update_median_ms",
    "paint_median_ms"}``.
    """
    app, w, sizes, image_shape = _shown_diagram(sizes)
    rng = np.random.default_rng(0)
    if drift:
        snaps = drifting_snapshots(sizes, rng, max(1, blocks) * (n + 3), grid_size, image_shape)
    else:
        snaps = [random_snapshot(sizes, rng, grid_size, image_shape) for _ in range(min(n, 8))]
    vp = w.view.viewport()
    upd, paint, medians, cpu_medians, upd_cpu = [], [], [], [], []
    frame = 0
    wall, cpu_clock = time.perf_counter, time.thread_time
    for _ in range(max(1, blocks)):
        block, cpu_block = [], []
        for k in range(n + 3):
            s = snaps[frame % len(snaps)]
            frame += 1
            c0, t0 = cpu_clock(), wall()
            w.update_snapshot(s)
            t1, c1 = wall(), cpu_clock()
            vp.repaint()
            t2, c2 = wall(), cpu_clock()
            if k >= 3:  # warm-up frames fill the symbol atlas
                upd_cpu.append(c1 - c0)
                upd.append(t1 - t0)
                paint.append(t2 - t1)
                block.append(t2 - t0)
                cpu_block.append(c2 - c0)
        medians.append(float(np.median(block) * 1e3))
        cpu_medians.append(float(np.median(cpu_block) * 1e3))
    tot = np.array(upd) + np.array(paint)
    w.close()
    w.deleteLater()
    app.processEvents()
    return {"sizes": sizes, "n": n, "median_ms": min(medians), "median_all_ms": float(np.median(tot) * 1e3),
            "block_medians_ms": [round(m, 2) for m in medians], "p95_ms": float(np.percentile(tot, 95) * 1e3),
            "cpu_median_ms": min(cpu_medians), "cpu_block_medians_ms": [round(m, 2) for m in cpu_medians],
            "update_median_ms": float(np.median(upd) * 1e3), "paint_median_ms": float(np.median(paint) * 1e3),
            "update_cpu_median_ms": float(np.median(upd_cpu) * 1e3)}


def paint_gil_check(sizes, seconds: float = 1.0) -> dict:
    """How much a Python thread keeps running while the diagram repaints non-stop.

    A thread counts in a pure-Python loop (it needs the GIL for every step) while the event loop
    repaints a ``sizes`` diagram as fast as it can, then while the event loop idles. A ratio near
    1 means Qt painted the diagram without taking the GIL, i.e. in parallel with training.
    Returns ``{"frames_per_s", "python_thread_rate_ratio"}``.
    """
    import threading

    from PySide6.QtCore import QEventLoop, QTimer

    app, w, sizes, image_shape = _shown_diagram(sizes)
    w.update_snapshot(random_snapshot(sizes, np.random.default_rng(0), 40, image_shape))
    app.processEvents()
    count, stop = [0], [False]

    def spin():
        while not stop[0]:
            count[0] += 1

    frames = [0]

    def tick():
        w.view.viewport().update()
        frames[0] += 1

    def run(paint: bool) -> tuple[float, float]:
        timer = QTimer()
        timer.timeout.connect(tick)
        if paint:
            timer.start(0)
        c0, f0, t0 = count[0], frames[0], time.perf_counter()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        timer.stop()
        dt = time.perf_counter() - t0
        return (count[0] - c0) / dt, (frames[0] - f0) / dt

    th = threading.Thread(target=spin, daemon=True)
    th.start()
    try:
        idle1, _ = run(False)
        busy, fps = run(True)
        idle2, _ = run(False)
    finally:
        stop[0] = True
        th.join()
        w.close()
        w.deleteLater()
        app.processEvents()
    return {"sizes": sizes, "frames_per_s": round(fps, 1),
            "python_thread_rate_ratio": round(busy / max(1e-9, (idle1 + idle2) / 2), 3)}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:] if a != "--drift"] or [2, 8, 8, 1]
    r = measure_redraw(args, drift="--drift" in sys.argv)
    sys.stdout.write(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()) + "\n")
