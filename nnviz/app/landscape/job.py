"""The landscape is computed off the UI thread: one Python thread per request, with progress,
Cancel, and a newer request replacing an older one (the older is cancelled, its result dropped)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.core.errors import NNVizError


@dataclass
class Request:
    net: object                    # a scratch network (the job's own)
    x: np.ndarray
    t: np.ndarray
    axes: str                      # "random", "pca" or "w:…,w:…"
    span: float | None             # None: fit the paths (or 1)
    grid: int
    seed: int = 0
    paths: list = field(default_factory=list)   # (name, colour, (n, P) array)
    samples_of: int = 0            # the training set's size (the subset's source)
    dtype: object = None           # the grid's float type (None: the network's; live: float32)


@dataclass
class Result:
    surface: object                # nnviz.landscape.Surface
    paths: list                    # (name, colour, coords (n, 2))
    request: Request


class LandscapeJob(QObject):
    """Runs :func:`compute` for the newest request on a worker thread."""

    progress = Signal(int, int)
    finished = Signal(object)      # Result
    failed = Signal(object)        # NNVizError (translated where shown) or text
    busyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._generation = 0
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.finished.connect(self._done)
        self.failed.connect(self._done)

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, request: Request) -> None:
        self.cancel()
        self._generation += 1
        gen, cancel = self._generation, threading.Event()
        self._cancel = cancel
        self._thread = threading.Thread(target=self._run, args=(request, gen, cancel),
                                        name="nnviz-landscape", daemon=True)
        self._thread.start()
        self.busyChanged.emit(True)

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, req: Request, gen: int, cancel: threading.Event) -> None:
        from nnviz.landscape import Cancelled

        def emit(signal, *args) -> None:
            if gen != self._generation:
                return                       # a newer request replaced this one
            try:
                signal.emit(*args)
            except RuntimeError:             # the view is gone (the window closed meanwhile)
                cancel.set()

        try:
            result = compute(req, lambda d, n: emit(self.progress, d, n), cancel.is_set)
        except Cancelled:
            emit(self.failed, None)
            return
        except NNVizError as exc:
            emit(self.failed, exc)
            return
        except Exception as exc:  # noqa: BLE001 - shown in the dock, not a crash of the window
            emit(self.failed, f"{type(exc).__name__}: {exc}")
            return
        if not cancel.is_set():
            emit(self.finished, result)

    def _done(self, _value) -> None:
        self.busyChanged.emit(False)


def compute(req: Request, progress=None, cancel=None) -> Result:
    """The surface and the projected paths of ``req`` (the thread's work; no Qt)."""
    from nnviz.landscape import PlaneLoss, compute_surface, default_span, make_directions, project_paths

    net = req.net
    center = np.array(net.flat_params, dtype=np.float64)
    paths = list(req.paths)
    arrays = [p for _n, _c, p in paths if len(p)]
    directions = make_directions(net, req.axes, seed=req.seed, paths=arrays, center=center)
    projected = project_paths([p for _n, _c, p in paths], center, directions) if paths else []
    span = req.span if req.span else default_span(directions, [p["coords"] for p in projected])
    surface = compute_surface(net, req.x, req.t, directions, span=span, grid=req.grid, center=center,
                              progress=progress, cancel=cancel, evaluator=PlaneLoss(net, req.x, req.t, dtype=req.dtype))
    return Result(surface, [(n, c, p["coords"]) for (n, c, _a), p in zip(paths, projected)], req)
