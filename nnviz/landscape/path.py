"""Training paths on the plane: each checkpoint ``p`` as the (α, β) whose point
``θ + α·d₁ + β·d₂`` is nearest to it (least squares, so directions need not be orthogonal),
with the distance left over (how far the checkpoint lies off the plane)."""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import N_, NNVizError


def project(points, center, d1, d2) -> tuple[np.ndarray, np.ndarray]:
    """``(coords (n, 2), off (n,))`` for the checkpoints ``points`` ((n, P) or a list of (P,)).

    ``coords`` solves ``min ‖(p − θ) − α·d₁ − β·d₂‖`` per point; ``off`` is that minimum. The
    current weights ``center`` project to (0, 0) exactly.
    """
    pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
    if pts.size == 0:
        return np.zeros((0, 2)), np.zeros(0)
    D = np.stack([np.asarray(d1, np.float64), np.asarray(d2, np.float64)], axis=1)   # (P, 2)
    gram = D.T @ D
    if abs(np.linalg.det(gram)) <= 1e-12 * max(float(np.trace(gram)) ** 2, 1e-300):
        raise NNVizError(N_("the two directions are parallel: they do not span a plane"))
    m = pts - np.asarray(center, dtype=np.float64)[None, :]
    coords = np.linalg.solve(gram, D.T @ m.T).T
    off = np.linalg.norm(m - coords @ D.T, axis=1)
    return coords, off


def path_extent(coords_list) -> float:
    """The largest |α| or |β| over projected paths (0 for none)."""
    vals = [float(np.max(np.abs(c))) for c in coords_list if len(c)]
    return max(vals) if vals else 0.0
