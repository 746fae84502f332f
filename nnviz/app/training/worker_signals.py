"""What the training worker tells the window (:class:`WorkerSignals`)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class WorkerSignals(QObject):
    """What the worker tells the window. Receivers connect to these directly.

    This object stays on the thread that made it (the UI thread: it is not moved with the
    worker), so Qt queues every emission from the worker thread to that thread, lambdas
    included, and the worker's ``deleteLater`` does not take it along.
    """

    stateChanged = Signal(str)       # "running", "paused", "finished", "stopped"
    diverged = Signal(str)           # message with epoch/step and "try a smaller learning rate"
    errored = Signal(str)            # a message to show as it is
    saved = Signal(str)              # path of a model file written by SaveModel
    saveFailed = Signal(str)         # why SaveModel could not write (training goes on)
    epochFinished = Signal(object)   # EpochResult.as_dict(), only while somebody listens
    stepTraced = Signal(object)      # nnviz.lessons.StepRecord of a TraceStep (on a copy)

    def __init__(self):
        super().__init__()
        self.epochs_wanted = False

    def connectNotify(self, signal) -> None:  # noqa: N802 - Qt's name
        # A tiny net finishes hundreds of epochs a second and the window reads them from the
        # snapshots: epochFinished is emitted only once something is connected to it.
        if signal.name() == b"epochFinished":
            self.epochs_wanted = True
        super().connectNotify(signal)
