"""Back / Next / Home / End, a scrubber over all steps, and the keys ← → Home End."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from nnviz.app.stepthrough.session import StepSession
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class StepBar(QWidget):
    """Moves a :class:`StepSession`; shows which step of how many is on."""

    KEYS = {Qt.Key_Right: "next", Qt.Key_Left: "back", Qt.Key_Home: "home", Qt.Key_End: "end"}

    def __init__(self, session: StepSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setFocusPolicy(Qt.StrongFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.home_button = self._button(QStyle.SP_MediaSkipBackward, session.home)
        self.back_button = self._button(QStyle.SP_MediaSeekBackward, session.back)
        self.next_button = self._button(QStyle.SP_MediaSeekForward, session.next)
        self.end_button = self._button(QStyle.SP_MediaSkipForward, session.end)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setPageStep(1)
        self.slider.setFocusPolicy(Qt.NoFocus)
        self.slider.valueChanged.connect(session.set_index)
        self.label = QLabel()
        self.label.setMinimumWidth(90)
        for w in (self.home_button, self.back_button):
            row.addWidget(w)
        row.addWidget(self.slider, 1)
        for w in (self.next_button, self.end_button, self.label):
            row.addWidget(w)
        session.stepsChanged.connect(self._reset)
        session.phaseChanged.connect(self._show)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.home_button.setToolTip(_("First step (Home)"))
        self.back_button.setToolTip(_("Back one step (←)"))
        self.next_button.setToolTip(_("Next step (→)"))
        self.end_button.setToolTip(_("Last step (End)"))
        self.back_button.setText(_("Back"))
        self.next_button.setText(_("Next"))
        self.slider.setToolTip(_("Every step of the pass: drag to jump"))
        self._reset()

    def _button(self, icon, slot):
        b = QPushButton(self.style().standardIcon(icon), "")
        b.setFocusPolicy(Qt.NoFocus)  # keys go to the bar, not to a button
        b.clicked.connect(slot)
        return b

    def _reset(self):
        n = len(self.session)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, n - 1))
        self.slider.blockSignals(False)
        self._show(self.session.index)

    def _show(self, index: int):
        n = len(self.session)
        self.slider.blockSignals(True)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        self.label.setText(_("step {index} / {count}").format(index=index + 1 if n else 0, count=n))
        self.home_button.setEnabled(index > 0)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < n - 1)
        self.end_button.setEnabled(index < n - 1)

    def event(self, event):
        # with the focus here, ← → Home End move these steps, not the window's shortcuts (→ would
        # otherwise train a batch while the learner steps through a lesson's graph)
        if event.type() == QEvent.ShortcutOverride and event.key() in self.KEYS \
                and event.modifiers() == Qt.NoModifier:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        action = self.KEYS.get(event.key())
        if action is None:
            super().keyPressEvent(event)
            return
        getattr(self.session, action)()
        event.accept()
