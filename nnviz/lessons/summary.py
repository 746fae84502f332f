"""What a phase shows for a layer too big to list (MNIST): min / mean / max, a histogram, top-k."""
from __future__ import annotations

import numpy as np

from nnviz.i18n import _
from nnviz.lessons.fmt import num

#: Layers with more units than this are summarised instead of listed in full.
SMALL = 16


def summarize(values: np.ndarray, k: int = 5, bins: int = 10, by_magnitude: bool = False) -> dict:
    """``{"min", "mean", "max", "hist": (counts, edges), "top": [(index, value), ...]}``."""
    v = np.asarray(values, dtype=np.float64).ravel()
    counts, edges = np.histogram(v, bins=bins)
    key = np.abs(v) if by_magnitude else v
    top = np.argsort(-key, kind="stable")[:k]
    return {"n": int(v.size), "min": float(v.min()), "mean": float(v.mean()), "max": float(v.max()),
            "hist": (counts.tolist(), edges.tolist()), "top": [(int(i), float(v[i])) for i in top]}


def summary_text(name: str, s: dict, sig: int = 4) -> str:
    """``a over 100 neurons: min 0.01, mean 0.4, max 0.99; top 5: #12 = 0.99, …``."""
    top = ", ".join(f"#{i} = {num(v, sig)}" for i, v in s["top"])
    return _("{name} over {n} neurons: min {min}, mean {mean}, max {max}; top {k}: {top}").format(
        name=name, n=s["n"], min=num(s["min"], sig), mean=num(s["mean"], sig), max=num(s["max"], sig),
        k=len(s["top"]), top=top)
