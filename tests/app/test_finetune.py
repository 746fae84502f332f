"""Teach it: the FineTune command on the training thread, the UI-side copy of the live network
that follows the snapshots, and the diagram fed with what that copy computes for a drawing."""
import numpy as np
import pytest

from nnviz.app.training import commands as cmd
from nnviz.app.canvas.livemodel import NetworkCopy, input_snapshot
from nnviz.app.training.controller import TrainingController
from nnviz.app.training.snapshots import make_snapshot
from nnviz.core.errors import NNVizError
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def pictures(n, seed):
    """Ten classes of 28×28 uint8 pictures: class k is a bright bar in row band k, plus noise."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 10
    x = rng.integers(0, 40, size=(n, 28, 28))
    for i, k in enumerate(y):
        x[i, 2 + 2 * k:4 + 2 * k, 4:24] = 255
    return x.reshape(n, 784).astype(np.uint8), y.astype(np.int64)


def bars_data():
    xtr, ytr = pictures(300, 0)
    xte, yte = pictures(100, 1)
    return Dataset("bars", xtr, ytr, xte, yte, n_classes=10, scaling="unit", image_shape=(28, 28))


def settings(**kw):
    base = dict(dataset="bars", hidden=[16], activation="tanh", output_activation="softmax",
                loss="cross_entropy", lr=0.1, batch_size=20, epochs=5, seed=3)
    base.update(kw)
    return Settings(**base)


def test_the_copy_predicts_what_the_original_does():
    exp = build(settings(), data=bars_data())
    exp.trainer.train_batch()
    snap = make_snapshot(exp)
    copy = NetworkCopy(exp.net.config())
    assert copy.update(snap)
    x = exp.data.inputs(exp.data.x_test[:7], dtype=exp.net.dtype)
    np.testing.assert_array_equal(copy.net.inspect(x).output, exp.net.inspect(x).output)
    assert copy.net is not exp.net and copy.net.layers[0].W is not exp.net.layers[0].W
    assert not copy.update(snap)  # the same step again: nothing to do
    # built from the settings alone, the architecture is the same
    again = NetworkCopy.from_settings(exp.settings, 784, 10)
    again.set_weights(snap.weights)
    np.testing.assert_array_equal(again.net.forward(x), exp.net.forward(x))


def test_the_copy_refuses_other_shapes():
    exp = build(settings(), data=bars_data())
    copy = NetworkCopy(exp.net.config())
    with pytest.raises(NNVizError, match="layer 0"):
        copy.set_weights([(np.zeros((784, 8)), np.zeros(8)), (np.zeros((8, 10)), np.zeros(10))])


def test_the_copy_follows_a_batch_norm_network_in_evaluation():
    """The snapshot carries γ, β and the running statistics; the copy computes exactly what the
    network computes in evaluation mode (after training has moved them all)."""
    exp = build(settings(batchnorm=True, hidden=[16, 12]), data=bars_data())
    for _ in range(5):
        exp.trainer.train_batch()
    snap = make_snapshot(exp)
    dense = exp.net.dense_layers()
    assert snap.norms is not None and len(snap.norms) == len(dense)
    assert snap.norms[-1] is None and snap.norms[0] is not None   # (no batch-norm on the output layer)
    assert not np.allclose(snap.norms[0]["running_mean"], 0) and not np.allclose(snap.norms[0]["gamma"], 1)
    assert snap.norms[0]["gamma"] is not dense[0].params["gamma"]   # copies
    copy = NetworkCopy(exp.net.config())
    assert copy.update(snap)
    x = exp.data.inputs(exp.data.x_test[:9], dtype=exp.net.dtype)
    np.testing.assert_allclose(copy.net.forward(x, train=False), exp.net.forward(x, train=False), rtol=0, atol=1e-12)
    np.testing.assert_allclose(input_snapshot(copy.net, x[0]).a[-1], exp.net.inspect(x[:1]).output[0], atol=1e-12)
    for _ in range(3):   # training moves on: the copy follows the next snapshot
        exp.trainer.train_batch()
    copy.update(make_snapshot(exp))
    np.testing.assert_allclose(copy.net.forward(x), exp.net.forward(x), atol=1e-12)
    # a snapshot without the statistics is refused, clearly
    with pytest.raises(NNVizError, match="batch-norm"):
        copy.set_weights(snap.weights)


def test_a_network_without_batch_norm_snapshots_no_norms():
    exp = build(settings(), data=bars_data())
    assert make_snapshot(exp).norms is None


def test_input_snapshot_holds_every_layer_and_the_diagram_draws_it(qtbot):
    from nnviz.app.diagram import NetworkDiagram

    exp = build(settings(), data=bars_data())
    x = exp.data.inputs(exp.data.x_test[3:4], dtype=exp.net.dtype)[0]
    snap = input_snapshot(exp.net, x)
    look = exp.net.inspect(x[None])
    assert [len(z) for z in snap.z] == [16, 10]
    np.testing.assert_allclose(snap.a[-1], look.output[0])
    np.testing.assert_allclose(snap.z[0], x @ exp.net.layers[0].W + exp.net.layers[0].b)
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(900, 600)
    d.set_network([784, 16, 10], ["tanh", "softmax"], image_shape=(28, 28),
                  output_names=[str(k) for k in range(10)])
    d.update_snapshot(snap)
    d.show()
    qtbot.waitExposed(d)
    shown = d.scene.image.picture.pixmap().toImage()
    assert not shown.isNull()
    with pytest.raises(NNVizError):
        input_snapshot(exp.net, np.zeros(10))


def test_fine_tune_teaches_the_live_network_a_new_digit(qtbot):
    exp = build(settings(), data=bars_data())
    copy = NetworkCopy(exp.net.config())
    drawn = np.zeros((28, 28))
    drawn[6:22, 12:15] = 255        # a vertical stroke, unlike every training picture
    x = exp.data.inputs(drawn.reshape(1, 784), dtype=exp.net.dtype)
    before = int(exp.net.forward(x).argmax())
    label = 3 if before != 3 else 5
    ctl = TrainingController(exp)
    snaps, states, errors = [], [], []
    ctl.snapshot.connect(snaps.append)
    ctl.signals.stateChanged.connect(states.append)
    ctl.signals.errored.connect(errors.append)
    try:
        qtbot.waitUntil(lambda: bool(snaps) and "paused" in states, timeout=5000)
        n0 = len(snaps)
        ctl.post(cmd.FineTune(drawn[None], [label], steps=40, lr=0.1, mix=20))
        qtbot.waitUntil(lambda: len(snaps) > n0 and snaps[-1].final, timeout=10000)
        assert not errors
        copy.update(snaps[-1])
        probs = copy.net.forward(x)[0]
        assert int(probs.argmax()) == label and probs[label] > 0.5
        # the training pictures are still read (the mix keeps what it knew)
        xt = exp.data.inputs(exp.data.x_test, dtype=exp.net.dtype)
        assert copy.net.forward(xt).argmax(1).tolist() != [label] * len(xt)
        ctl.post(cmd.FineTune(np.zeros((1, 10)), [1]))   # not this network's inputs
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        assert "10 pixels" in errors[-1] and "784 inputs" in errors[-1]
    finally:
        assert ctl.shutdown(2000)


def test_fine_tune_command_is_typed_and_checked():
    c = cmd.FineTune(np.ones((2, 28, 28)), [1, 2], steps="5", lr="0.5")
    assert c.images.shape == (2, 784) and c.labels.tolist() == [1, 2]
    assert (c.steps, c.lr) == (5, 0.5)
    with pytest.raises(ValueError):
        c.images[0, 0] = 3
    with pytest.raises(ValueError, match="one label per image"):
        cmd.FineTune(np.ones((2, 784)), [1])


def test_the_live_copy_module_needs_no_qt():
    from pathlib import Path

    import nnviz.app.canvas.livemodel as live

    text = Path(live.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in text and "pyqtgraph" not in text
