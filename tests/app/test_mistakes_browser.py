"""The misclassified browser: computed off the UI thread, counts equal the confusion matrix,
filtered by (true, predicted) pair, a click hands the digit to the canvas."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from nnviz.app.canvas.mistakes import MistakesBrowser
from nnviz.data.samples import load_samples


def threes(images):
    """A "model" that reads every digit as 3, except the bright ones as 8."""
    out = np.full((len(images), 10), 0.02)
    bright = np.asarray(images).reshape(len(images), -1).mean(axis=1) > 40
    out[~bright, 3], out[bright, 8] = 0.82, 0.82
    return out


@pytest.fixture
def browser(qtbot):
    x, y = load_samples()
    b = MistakesBrowser(threes, images=x, labels=y)
    qtbot.addWidget(b)
    b.resize(700, 500)
    b.show()
    qtbot.waitExposed(b)
    qtbot.waitUntil(lambda: b.mistakes is not None, timeout=10000)
    return b, x, y


def test_counts_match_a_hand_made_confusion_matrix(browser):
    b, x, y = browser
    pred = threes(x).argmax(1)
    C = np.zeros((10, 10), int)
    for t, p in zip(y, pred):
        C[t, p] += 1
    np.testing.assert_array_equal(b.mistakes.confusion, C)
    off = C - np.diag(np.diag(C))
    np.testing.assert_array_equal(b.mistakes.counts, off)
    assert b.list.count() == off.sum() == int((pred != y).sum())
    assert not b.busy and b.progress.isHidden()
    assert b.pair_combo.count() == 1 + np.count_nonzero(off)   # "all" + one entry per pair


def test_filter_by_pair_and_click_a_digit(browser, qtbot):
    b, x, y = browser
    pred = threes(x).argmax(1)
    b.show_pair(7, 3)
    want = np.flatnonzero((y == 7) & (pred == 3))
    assert sorted(b.shown().tolist()) == want.tolist() and b.list.count() == len(want)
    assert "7 read as 3" in b.pair_combo.currentText()
    chosen = []
    b.digitChosen.connect(lambda img, label: chosen.append((img, label)))
    item = b.list.item(0)
    rect = b.list.visualItemRect(item)
    QTest.mouseClick(b.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert len(chosen) == 1
    img, label = chosen[0]
    i = int(item.data(Qt.ItemDataRole.UserRole))
    assert label == 7 and img.shape == (28, 28)
    np.testing.assert_array_equal(img, x[i])
    b.pair_combo.setCurrentIndex(0)      # all mistakes again
    assert b.list.count() == int((pred != y).sum())


def test_the_full_test_set_with_the_shipped_model(qtbot):
    from nnviz.classify import DigitModel
    from nnviz.data import locate

    if locate.find_dataset("mnist") is None:
        pytest.skip("MNIST is not on this computer")
    model = DigitModel.load()
    b = MistakesBrowser(model)
    qtbot.addWidget(b)
    qtbot.waitUntil(lambda: b.mistakes is not None and b.mistakes.n == 10000, timeout=60000)
    shared = b.test_digits
    pred = model.predict(shared.images).argmax(1)
    C = np.bincount(shared.labels * 10 + pred, minlength=100).reshape(10, 10)
    np.testing.assert_array_equal(b.mistakes.confusion, C)
    assert len(b.mistakes.indices) == int((pred != shared.labels).sum()) < 200
