"""Logic gates as perceptrons, their decision lines on the unit square, and XOR = AND(NAND, OR)."""
from __future__ import annotations

import math

import numpy as np

from nnviz.i18n import _
from nnviz.lessons.fmt import linear_text, num

GATES = {"and": (0.5, 0.5, -0.7), "nand": (-0.5, -0.5, 0.7), "or": (1.0, 1.0, -0.5)}
CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR = np.array([0, 1, 1, 0])


def perceptron(w1: float, w2: float, b: float, x: np.ndarray) -> np.ndarray:
    """Step perceptron: 1 where w1·x1 + w2·x2 + b > 0."""
    x = np.asarray(x, dtype=float)
    return (x @ np.array([w1, w2]) + b > 0).astype(int)


def decision_line(w1: float, w2: float, b: float, lo: float = 0.0, hi: float = 1.0):
    """The two points where w1·x + w2·y + b = 0 crosses the square [lo, hi]² (None if it misses)."""
    pts = []
    for fixed in (lo, hi):
        if w2 != 0:  # x fixed → y
            y = -(w1 * fixed + b) / w2
            if lo - 1e-12 <= y <= hi + 1e-12:
                pts.append((fixed, y))
        if w1 != 0:  # y fixed → x
            x = -(w2 * fixed + b) / w1
            if lo - 1e-12 <= x <= hi + 1e-12:
                pts.append((x, fixed))
    uniq = []
    for p in pts:
        if all(math.dist(p, q) > 1e-9 for q in uniq):
            uniq.append(p)
    return tuple(uniq[:2]) if len(uniq) >= 2 else None


def best_single_line(targets=XOR, n_angles: int = 360, n_offsets: int = 301) -> int:
    """The most of the four corners any one line (any perceptron) gets right: 3 for XOR."""
    th = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    w = np.stack([np.cos(th), np.sin(th)], axis=1)               # (angles, 2)
    b = np.linspace(-1.5, 1.5, n_offsets)
    out = (CORNERS @ w.T)[:, :, None] + b[None, None, :] > 0     # (4, angles, offsets)
    right = (out.astype(int) == np.asarray(targets)[:, None, None]).sum(axis=0)
    return int(right.max())


def gates_demo() -> dict:
    table = {g: perceptron(*wb, CORNERS) for g, wb in GATES.items()}
    table["xor"] = perceptron(*GATES["and"], np.stack([table["nand"], table["or"]], axis=1))
    lines = ["x1 x2 | AND NAND OR | XOR = AND(NAND, OR)"]
    for k, (x1, x2) in enumerate(CORNERS.astype(int)):
        lines.append(f" {x1}  {x2} |  {table['and'][k]}    {table['nand'][k]}   {table['or'][k]} |  {table['xor'][k]}")
    segs = {g: decision_line(*wb) for g, wb in GATES.items()}
    for g, seg in segs.items():
        w1, w2, b = GATES[g]
        (xa, ya), (xb, yb) = seg
        lines.append(_("{gate} line {line} = 0 crosses the square at ({xa}, {ya}) and ({xb}, {yb})").format(
            gate=f"{g.upper():<4}", line=linear_text((w1, w2), b), xa=num(xa), ya=num(ya), xb=num(xb), yb=num(yb)))
    best = best_single_line()
    why = _("one line cannot do XOR: it would need b ≤ 0 (0,0 → 0), w1 + b > 0 and w2 + b > 0 (→ 1), "
            "w1 + w2 + b ≤ 0 (1,1 → 0); adding the middle two gives w1 + w2 + 2b > 0, but the outer two "
            "give w1 + w2 + 2b ≤ 0")
    lines += [_("the best single line gets {best} of the 4 XOR corners right").format(best=best), why]
    return {"corners": CORNERS, "table": table, "lines_on_square": segs, "weights": GATES,
            "best_single_line": best, "why": why, "lines": lines,
            "fill": {"best": str(best), "xor": " ".join(map(str, table["xor"]))}}
