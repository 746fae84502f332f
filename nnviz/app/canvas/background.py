"""Work the digit widgets do off the UI thread, and MNIST's test digits loaded in the background.

:func:`run_in_background` runs a function on a one-thread pool and delivers its result (or
its error message) to the UI thread. :func:`test_digits` is the one shared
:class:`TestDigits`: the shipped sample at once, and MNIST's full test set once a background
load finishes (when the dataset is on this computer), so "Load a test digit" never waits.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal

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
            relay.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - never a traceback in the pool thread
            relay.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            relay.done.emit(result)

    pool().start(job)
    return relay


class TestDigits(QObject):
    """Labelled test digits for the canvas: ``images`` uint8 (n, 28, 28), ``labels``, ``source``
    (``"sample"`` or ``"mnist"``). ``upgraded`` is emitted when the full test set replaces the
    sample."""

    __test__ = False  # not a pytest class
    upgraded = Signal()

    def __init__(self):
        super().__init__()
        from nnviz.data.samples import load_samples

        self.images, self.labels = load_samples()
        self.source = "sample"
        self._loading = None

    @property
    def full(self) -> bool:
        return self.source == "mnist"

    def ensure_full(self) -> bool:
        """Start loading MNIST's test set in the background if it is on this computer; True
        when it is loaded or loading."""
        if self.full or self._loading is not None:
            return True
        from nnviz.data import locate

        if locate.find_dataset("mnist") is None:
            return False

        def load(_progress):
            from nnviz.data import load_dataset

            ds = load_dataset("mnist")
            return np.asarray(ds.x_test, dtype=np.uint8).reshape(-1, 28, 28), np.asarray(ds.y_test)

        self._loading = run_in_background(load, self._loaded, self._load_failed)
        return True

    def _loaded(self, result) -> None:
        self.images, self.labels = result
        self.source, self._loading = "mnist", None
        self.upgraded.emit()

    def _load_failed(self, _message: str) -> None:
        self._loading = False  # keep the sample; do not try again


_SHARED: TestDigits | None = None


def test_digits() -> TestDigits:
    """The one :class:`TestDigits` of the application (made on first use, on the UI thread)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = TestDigits()
    return _SHARED


test_digits.__test__ = False  # not a pytest test
