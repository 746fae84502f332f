"""The status bar's permanent labels: what training does, epoch and step, speed, learning rate."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class TrainingStatus:
    """Four fixed-width labels in ``bar``, updated from snapshots and the run's state."""

    def __init__(self, bar: QStatusBar):
        self.state_label = QLabel()
        self.epoch_label = QLabel()
        self.speed_label = QLabel()
        self.lr_label = QLabel()
        # Fixed widths: a label whose text changes size would re-lay out the status bar and
        # repaint the whole window on every frame.
        fm = bar.fontMetrics()
        for w, sample in ((self.state_label, _tr("Finished") + "  "),
                          (self.epoch_label, _tr("Epoch {0} · step {1}").format(88888, 888888)),
                          (self.speed_label, _tr("{0:,.0f} samples/s").format(8888888)),
                          (self.lr_label, _tr("lr {0:.4g}").format(0.00012345))):
            w.setFixedWidth(fm.horizontalAdvance(sample) + 16)
            bar.addPermanentWidget(w)
        self.state_label.setToolTip(_tr("What training is doing now"))
        self.epoch_label.setToolTip(_tr("Epoch: one pass over all training samples; step: one batch"))
        self.speed_label.setToolTip(_tr("Training samples processed per second"))
        self.lr_label.setToolTip(_tr("Learning rate now (a schedule may lower it over the epochs)"))
        self.state = "paused"
        self.update(None)

    def set_state(self, state: str) -> None:
        self.state = state
        names = {"running": _tr("Training"), "paused": _tr("Paused"),
                 "finished": _tr("Finished"), "stopped": _tr("Stopped")}
        self.state_label.setText(names.get(state, state))

    def update(self, snap) -> None:
        self.set_state(self.state)
        if snap is None:
            self.epoch_label.setText(_tr("Epoch 0 · step 0"))
            self.speed_label.setText(_tr("— samples/s"))
            self.lr_label.setText(_tr("lr —"))
            return
        self.epoch_label.setText(_tr("Epoch {0} · step {1}").format(snap.epoch, snap.step))
        self.speed_label.setText(_tr("{0:,.0f} samples/s").format(snap.samples_per_s)
                                 if snap.samples_per_s else _tr("— samples/s"))
        self.lr_label.setText(_tr("lr {0:.4g}").format(snap.lr))
