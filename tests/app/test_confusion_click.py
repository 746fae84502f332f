"""Clicking a confusion-matrix cell tells which (true, predicted) pair it is."""
import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from nnviz.app.plots import ConfusionMatrixView


def click_cell(view, true, pred, button=Qt.MouseButton.LeftButton):
    vb = view.plot.getViewBox()
    scene = vb.mapViewToScene(QPointF(pred + 0.5, true + 0.5))
    pos = view.plot_widget.mapFromScene(scene)
    QTest.mouseClick(view.plot_widget.viewport(), button, Qt.KeyboardModifier.NoModifier, pos)


def test_a_click_on_a_cell_emits_its_true_and_predicted_class(qtbot):
    v = ConfusionMatrixView()
    qtbot.addWidget(v)
    v.resize(420, 420)
    v.show()
    qtbot.waitExposed(v)
    got = []
    v.cellClicked.connect(lambda t, p: got.append((t, p)))
    click_cell(v, 1, 2)
    assert got == []          # nothing shown yet: no cells to click
    C = np.arange(16).reshape(4, 4)
    v.set_matrix(C)
    qtbot.wait(50)
    for t, p in ((3, 0), (0, 3), (2, 2)):
        click_cell(v, t, p)
    click_cell(v, 1, 1, Qt.MouseButton.RightButton)
    assert got == [(3, 0), (0, 3), (2, 2)]
