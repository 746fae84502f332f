"""Benchmarks, apart from the product: ``nnviz bench`` and ``nnviz bench --gui``.

* :mod:`nnviz.bench.headless` — the NumPy engine alone (and PyTorch beside it if installed);
* :mod:`nnviz.bench.gui` — what the window costs training and how smooth it stays;
* :mod:`nnviz.bench.diagram` — the network diagram's redraw, and whether it paints without the GIL;
* :mod:`nnviz.bench.window`, :mod:`nnviz.bench.soak` — helpers and the long memory run.

They measure only through public API: the worker's counters
(:class:`~nnviz.app.training.worker_stats.WorkerStats`, ``TrainingController.stats``), the window's
public methods and the diagram's public names; nothing is patched. ``PERFORMANCE.md`` here
collects the figures that shaped the code.
"""
from __future__ import annotations


def main(args) -> int:
    """``nnviz bench`` (the CLI's arguments): the window figures with ``--gui`` or ``--soak``."""
    if getattr(args, "gui", False) or getattr(args, "soak", None):
        from nnviz.bench import gui
        return gui.main(args)
    from nnviz.bench import headless
    return headless.main(args)
