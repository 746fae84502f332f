"""What issue 21 adds to the step dock: the Your turn toggle beside the hint, its question box,
and the predictions before Apply update (see :mod:`~nnviz.app.exercises.predict`)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from nnviz.app.exercises.predict import UpdatePrediction
from nnviz.app.exercises.yourturn import YourTurn, YourTurnButton


def add_step_exercises(dock, lay) -> None:
    """Put the hint with the Your turn button, the question box and the update prediction into
    the :class:`~nnviz.app.stepthrough.stepdock.StepDock` ``dock``'s layout ``lay``."""
    sm = dock.step_mode
    dock.your_turn = YourTurn(sm, dock.panel.math)
    dock.your_turn_button = YourTurnButton(dock.your_turn)
    dock.predict = UpdatePrediction(sm)
    row = QHBoxLayout()
    row.addWidget(dock.hint, 1)
    row.addWidget(dock.your_turn_button)
    lay.addLayout(row)
    lay.addWidget(dock.your_turn)
    lay.addWidget(dock.predict)

    def on_active(on: bool) -> None:
        dock.your_turn_button.setEnabled(on)
        if not on:
            dock.your_turn_button.setChecked(False)
    sm.activeChanged.connect(on_active)
    on_active(sm.active)
