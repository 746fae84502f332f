"""The math panel with its step bar under it: one widget to dock beside the diagram."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.app.stepthrough.mathpanel import MathPanel
from nnviz.app.stepthrough.session import StepSession
from nnviz.app.stepthrough.stepbar import StepBar


class StepThroughPanel(QWidget):
    def __init__(self, session: StepSession | None = None, parent=None):
        super().__init__(parent)
        self.session = session if session is not None else StepSession(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.math = MathPanel(self.session)
        self.bar = StepBar(self.session)
        lay.addWidget(self.math, 1)
        lay.addWidget(self.bar)
        self.setFocusProxy(self.bar)
