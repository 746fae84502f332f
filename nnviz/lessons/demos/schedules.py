"""Learning-rate schedules as arrays to plot: step, multistep (50/100/160, γ 0.5), exponential."""
from __future__ import annotations

import numpy as np

from nnviz.core.schedules import get_schedule
from nnviz.i18n.names import title

DEFAULT = {"step": {"step_size": 30, "gamma": 0.5}, "multistep": {"milestones": [50, 100, 160], "gamma": 0.5},
           "exponential": {"gamma": 0.98}}


def schedule_curves(base_lr: float = 0.1, epochs: int = 200, schedules: dict | None = None) -> dict[str, np.ndarray]:
    """``{name: lr per epoch}`` for epochs 0 … epochs−1, from ``nnviz.core.schedules``."""
    out = {}
    for name, opts in (schedules or DEFAULT).items():
        s = get_schedule(name, **opts)
        out[name] = np.array([s.lr(e, base_lr) for e in range(epochs)])
    return out


def schedules_demo(base_lr: float = 0.1, epochs: int = 200, schedules: dict | None = None) -> dict:
    scheds = schedules or DEFAULT
    curves = schedule_curves(base_lr, epochs, scheds)
    lines = []
    for name, lr in curves.items():
        f = get_schedule(name, **scheds[name]).formula
        marks = ", ".join(f"e{e}: {lr[e]:.4g}" for e in (0, 49, 50, 99, 100, 159, 160, epochs - 1) if e < epochs)
        lines.append(f"{title('schedule', name):<12} {f}   {marks}")
    return {"epochs": np.arange(epochs), "curves": curves, "base_lr": base_lr, "lines": lines,
            "fill": {"base_lr": f"{base_lr:g}"}}
