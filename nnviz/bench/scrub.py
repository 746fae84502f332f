"""The timeline in the window (issue 20): what recording costs training, and how fast scrubbing redraws.

``python -m nnviz.bench.scrub [--quick]`` prints one JSON document:

* ``recording``: batches per second of the training worker on the toy net (2-4-4-1, batch 10,
  the window's first problem) without and with a timeline recording every batch, measured in
  interleaved blocks (the median of the per-pair ratios), and the timeline's size at the end.
  Early in a run checkpoints are densest (every step for 64 steps, then every 16th); ``recording_small_budget``
  (4 MB) shows a timeline that has begun to thin out, as every run's does later. Target: at least 0.9.
* ``scrub``: the window (offscreen) on 784-100-10 (MNIST if it is found, else synthetic data of
  its shape) after some training; each frame is the time from ``model.scrub.show(step)`` to the
  recorded moment drawn everywhere (the worker's snapshot on the scratch network, the frame,
  and the diagram's paint). Target: at most 50 ms a frame.
"""
from __future__ import annotations

import json
import statistics
import sys
import time


def _worker(record: bool, budget: int | None = None):
    from nnviz.app.experimentinfo import DEFAULT_SETTINGS
    from nnviz.app.training import commands as cmd
    from nnviz.app.training.worker import RUNNING, TrainingWorker
    from nnviz.experiment import build
    from nnviz.timeline import Timeline

    w = TrainingWorker(build(DEFAULT_SETTINGS.replace(epochs=10**6)))
    tl = None
    if record:
        if budget is None:   # the window's budget (Timeline.nbytes counts every object)
            from nnviz.app.timeline.scrub import DEFAULT_BUDGET_MB
            budget = DEFAULT_BUDGET_MB * 2**20
        tl = Timeline(budget, DEFAULT_SETTINGS)
        w._on_record_timeline(cmd.RecordTimeline(tl))
    w._state = RUNNING
    return w, tl


def _block(w, seconds: float) -> float:
    start, t0 = w.stats.batches, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        w._run_burst()
    return (w.stats.batches - start) / (time.perf_counter() - t0)


def recording_overhead(block: float = 0.5, pairs: int = 6, budget: int | None = None) -> dict:
    plain, _tl = _worker(False)
    rec, tl = _worker(True, budget)
    _block(plain, block / 4), _block(rec, block / 4)   # (warm both: the dense start is recorded)
    rows = []
    for i in range(pairs):   # ABBA: a drift of the machine's speed favours neither arm
        if i % 2:
            r = _block(rec, block)
            rows.append((_block(plain, block), r))
        else:
            rows.append((_block(plain, block), _block(rec, block)))
    ratios = [r / p for p, r in rows]
    return {"net": "2-4-4-1 tanh, batch 10 (circle)", "pairs": pairs, "block_s": block,
            "plain_batches_per_s": round(statistics.median(p for p, _r in rows)),
            "recording_batches_per_s": round(statistics.median(r for _p, r in rows)),
            "ratio_recording_over_plain": round(statistics.median(ratios), 3),
            "budget_bytes": tl.budget_bytes, "checkpoints": len(tl), "timeline_nbytes": tl.nbytes,
            "steps": int(tl.last_step)}


def _mnist_settings():
    from nnviz.app.experimentinfo import DEFAULT_SETTINGS
    from nnviz.bench.headless import mnist_or_synthetic
    from nnviz.presets import settings_for_dataset

    data, source = mnist_or_synthetic()
    s = settings_for_dataset(DEFAULT_SETTINGS, "mnist").replace(hidden=[100], epochs=1000)
    return s, data, source


def scrub_redraw(frames: int = 30, train_s: float = 4.0, confusion: bool = False) -> dict:
    """``confusion``: with the confusion matrix's tab in front (each moment then also counts
    the matrix over the 10 000 test images on the scratch network, sent after the picture)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nnviz.app.window.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    s, data, source = _mnist_settings()
    win = MainWindow(None, qsettings=QSettings("/tmp/nnviz-bench-scrub.ini", QSettings.IniFormat), restore=False)
    win.model.confirm_discard = lambda: True
    win.resize(1366, 768)
    win.show()
    win.model.install_data(s, data)

    def wait(cond, timeout=60.0):
        end = time.perf_counter() + timeout
        while not cond():
            app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError("the window did not answer")
            time.sleep(0.001)

    wait(lambda: win.model.info is not None and win.model.info.sizes == [784, 100, 10]
         and win.model.last_snapshot is not None)
    win.model.play()
    t = time.perf_counter()
    wait(lambda: time.perf_counter() - t > train_s)
    win.model.pause()
    wait(lambda: win.model.state == "paused")
    if confusion:
        win.confusion_dock.show()
        win.confusion_dock.raise_()
        wait(lambda: win.confusion.isVisible())
    run = win.model.scrub.current_run()
    steps = run.timeline.steps()
    got = {}
    def on_recorded(snap, wanted):
        got["conf" if snap.recorded_followup or snap.confusion is not None else "_"] = snap.recorded_step
        if not snap.recorded_followup:
            got["step"] = snap.recorded_step
    win.model.scrub.recorded.connect(on_recorded)
    times, matrix = [], []
    picks = [int(steps[i]) for i in
             sorted({round(k * (len(steps) - 1) / max(1, frames - 1)) for k in range(frames)})]
    for step in reversed(picks):
        got.clear()
        t0 = time.perf_counter()
        win.model.scrub.show(step)
        wait(lambda: got.get("step") == step, timeout=10.0)
        win.diagram.view.viewport().repaint()   # the paint the event loop would do next
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
        if confusion:   # the matrix follows the picture: when it is drawn too
            wait(lambda: got.get("conf") == step, timeout=10.0)
            app.processEvents()
            matrix.append((time.perf_counter() - t0) * 1000)
    win.model.scrub.live()
    win.close()
    times.sort()
    return {"net": "784-100-10", "data": source, "frames": len(times),
            "checkpoints": int(len(steps)), "trained_steps": int(run.timeline.last_step),
            "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1),
            "confusion_matrix_shown": confusion, "target_ms": 50,
            **({"with_matrix_median_ms": round(statistics.median(matrix), 1),
                "with_matrix_p90_ms": round(sorted(matrix)[int(0.9 * (len(matrix) - 1))], 1)}
               if matrix else {})}


def run(quick: bool = False) -> dict:
    block, pairs = (0.3, 3) if quick else (0.5, 6)
    return {"recording": recording_overhead(block, pairs),
            "recording_small_budget": recording_overhead(block, pairs, budget=4 * 2**20),
            "scrub": scrub_redraw(10 if quick else 30, 2.0 if quick else 4.0),
            "scrub_with_confusion": scrub_redraw(10 if quick else 30, 2.0, confusion=True)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(run(quick="--quick" in argv), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
