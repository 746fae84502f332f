"""Loading (and if asked, downloading) a dataset on a thread, with progress and cancel.

The window shows a progress dialog and stays responsive; :class:`DatasetLoader` reports
``progress(done, total, filename)`` while downloading, then ``loaded(dataset, prepared, error)``
or ``failed(message, False)``. ``prepare`` (optional) runs on the thread too, right after the
data are loaded (the window builds its network there: it is pure NumPy and, for MNIST, long
enough to be felt on the UI thread); ``prepared`` is its result, or None with the
:class:`NNVizError`'s message in ``error``. Whether the files are there at all is asked before, without reading
them (``nnviz.data.locate.located_unverified``): the checksums are verified here, on the thread,
while loading.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from nnviz.core.errors import NNVizError
from nnviz.i18n import _, message


class _LoadWorker(QObject):
    progress = Signal(object, object, str)  # done bytes, total bytes, file name (ints may be > 2**31)
    loaded = Signal(object, object, str)
    failed = Signal(str, bool)
    finished = Signal()

    def __init__(self, settings, download: bool, cancel: threading.Event, prepare=None):
        super().__init__()
        self.settings, self.download, self.cancel, self.prepare = settings, download, cancel, prepare

    def _progress(self, done, total, name) -> bool:
        self.progress.emit(int(done), int(total or 0), str(name))
        return not self.cancel.is_set()

    @Slot()
    def run(self) -> None:
        from nnviz.data import download_dataset
        from nnviz.experiment import load_data

        try:
            if self.download:
                download_dataset(self.settings.dataset, progress=self._progress, cancel=self.cancel)
            data = load_data(self.settings, progress=self._progress)
            prepared, error = None, ""
            if self.prepare is not None and not self.cancel.is_set():
                try:
                    prepared = self.prepare(data)
                except NNVizError as exc:
                    error = message(exc)
            if self.cancel.is_set():
                self.failed.emit(_("Loading was cancelled."), False)
            else:
                self.loaded.emit(data, prepared, error)
        except NNVizError as exc:
            text = _("Loading was cancelled.") if self.cancel.is_set() else message(exc)
            self.failed.emit(text, False)
        except Exception as exc:  # noqa: BLE001 - never escape the thread
            self.failed.emit(_("The dataset could not be loaded ({error}).").format(error=exc), False)
        finally:
            self.finished.emit()


class DatasetLoader(QObject):
    """Runs one load on its own thread; signals arrive on the UI thread.

    The thread is a daemon Python thread, not a ``QThread``: a load that does not end when the
    window closes (a huge file still being parsed) is abandoned cleanly at exit, where a running
    ``QThread`` being destroyed aborts the whole program. Its signals are emitted from that
    thread and queued to the receivers on the UI thread."""

    progress = Signal(object, object, str)
    loaded = Signal(object, object, str)
    failed = Signal(str, bool)

    def __init__(self, settings, download: bool = False, parent: QObject | None = None, prepare=None,
                 start: bool = True):
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self._worker = _LoadWorker(settings, download, self.cancel_event, prepare)
        self._worker.progress.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        self._worker.loaded.connect(self.loaded, Qt.ConnectionType.QueuedConnection)
        self._worker.failed.connect(self.failed, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._worker.run, name="nnviz-loader", daemon=True)
        if start:
            self._thread.start()

    def start(self) -> None:
        """Start loading (for a loader made with ``start=False``, once its owner holds it)."""
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_event.set()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, ms: int = 2000) -> bool:
        """Cancel and wait for the thread (used when the window closes); False if it still runs
        (it is then left to end on its own, or with the program)."""
        self.cancel_event.set()
        self._thread.join(ms / 1000)
        return not self._thread.is_alive()
