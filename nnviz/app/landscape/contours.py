"""Contour lines of a grid as line segments, vectorised marching squares (NumPy, no Qt).

pyqtgraph's ``isocurve`` walks the grid in Python, about 10 ms a level on a 25×25 grid, with
the interpreter lock held: redrawn live several times a second it slowed training and the
window. Here every level's segments come from a few array operations and are drawn as one
item (``connect="pairs"``).
"""
from __future__ import annotations

import numpy as np


def contour_segments(z: np.ndarray, levels, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)``: the contour segments of ``z[i, j]`` (at ``xs[i]``, ``ys[j]``) at ``levels``,
    as consecutive point pairs (2·segments values each; empty arrays when none)."""
    z = np.asarray(z, dtype=np.float64)
    xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
    if z.ndim != 2 or min(z.shape) < 2:
        return np.zeros(0), np.zeros(0)
    v00, v10, v11, v01 = z[:-1, :-1], z[1:, :-1], z[1:, 1:], z[:-1, 1:]
    ii, jj = np.meshgrid(np.arange(z.shape[0] - 1, dtype=np.float64),
                         np.arange(z.shape[1] - 1, dtype=np.float64), indexing="ij")
    out_i, out_j = [], []
    with np.errstate(all="ignore"):
        for lv in np.atleast_1d(levels):
            lv = float(lv)
            # the four edges of every cell: bottom (00→10), right (10→11), top (01→11), left (00→01)
            ends = ((v00, v10), (v10, v11), (v01, v11), (v00, v01))
            cross = np.stack([(a > lv) != (b > lv) for a, b in ends])
            t = [np.where(c, (lv - a) / (b - a), 0.0) for (a, b), c in zip(ends, cross)]
            pi = np.stack([ii + t[0], ii + 1, ii + t[2], ii])
            pj = np.stack([jj, jj + t[1], jj + 1, jj + t[3]])
            n = cross.sum(axis=0)
            two = n == 2
            if two.any():
                first = np.argmax(cross, axis=0)
                second = 3 - np.argmax(cross[::-1], axis=0)
                sel = np.nonzero(two)
                a_i, a_j = pi[first[sel], sel[0], sel[1]], pj[first[sel], sel[0], sel[1]]
                b_i, b_j = pi[second[sel], sel[0], sel[1]], pj[second[sel], sel[0], sel[1]]
                out_i.append(np.stack([a_i, b_i], axis=1).ravel())
                out_j.append(np.stack([a_j, b_j], axis=1).ravel())
            four = np.nonzero(n == 4)
            if len(four[0]):  # a saddle: pair the edges by the cell's mean
                centre_high = ((v00 + v10 + v11 + v01) / 4 > lv)[four]
                low00 = ~(v00[four] > lv)
                # corner 00 cut off: bottom+left and right+top; else bottom+right and top+left
                cut00 = centre_high == low00
                pairs_a = np.where(cut00[None], np.array([[0], [1]]), np.array([[0], [2]]))
                pairs_b = np.where(cut00[None], np.array([[3], [2]]), np.array([[1], [3]]))
                for k in range(2):
                    ea, eb = pairs_a[k], pairs_b[k]
                    out_i.append(np.stack([pi[ea, four[0], four[1]], pi[eb, four[0], four[1]]], axis=1).ravel())
                    out_j.append(np.stack([pj[ea, four[0], four[1]], pj[eb, four[0], four[1]]], axis=1).ravel())
    if not out_i:
        return np.zeros(0), np.zeros(0)
    fi, fj = np.concatenate(out_i), np.concatenate(out_j)
    return (np.interp(fi, np.arange(len(xs)), xs), np.interp(fj, np.arange(len(ys)), ys))
