"""Benchmark of the digit canvas (figures, not timed tests).

``python -m nnviz.bench.canvas [--model FILE] [--n N] [--seed S] [--ui]`` prints one JSON
object:

* ``test_acc``: the model on MNIST's test set as it is (the shipped sample without MNIST);
* ``canvas_acc``: the same digits drawn onto a 280×280 canvas at random sizes and positions
  (bilinear enlargement, the ink box 40-250 px) and read back through
  :func:`nnviz.data.preprocess.to_mnist`, as the canvas does;
* with ``--ui`` (needs a display, or ``QT_QPA_PLATFORM=offscreen``): ``ui`` — hand-drawn digits
  sent to a :class:`~nnviz.app.canvas.DigitPanel` as mouse events at a mouse's pace (one move
  every ``MOVE_MS``), with ``stroke_to_bars_ms`` (from the mouse release to the bars painted
  with the new prediction) and ``loop_lateness_ms`` (how late a 5 ms timer fires on the UI
  thread meanwhile), each as p50 / p95 / max.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

CANVAS = 280


def _bilinear_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) bilinear interpolation matrix (pixel centres aligned, edges clamped)."""
    src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    src = np.clip(src, 0, n_in - 1)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    f = src - lo
    w = np.zeros((n_out, n_in))
    w[np.arange(n_out), lo] += 1 - f
    w[np.arange(n_out), hi] += f
    return w


def draw_on_canvas(img28: np.ndarray, size: int, top: int, left: int) -> np.ndarray:
    """A 28×28 digit enlarged to ``size`` px at (``top``, ``left``) of a blank canvas."""
    wts = _bilinear_weights(28, size)
    big = wts @ np.asarray(img28, dtype=np.float64) @ wts.T
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[top:top + size, left:left + size] = big
    return canvas


def canvas_images(x28: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every digit drawn on a canvas at a random size and place, then read back to 28×28."""
    from nnviz.data.preprocess import to_mnist

    out = np.empty((len(x28), 28, 28), np.float32)
    for i, img in enumerate(x28):
        size = int(rng.integers(56, CANVAS + 1))   # the 20-px digit becomes 40..200 px of ink
        top, left = rng.integers(0, CANVAS - size + 1, 2)
        out[i] = to_mnist(draw_on_canvas(img, size, int(top), int(left)))
    return out


def run(model_path=None, n: int | None = None, seed: int = 0) -> dict:
    from nnviz.classify import DigitModel
    from nnviz.data.samples import mnist_test_digits

    model = DigitModel.load(model_path)
    x, y, source = mnist_test_digits(n)
    t0 = time.perf_counter()
    direct = float((model.predict(x).argmax(1) == y).mean())
    drawn = canvas_images(x, np.random.default_rng(seed))
    canvas = float((model.predict(drawn).argmax(1) == y).mean())
    return {"model": model.source, "digits": source, "n": int(len(y)), "test_acc": direct,
            "canvas_acc": canvas, "saved_test_acc": model.test_accuracy,
            "seconds": round(time.perf_counter() - t0, 2)}


MOVE_MS = 8      #: a mouse reports a move about every 8 ms (125 Hz)
TICK_MS = 5      #: the lateness probe's timer


def _stats(values_ms) -> dict:
    v = np.asarray(values_ms, dtype=float)
    if not len(v):
        return {"n": 0}
    return {"n": int(len(v)), "p50": round(float(np.percentile(v, 50)), 3),
            "p95": round(float(np.percentile(v, 95)), 3), "max": round(float(v.max()), 3)}


def run_ui(model_path=None, n_per_digit: int = 2, seed: int = 0, max_drawings: int | None = None) -> dict:
    """Draw hand-made digits on a shown panel at a mouse's pace; time the stroke → bars path
    and the event loop's lateness (see the module docs)."""
    from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from nnviz.app.canvas import DigitPanel
    from nnviz.app.canvas.handdrawn import variations
    from nnviz.classify import DigitModel

    app = QApplication.instance() or QApplication([])
    panel = DigitPanel(DigitModel.load(model_path))
    panel.resize(900, 520)
    panel.show()
    for _ in range(5):
        app.processEvents()
    canvas, left = panel.canvas, Qt.MouseButton.LeftButton
    events = []   # ("press" | "move" | "release" | "clear", point, brush)
    drawings = variations(n_per_digit, seed)[:max_drawings]
    for _label, strokes, brush in drawings:
        events.append(("clear", None, brush))
        for stroke in strokes:
            pts = [canvas.from_canvas(x, y) for x, y in stroke]
            pts = [QPoint(round(p.x()), round(p.y())) for p in pts]
            events += [("press", pts[0], brush)] + [("move", p, brush) for p in pts[1:]]
            events.append(("release", pts[-1], brush))

    class BarsPainted(QObject):
        def __init__(self):
            super().__init__()
            self.waiting_since = None
            self.latencies = []

        def eventFilter(self, obj, ev):  # noqa: N802
            if ev.type() == QEvent.Type.Paint and self.waiting_since is not None:
                self.latencies.append((time.perf_counter() - self.waiting_since) * 1000)
                self.waiting_since = None
            return False

    painted = BarsPainted()
    panel.bars.installEventFilter(painted)
    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    driver = QTimer()
    driver.setTimerType(Qt.TimerType.PreciseTimer)
    queue = iter(events)
    done = []

    def send():
        kind, pos, brush = next(queue, (None, None, None))
        if kind is None:
            driver.stop()
            done.append(True)
        elif kind == "clear":
            canvas.clear()
            canvas.set_brush_width(brush)
        elif kind == "press":
            QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, pos)
        elif kind == "move":
            QTest.mouseMove(canvas, pos)
        else:
            painted.waiting_since = time.perf_counter()
            QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, pos)

    driver.timeout.connect(send)
    probe.start(TICK_MS)
    driver.start(MOVE_MS)
    t0 = time.perf_counter()
    while not done:
        app.processEvents()
        time.sleep(0.0005)
    for _ in range(20):  # the last stroke's paint
        app.processEvents()
    wall = time.perf_counter() - t0
    probe.stop()
    lateness = np.maximum(np.diff(ticks) * 1000 - TICK_MS, 0) if len(ticks) > 1 else []
    panel.close()
    return {"platform": QApplication.platformName(), "drawings": len(drawings),
            "mouse_events": sum(e[0] != "clear" for e in events), "seconds": round(wall, 2),
            "predictions": panel.updates, "stroke_to_bars_ms": _stats(painted.latencies),
            "loop_lateness_ms": _stats(lateness)}


def main(argv=None) -> int:
    from nnviz.core.errors import NNVizError

    p = argparse.ArgumentParser(prog="python -m nnviz.bench.canvas", description=__doc__.split("\n")[0])
    p.add_argument("--model", help="a saved model (default: the shipped one)")
    p.add_argument("--n", type=int, help="only the first N test digits")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ui", action="store_true",
                   help="also draw digits with mouse events: stroke-to-bars time, event-loop lateness")
    p.add_argument("--ui-only", action="store_true", help="only the --ui figures")
    args = p.parse_args(argv)
    try:
        doc = {} if args.ui_only else run(args.model, args.n, args.seed)
        if args.ui or args.ui_only:
            doc["ui"] = run_ui(args.model, seed=args.seed)
        print(json.dumps(doc))
    except NNVizError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
