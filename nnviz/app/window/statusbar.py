"""The status bar's permanent labels: what training does, epoch and step, speed, learning rate."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar

from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _

#: The run's states as the status bar names them.
STATE_NAMES = {"running": N_("Running"), "paused": N_("Paused"), "finished": N_("Finished"),
               "stopped": N_("Stopped")}


class TrainingStatus(QObject):
    """Four fixed-width labels in ``bar``, updated from snapshots and the run's state (a child of
    ``bar``: it is retranslated for as long as the bar lives)."""

    def __init__(self, bar: QStatusBar):
        super().__init__(bar)
        self.bar = bar
        self.state_label = QLabel()
        self.epoch_label = QLabel()
        self.speed_label = QLabel()
        self.lr_label = QLabel()
        for w in (self.state_label, self.epoch_label, self.speed_label, self.lr_label):
            bar.addPermanentWidget(w)
        self.state = "paused"
        self._snap = None
        self._texts: dict = {}  # the language's templates, looked up once per language
        retranslate(self)

    def retranslate_ui(self) -> None:
        # Every frame sets these labels: the templates are translated once per language.
        self._texts = {"epoch": _("Epoch {epoch} · step {step}"), "rate": _("{rate:,.0f} samples/s"),
                       "no_rate": _("— samples/s"), "lr": _("lr {lr:.4g}"), "no_lr": _("lr —"),
                       "states": {k: _(v) for k, v in STATE_NAMES.items()}}
        # Fixed widths: a label whose text changes size would re-lay out the status bar and
        # repaint the whole window on every frame (measured again in each language).
        fm = self.bar.fontMetrics()
        longest_state = max((_(name) for name in STATE_NAMES.values()), key=fm.horizontalAdvance)
        for w, sample in ((self.state_label, longest_state + "  "),
                          (self.epoch_label, _("Epoch {epoch} · step {step}").format(epoch=88888, step=888888)),
                          (self.speed_label, _("{rate:,.0f} samples/s").format(rate=8888888)),
                          (self.lr_label, _("lr {lr:.4g}").format(lr=0.00012345))):
            w.setFixedWidth(fm.horizontalAdvance(sample) + 16)
        self.state_label.setToolTip(_("What training is doing now"))
        self.epoch_label.setToolTip(_("Epoch: one pass over all training samples; step: one batch"))
        self.speed_label.setToolTip(_("Training samples processed per second"))
        self.lr_label.setToolTip(_("Learning rate now (a schedule may lower it over the epochs)"))
        self.update(self._snap)

    def set_state(self, state: str) -> None:
        self.state = state
        _set(self.state_label, self._texts["states"].get(state, state))

    def update(self, snap) -> None:
        self._snap = snap
        self.set_state(self.state)
        t = self._texts
        if snap is None:
            _set(self.epoch_label, t["epoch"].format(epoch=0, step=0))
            _set(self.speed_label, t["no_rate"])
            _set(self.lr_label, t["no_lr"])
            return
        _set(self.epoch_label, t["epoch"].format(epoch=snap.epoch, step=snap.step))
        _set(self.speed_label, t["rate"].format(rate=snap.samples_per_s) if snap.samples_per_s else t["no_rate"])
        _set(self.lr_label, t["lr"].format(lr=snap.lr))


def _set(label: QLabel, text: str) -> None:
    """``label.setText(text)`` unless it shows ``text`` already (a label set to its own text
    still schedules a repaint)."""
    if label.text() != text:
        label.setText(text)
