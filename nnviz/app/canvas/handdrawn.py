"""Digits drawn as a person draws them, stroke by stroke with mouse events (not MNIST images).

:data:`DIGITS` holds one hand-made set of strokes per digit in a unit square (x right, y
down); :func:`variations` makes versions of them in different sizes, slants, widths, aspect
ratios and positions; :func:`draw` sends each stroke to a :class:`DrawingCanvas` as mouse
press, moves and release. ``python -m nnviz.app.canvas.handdrawn [MODEL…] [--n N] [--seed S]`` prints, as JSON,
how many of them each model reads correctly (default: the shipped model).
"""
from __future__ import annotations

import json
import math
import sys

import numpy as np


def _arc(cx, cy, rx, ry, a0, a1, n=24):
    """Points on an ellipse from angle ``a0`` to ``a1`` (degrees, 0 = right, 90 = down)."""
    t = np.deg2rad(np.linspace(a0, a1, n))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in t]


#: digit → strokes (lists of (x, y) points in the unit square)
DIGITS: dict[int, list[list[tuple[float, float]]]] = {
    0: [_arc(0.5, 0.5, 0.3, 0.45, -90, 275, 40)],
    1: [[(0.38, 0.18), (0.55, 0.04), (0.55, 0.96)]],
    2: [_arc(0.5, 0.3, 0.3, 0.26, 190, 380, 20) + [(0.72, 0.5), (0.2, 0.95), (0.85, 0.95)]],
    3: [_arc(0.47, 0.27, 0.3, 0.23, 200, 450, 20), _arc(0.47, 0.72, 0.33, 0.24, -90, 160, 20)],
    4: [[(0.55, 0.04), (0.15, 0.66), (0.88, 0.66)], [(0.65, 0.3), (0.65, 0.97)]],
    5: [[(0.82, 0.05), (0.3, 0.05), (0.25, 0.45)] + _arc(0.5, 0.67, 0.32, 0.28, -140, 160, 22)],
    6: [[(0.72, 0.04), (0.45, 0.22), (0.26, 0.5)] + _arc(0.5, 0.7, 0.25, 0.26, 180, 540, 30)],
    7: [[(0.15, 0.06), (0.85, 0.06), (0.4, 0.96)]],
    8: [_arc(0.5, 0.26, 0.22, 0.21, 90, 450, 28), _arc(0.5, 0.71, 0.27, 0.25, -90, 270, 30)],
    9: [_arc(0.48, 0.3, 0.25, 0.24, 0, 360, 28) + [(0.73, 0.3), (0.68, 0.97)]],
}


def variations(n_per_digit: int = 10, seed: int = 0, side: float = 280.0):
    """``[(label, strokes in canvas units, brush width)]``: each digit ``n_per_digit`` times with
    a random height (25-95 % of the canvas), slant (shear ±0.45), tilt (±15°), aspect
    (0.6-1.3), brush width (8-40 px, at most 22 % of the height), position (anywhere it fits) and a little hand tremor
    (±1.5 px)."""
    rng = np.random.default_rng(seed)
    out = []
    for label, strokes in DIGITS.items():
        for _ in range(n_per_digit):
            height = rng.uniform(0.25, 0.95) * side
            width = height * rng.uniform(0.6, 1.3) * (0.55 if label == 1 else 0.75)
            slant = rng.uniform(-0.45, 0.45)
            tilt = np.deg2rad(rng.uniform(-15, 15))
            # a person draws legibly: the stroke at most ~1/4.5 of the digit's height (MNIST: ~1/8)
            brush = float(rng.uniform(8, max(9.0, min(40.0, 0.22 * height))))
            pts = [np.array(s, dtype=float) for s in strokes]
            moved = []
            for s in pts:
                x = (s[:, 0] - 0.5) * width + slant * (0.5 - s[:, 1]) * height
                y = (s[:, 1] - 0.5) * height
                x, y = x * math.cos(tilt) - y * math.sin(tilt), x * math.sin(tilt) + y * math.cos(tilt)
                moved.append(np.stack([x, y], 1))
            allp = np.concatenate(moved)
            lo, hi = allp.min(0) - brush / 2, allp.max(0) + brush / 2
            span = np.maximum(hi - lo, 1)
            room = np.maximum(side - span, 0)
            origin = -lo + rng.uniform(0, 1, 2) * room
            strokes_c = []
            for s in moved:
                s = _densify(s + origin, 4.0)
                s = s + rng.uniform(-1.5, 1.5, s.shape)
                strokes_c.append([tuple(map(float, p)) for p in np.clip(s, 0, side - 1)])
            out.append((label, strokes_c, brush))
    return out


def _densify(points: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` px along the polyline (a mouse reports many small moves)."""
    out = [points[0]]
    for a, b in zip(points[:-1], points[1:]):
        k = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        out.extend(a + (b - a) * (i / k) for i in range(1, k + 1))
    return np.array(out)


def draw(canvas, strokes, width: float | None = None, button=None) -> None:
    """Draw ``strokes`` (canvas units) on ``canvas`` with mouse press, moves and release."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    button = button or Qt.MouseButton.LeftButton
    if width is not None:
        canvas.set_brush_width(width)
    for stroke in strokes:
        pts = [canvas.from_canvas(x, y) for x, y in stroke]
        pts = [QPoint(round(p.x()), round(p.y())) for p in pts]
        QTest.mousePress(canvas, button, Qt.KeyboardModifier.NoModifier, pts[0])
        for p in pts[1:]:
            QTest.mouseMove(canvas, p)
        QTest.mouseRelease(canvas, button, Qt.KeyboardModifier.NoModifier, pts[-1])


def read_drawn(models: dict, n_per_digit: int = 10, seed: int = 0) -> dict:
    """Draw every variation on a fresh canvas and count what each model reads correctly."""
    from PySide6.QtWidgets import QApplication

    from nnviz.app.canvas.panel import DigitPanel

    app = QApplication.instance() or QApplication([])
    panel = DigitPanel(None)
    panel.resize(700, 420)
    panel.show()
    app.processEvents()
    cases = variations(n_per_digit, seed)
    images, labels = [], []
    for label, strokes, brush in cases:
        panel.canvas.clear()
        draw(panel.canvas, strokes, brush)
        panel.refresh()
        images.append(panel.image)
        labels.append(label)
    x, y = np.stack(images), np.array(labels)
    result = {"drawn": len(y), "per_digit": n_per_digit}
    for name, predict in models.items():
        pred = np.asarray(predict(x)).argmax(1)
        result[name] = {"accuracy": float((pred == y).mean()),
                        "per_digit_correct": np.bincount(y[pred == y], minlength=10).tolist()}
    panel.close()
    return result


def main(argv=None) -> int:
    import argparse

    from nnviz.classify import DigitModel

    ap = argparse.ArgumentParser(prog="python -m nnviz.app.canvas.handdrawn",
                                 description="accuracy on digits drawn with mouse events")
    ap.add_argument("models", nargs="*", help="saved models (default: the shipped one)")
    ap.add_argument("--n", type=int, default=10, help="drawings of each digit")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    models = ({p: DigitModel.load(p) for p in args.models} if args.models
              else {"shipped": DigitModel.load()})
    print(json.dumps(read_drawn(models, args.n, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
