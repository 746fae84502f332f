"""The misclassified test images: their counts per (true, predicted) pair are the confusion
matrix's off-diagonal cells, counted by the trainer and by hand."""
import numpy as np
import pytest

from nnviz.data.base import Dataset
from nnviz.data.mistakes import Cancelled, find_mistakes
from nnviz.experiment import Settings, build


def test_counts_equal_the_trainers_confusion_matrix():
    rng = np.random.default_rng(0)
    y = np.arange(600) % 4
    x = rng.normal(0, 1.2, size=(600, 2)) + np.array([[0, 0], [2, 0], [0, 2], [2, 2]])[y]
    data = Dataset("quads", x[:300], y[:300], x[300:], y[300:], n_classes=4)
    exp = build(Settings(dataset="quads", hidden=[5], output_activation="softmax",
                         loss="cross_entropy", lr=0.3, batch_size=30, seed=1), data=data)
    for _ in range(40):
        exp.trainer.train_batch()
    C = exp.trainer.confusion("test")
    found = find_mistakes(lambda xs: exp.net.forward(data.inputs(xs, dtype=exp.net.dtype)),
                          data.x_test, data.y_test, chunk=64)
    np.testing.assert_array_equal(found.confusion, C)
    off = C.copy()
    np.fill_diagonal(off, 0)
    np.testing.assert_array_equal(found.counts, off)
    assert 0 < len(found.indices) == off.sum() < 300     # some, not all, wrong
    for t, p, n in found.pairs():
        sel = found.select(t, p)
        assert len(sel) == n == C[t, p]
        assert set(data.y_test[found.indices[sel]]) == {t}
    assert found.accuracy == pytest.approx(np.trace(C) / 300)
    assert list(found.prob) == sorted(found.prob, reverse=True)   # most sure first


def test_a_hand_count():
    # three classes; the "model" answers a fixed table of probabilities
    labels = np.array([0, 0, 1, 1, 2, 2, 2])
    probs = np.array([[.9, .1, 0], [.2, .7, .1], [.1, .8, .1], [.6, .3, .1],
                      [0, .1, .9], [.3, .6, .1], [.1, .5, .4]])
    found = find_mistakes(lambda idx: probs[idx], np.arange(7), labels, chunk=3)
    assert found.counts.tolist() == [[0, 1, 0], [1, 0, 0], [0, 2, 0]]
    assert found.indices.tolist() == [1, 3, 5, 6]   # 0.7, 0.6, 0.6, 0.5 sure
    assert found.pairs() == [(2, 1, 2), (0, 1, 1), (1, 0, 1)]
    np.testing.assert_allclose(found.prob_true, [.2, .3, .1, .4])
    seen = []
    with pytest.raises(Cancelled):
        find_mistakes(lambda idx: probs[idx], np.arange(7), labels, chunk=3,
                      progress=lambda done, n: seen.append(done) or done < 6)
    assert seen == [3, 6]


def test_the_shipped_model_on_the_sample():
    from nnviz.classify import DigitModel
    from nnviz.data.samples import load_samples

    x, y = load_samples()
    model = DigitModel.load()
    found = find_mistakes(model.predict, x, y)
    pred = model.predict(x).argmax(1)
    assert len(found.indices) == int((pred != y).sum())
    assert found.counts.sum() == len(found.indices) and found.confusion.sum() == len(y)
