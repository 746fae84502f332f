"""The digit canvas driven with the mouse and keys: what the network sees, undo, clear, eraser,
throttled predictions, test digits, and digits drawn as a person draws."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from nnviz.app.canvas import DigitPanel
from nnviz.app.canvas.drawing import SIDE
from nnviz.app.canvas.handdrawn import draw, variations
from nnviz.data.preprocess import bounding_box, centre_of_mass

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton


class CountingModel:
    """A stand-in model: uniform probabilities, counting its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, images):
        self.calls += 1
        assert images.shape[1:] == (28, 28)
        return np.full((len(images), 10), 0.1)


@pytest.fixture
def panel(qtbot, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    p = DigitPanel(CountingModel())
    p.resize(760, 440)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.close()


def line(x0, y0, x1, y1, n=20):
    return [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]


def test_strokes_give_a_centred_mnist_image(panel):
    # a "7" in the top-left quarter: 100 wide, 120 tall (plus the brush) → 20 px tall, centred
    draw(panel.canvas, [line(20, 20, 120, 20) + line(120, 20, 60, 140)[1:]], width=12)
    panel.refresh()
    img = panel.image
    top, bottom, left, right = bounding_box(img)
    assert bottom - top == 20
    assert 15 <= right - left <= 18  # (100 + 12) / (120 + 12) · 20 ≈ 17, edges anti-aliased
    r, c = centre_of_mass(img)
    assert abs(r - 14) <= 0.5 and abs(c - 14) <= 0.5
    assert img[top:top + 2].sum() > img[bottom - 2:bottom].sum()  # the bar is at the top
    assert panel.probabilities is not None and panel.bars.top_class == 0


def test_same_picture_whatever_the_widget_size(panel, qtbot):
    strokes = [line(80, 60, 200, 220)]
    draw(panel.canvas, strokes, width=20)
    small = panel.canvas.ink()
    panel.canvas.clear()
    panel.resize(1100, 700)  # the canvas square grows on screen; the picture must not
    qtbot.waitUntil(lambda: panel.canvas.width() > 400)
    draw(panel.canvas, strokes, width=20)
    big = panel.canvas.ink()
    assert big.shape == small.shape == (SIDE, SIDE)
    assert np.abs(big - small).mean() < 2.0  # only rounding of mouse positions differs


def test_undo_and_clear(panel, qtbot):
    canvas = panel.canvas
    draw(canvas, [line(140, 40, 140, 240)], width=16)
    panel.refresh()
    one = panel.image.copy()
    draw(canvas, [line(60, 140, 220, 140)], width=16)
    panel.refresh()
    assert not np.array_equal(panel.image, one)
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    panel.refresh()
    assert len(canvas.strokes) == 1
    np.testing.assert_array_equal(panel.image, one)
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    panel.refresh()
    assert canvas.is_blank() and panel.image is None and panel.probabilities is None
    panel.steps["crop"].setFocus()  # the keys work wherever the focus is in the panel
    QTest.keyClick(panel.steps["crop"], Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the clear
    panel.refresh()
    np.testing.assert_array_equal(panel.image, one)
    qtbot.mouseClick(panel.clear_button, LEFT)
    panel.refresh()
    assert canvas.is_blank() and panel.image is None


def test_eraser_is_the_right_button(panel):
    canvas = panel.canvas
    draw(canvas, [line(40, 140, 240, 140)], width=16)
    assert canvas.ink()[140, 200] == 255
    draw(canvas, [line(150, 100, 150, 180) + line(150, 180, 260, 180)[1:] +
                  line(260, 180, 260, 100)[1:] + line(260, 100, 150, 100)[1:] +
                  line(150, 100, 260, 180)[1:] + line(260, 140, 150, 140)[1:]], width=40, button=RIGHT)
    ink = canvas.ink()
    assert ink[125:155, 160:250].max() == 0 and ink[140, 60] == 255
    panel.refresh()
    _, _, left, right = bounding_box(panel.image)
    assert right - left == 20  # still the longer side, the line is now 110 px long


def test_blank_canvas_gives_no_prediction_and_no_error(panel):
    model = panel._predict
    panel.refresh()
    assert panel.image is None and panel.probabilities is None and model.calls == 0
    draw(panel.canvas, [line(100, 100, 180, 180)], width=20)
    assert model.calls == 1  # read once the stroke ended
    draw(panel.canvas, [line(60, 60, 220, 220)], width=60, button=RIGHT)  # all erased again
    panel.refresh()
    assert panel.image is None and panel.probabilities is None and model.calls == 1
    panel.set_model(None)
    draw(panel.canvas, [line(100, 100, 180, 180)], width=20)
    panel.refresh()
    assert panel.image is not None and panel.probabilities is None


def test_predictions_are_throttled_while_drawing(panel, qtbot):
    model = panel._predict
    canvas = panel.canvas
    pts = [canvas.from_canvas(x, y) for x, y in line(30, 30, 250, 250, 200)]
    QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, pts[0].toPoint())
    for p in pts[1:]:
        QTest.mouseMove(canvas, p.toPoint())
    assert model.calls <= 2  # 200 moves in a burst: no prediction per move
    qtbot.waitUntil(lambda: model.calls >= 1, timeout=2000)  # the timer catches up meanwhile
    QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, pts[-1].toPoint())
    calls = model.calls
    assert panel.image is not None and calls <= 4


def test_preprocessing_steps_can_be_switched_off(panel):
    draw(panel.canvas, [line(220, 20, 260, 20) + line(260, 20, 240, 80)[1:]], width=8)  # small, top right
    panel.refresh()
    t, b, _, _ = bounding_box(panel.image)
    assert b - t == 20
    panel.steps["resize"].setChecked(False)  # toggling refreshes at once
    t, b, l, r = bounding_box(panel.image)
    assert b - t <= 8
    panel.steps["resize"].setChecked(True)
    panel.steps["centre"].setChecked(False)
    r_, c_ = centre_of_mass(panel.image)
    assert r_ < 12 and c_ > 16  # stays in the top right


def test_load_a_test_digit_without_the_dataset(qtbot, monkeypatch):
    from nnviz.classify import DigitModel
    from nnviz.data.samples import load_samples

    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    model = DigitModel.load()
    x, y = load_samples()
    ok = np.flatnonzero(model.predict(x).argmax(1) == y)
    panel = DigitPanel(model.net)  # a bare Network is accepted too
    qtbot.addWidget(panel)
    panel.show()
    label = panel.load_test_digit(int(ok[0]))
    assert label == y[ok[0]] and panel.bars.top_class == label
    assert np.corrcoef(panel.image.ravel(), x[ok[0]].ravel().astype(float))[0, 1] > 0.9
    panel.canvas.undo()  # the loaded digit goes away again
    panel.refresh()
    assert panel.image is None
    label = panel.load_test_digit()
    assert 0 <= label <= 9 and panel.probabilities is not None


def test_the_shipped_model_reads_hand_drawn_digits(qtbot, monkeypatch):
    from nnviz.classify import DigitModel

    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    panel = DigitPanel(DigitModel.load())
    qtbot.addWidget(panel)
    panel.show()
    right = 0
    cases = variations(3, seed=11)
    for label, strokes, brush in cases:
        panel.canvas.clear()
        draw(panel.canvas, strokes, brush)
        panel.refresh()
        r, c = centre_of_mass(panel.image)
        assert abs(r - 14) <= 0.5 and abs(c - 14) <= 0.5
        right += panel.bars.top_class == label
    assert right / len(cases) >= 0.9
