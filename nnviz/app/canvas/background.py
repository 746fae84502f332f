"""Work the digit widgets do off the UI thread, and MNIST's test digits loaded in the background.

:func:`run_in_background` runs a function on a one-thread pool and delivers its result (or
its error message) to the UI thread. :class:`TestDigits` gives the shipped
sample at once and MNIST's full test set once a background load (shared by every owner)
finishes, when the dataset is on this computer, so "Load a test digit" never waits.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

_POOL: QThreadPool | None = None


def pool() -> QThreadPool:
    """One background thread for the canvas's long jobs (they would only compete on 2 cores)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        _POOL.setObjectName("nnviz-canvas-jobs")
    return _POOL


class _Relay(QObject):
    """Lives on the UI thread; the pool thread emits through it (Qt queues the calls)."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


def run_in_background(fn: Callable, on_done: Callable[[object], None],
                      on_failed: Callable[[str], None] | None = None,
                      on_progress: Callable[[int, int], None] | None = None) -> _Relay:
    """Call ``fn(progress)`` on the pool thread; ``on_done(result)`` / ``on_failed(message)``
    run on the UI thread afterwards, ``on_progress(done, total)`` whenever ``fn`` calls
    ``progress(done, total)``. Returns the relay (keep it to keep the connections)."""
    from nnviz.core.errors import NNVizError
    from nnviz.i18n import message

    relay = _Relay()
    relay.done.connect(on_done)
    if on_failed is not None:
        relay.failed.connect(on_failed)
    if on_progress is not None:
        relay.progress.connect(on_progress)

    def job():
        try:
            result = fn(relay.progress.emit)
        except NNVizError as exc:
            relay.failed.emit(message(exc))  # (in the language current when it failed)
        except Exception as exc:  # noqa: BLE001 - never a traceback in the pool thread
            relay.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            relay.done.emit(result)

    pool().start(job)
    return relay


class _FullTestSet(QObject):
    """MNIST's test set, loaded once in the background for every :class:`TestDigits`."""

    loaded = Signal()

    def __init__(self):
        super().__init__()
        self.arrays: tuple[np.ndarray, np.ndarray] | None = None
        self.state = "idle"     # "loading", "loaded" or "absent" (not here, or failed)
        self._relay = None

    def start(self) -> str:
        if self.state == "idle":
            from nnviz.data import locate

            if locate.find_dataset("mnist") is None:
                return "idle"  # maybe later (NNVIZ_DATA_DIR may change); nothing to wait for

            def load(_progress):
                from nnviz.data import load_dataset

                ds = load_dataset("mnist")
                return (np.asarray(ds.x_test, dtype=np.uint8).reshape(-1, 28, 28),
                        np.asarray(ds.y_test, dtype=np.int64))

            self.state = "loading"
            self._relay = run_in_background(load, self._done, self._failed)
        return self.state

    def _done(self, arrays) -> None:
        self.arrays, self.state, self._relay = arrays, "loaded", None
        self.loaded.emit()

    def _failed(self, _message: str) -> None:
        self.state, self._relay = "absent", None  # keep the sample; do not try again


_FULL: _FullTestSet | None = None


def _full() -> _FullTestSet:
    global _FULL
    if _FULL is None:
        _FULL = _FullTestSet()
    return _FULL


class TestDigits(QObject):
    """Labelled test digits: ``images`` uint8 (n, 28, 28), ``labels``, ``source`` (``"sample"``
    or ``"mnist"``). It starts with the shipped sample; :meth:`ensure_full` swaps in MNIST's
    full test set when its background load ends (at once when it was loaded before), and
    ``upgraded`` tells."""

    __test__ = False  # not a pytest class
    upgraded = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        from nnviz.data.samples import load_samples

        self.images, self.labels = load_samples()
        self.source = "sample"

    @property
    def full(self) -> bool:
        return self.source == "mnist"

    def ensure_full(self) -> bool:
        """Ask for MNIST's full test set (loaded in the background if it is on this computer);
        True when it is here or on its way."""
        if self.full:
            return True
        loader = _full()
        state = loader.start()
        if state == "loaded":
            self._adopt()
        elif state == "loading":
            loader.loaded.connect(self._adopt, Qt.ConnectionType.UniqueConnection)
        return state in ("loaded", "loading")

    def _adopt(self) -> None:
        if self.full or _full().arrays is None:
            return
        self.images, self.labels = _full().arrays
        self.source = "mnist"
        self.upgraded.emit()
