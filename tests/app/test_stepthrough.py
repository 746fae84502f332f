"""Step-through widgets: keyboard navigation, and end-then-home restores the first display."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.stepthrough.panel import StepThroughPanel
from nnviz.lessons.stepping import step_preset


@pytest.fixture
def panel(qtbot):
    _, rec = step_preset("network-2-2-1")
    w = StepThroughPanel()
    qtbot.addWidget(w)
    w.session.set_record(rec, select=(0, 1))
    w.resize(900, 600)
    w.show()
    return w


def _shown(w):
    tables = [[t.item(i, k).text() for i in range(t.rowCount()) for k in range(t.columnCount())]
              for t in w.math.tables()]
    return (w.math.title.text(), w.math.formula.text(), w.math.filled.text(), tables, w.bar.label.text())


def test_keys_move_through_every_phase(panel, qtbot):
    s = panel.session
    assert s.index == 0 and len(s) == 6
    seen = []
    with qtbot.waitSignal(s.phaseChanged):
        qtbot.keyClick(panel.bar, Qt.Key_Right)
    assert s.index == 1
    seen.append(panel.math.filled.text())
    qtbot.keyClick(panel.bar, Qt.Key_End)
    assert s.index == 5 and panel.math.title.text().startswith("Update")
    qtbot.keyClick(panel.bar, Qt.Key_Right)           # already at the end
    assert s.index == 5 and not panel.bar.next_button.isEnabled()
    qtbot.keyClick(panel.bar, Qt.Key_Left)
    assert s.index == 4 and panel.math.title.text().startswith("Backward, hidden 1")
    qtbot.keyClick(panel.bar, Qt.Key_Home)
    assert s.index == 0 and not panel.bar.back_button.isEnabled()
    assert "z₁ = 0·2 + 1·3 + 0 = 3" in panel.math.filled.text()
    assert panel.bar.label.text() == "step 1 / 6"


def test_end_then_home_restores_the_initial_display(panel, qtbot):
    first, state0 = _shown(panel), panel.session.display()
    panel.bar.end_button.click()
    assert _shown(panel) != first
    assert panel.session.display()["W"][1][1, 0] != state0["W"][1][1, 0]
    panel.bar.home_button.click()
    assert _shown(panel) == first
    again = panel.session.display()
    assert all(np.array_equal(a, b) for a, b in zip(again["W"], state0["W"]))
    assert again["a"][1] is None


def test_scrubber_and_buttons(panel):
    panel.bar.slider.setValue(3)
    assert panel.session.index == 3 and panel.math.title.text().startswith("Backward, output")
    panel.bar.back_button.click()
    assert panel.session.index == 2 and panel.bar.slider.value() == 2
    panel.bar.next_button.click()
    assert panel.bar.slider.value() == 3


def test_math_panel_marks_the_selected_neuron_and_shows_full_values(panel):
    panel.session.set_index(1)  # forward, layer 1 (the output): a = 0.7216…
    tables = panel.math.tables()
    a = tables[-1]
    assert a.item(0, 0).text() == "0.7216"
    assert a.item(0, 0).toolTip().endswith("0.7216325609518421")
    panel.session.set_index(0)  # forward, layer 0, neuron 1: column 1 of W is marked
    from nnviz.app.stepthrough.mathpanel import MARK
    W = panel.math.tables()[1]
    assert [W.item(i, 1).background().color() == MARK for i in range(2)] == [True, True]
    assert [W.item(i, 0).background().color() == MARK for i in range(2)] == [False, False]
    panel.session.set_index(1)
    assert "0.7216325609518421" in panel.math.filled.toolTip()


def test_selecting_another_neuron_keeps_the_phase(panel):
    panel.session.set_index(4)
    panel.session.select(0, 0)
    assert panel.session.index == 4 and panel.session.current().neuron == 0
    assert "δ₀" in panel.math.filled.text()
