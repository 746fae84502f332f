"""The training loop: the seeds' lessons learn, batch modes, divergence, reproducibility."""
import numpy as np
import pytest

from nnviz.core.errors import Diverged, ShapeError, TrainingRefused
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build
from nnviz.presets import get_preset, preset_data


def _exp(name, **over):
    p = get_preset(name)
    s = p.settings.replace(**over)
    return build(s, data=preset_data(p, s))


def test_xor_reaches_100_percent_with_the_seeds_schedule():
    exp = _exp("xor")
    s = exp.settings
    assert (s.hidden, s.lr, s.batch_size, s.epochs, s.loss, s.reduction) == ([4], 0.1, None, 10000, "sse_half", "sum")
    for _ in range(s.epochs):
        res = exp.trainer.run_epoch()
    assert res.train_acc == 1.0
    out = exp.net.forward(exp.data.x_train).ravel()
    assert list((out > 0.5).astype(int)) == [0, 1, 1, 0]


def test_xor_gradient_is_the_seeds_update():
    """sse_half with reduction sum gives exactly the seed code's (output - y)·σ' summed over samples."""
    exp = _exp("xor")
    net, x = exp.net, exp.data.x_train.astype(float)
    y = exp.data.y_train.reshape(-1, 1).astype(float)
    W1, b1, W2, b2 = (a.copy() for a in (net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b))
    sig = lambda v: 1 / (1 + np.exp(-v))
    a1 = sig(x @ W1 + b1)
    out = sig(a1 @ W2 + b2)
    d_out = (out - y) * out * (1 - out)
    d_hid = (d_out @ W2.T) * a1 * (1 - a1)
    exp.trainer.run_epoch()
    np.testing.assert_allclose(net.layers[1].W, W2 - 0.1 * a1.T @ d_out, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].W, W1 - 0.1 * x.T @ d_hid, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].b, b1 - 0.1 * d_hid.sum(0), rtol=1e-12)


def test_gender_loss_falls_tenfold():
    exp = _exp("gender")
    first = exp.trainer.run_epoch().train_loss
    for _ in range(exp.settings.epochs - 1):
        last = exp.trainer.run_epoch()
    assert last.train_loss * 10 <= first
    assert last.train_acc == 1.0


def _blobs(n=64, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return Dataset("blobs", x, y, x[:16], y[:16], n_classes=2)


@pytest.mark.parametrize("batch,steps", [(None, 1), (1, 64), (10, 7), (64, 1), (100, 1)])
def test_batch_modes_steps_per_epoch(batch, steps):
    exp = build(Settings(hidden=[3], batch_size=batch), data=_blobs())
    n = 0
    while True:
        r = exp.trainer.train_batch()
        n += 1
        assert r.samples == (64 if steps == 1 else (batch if r.step < steps else 64 - batch * (steps - 1)))
        if r.epoch_done:
            break
    assert n == steps == exp.trainer.steps_per_epoch


def test_same_seed_same_run_and_shuffle_changes_it():
    def run(seed, shuffle=True):
        exp = build(Settings(hidden=[4], batch_size=8, seed=seed, shuffle=shuffle), data=_blobs())
        for _ in range(3):
            exp.trainer.run_epoch()
        return exp.net.flat_params.copy()

    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_divergence_is_caught_before_the_update():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2)) * 100
    data = Dataset("reg", x, x @ [[3.0], [-2.0]], x, x @ [[3.0], [-2.0]])
    exp = build(Settings(hidden=[8], activation="relu", output_activation="identity", loss="mse",
                         lr=10.0, batch_size=8), data=data)
    last_good = exp.net.flat_params.copy()
    with pytest.raises(Diverged) as info:
        for _ in range(50):
            exp.trainer.train_batch()
            if np.all(np.isfinite(exp.net.flat_params)):
                last_good = exp.net.flat_params.copy()
    msg = str(info.value)
    assert msg.startswith("diverged at epoch ") and ", step " in msg and "try a smaller learning rate" in msg
    assert np.all(np.isfinite(exp.net.flat_params))
    np.testing.assert_array_equal(exp.net.flat_params, last_good)


def test_step_activation_refuses_to_train():
    exp = _exp("gate-and")
    with pytest.raises(TrainingRefused, match="step activation"):
        exp.net.backward(exp.net.forward(exp.data.x_train, train=True), np.zeros((4, 1)))


def test_shape_mismatch_names_the_layer():
    exp = build(Settings(hidden=[4]), data=_blobs())
    with pytest.raises(ShapeError, match=r"layer 0 .*expects inputs with 2 features, got shape \(5, 3\)"):
        exp.net.forward(np.zeros((5, 3)))


def test_schedule_sets_lr_each_epoch():
    exp = build(Settings(hidden=[4], lr=0.8, schedule="multistep", schedule_options={"milestones": [1, 2], "gamma": 0.5},
                         batch_size=None), data=_blobs())
    lrs = [exp.trainer.run_epoch().lr for _ in range(4)]
    assert lrs == [0.8, 0.4, 0.2, 0.2]


def test_float32_run_stays_float32():
    exp = build(Settings(hidden=[4], dtype="float32"), data=_blobs())
    exp.trainer.run_epoch()
    assert exp.net.flat_params.dtype == np.float32 and exp.net.layers[-1].a.dtype == np.float32


@pytest.mark.mnist
def test_mnist_fast_learns_on_a_slice(with_mnist):
    """A quick check that the mnist-fast preset wires data, scaling and loss correctly."""
    from nnviz.data import load_dataset

    full = load_dataset("mnist", scaling="unit")
    part = Dataset("mnist-part", full.x_train[:6000], full.y_train[:6000], full.x_test[:2000], full.y_test[:2000],
                   n_classes=10, scaling="unit", image_shape=(28, 28))
    exp = build(get_preset("mnist-fast").settings, data=part)
    res = exp.trainer.run_epoch()
    assert res.test_acc > 0.85


@pytest.mark.mnist
def test_mnist_seed_scaling_and_targets(with_mnist):
    exp = _exp("mnist-seed")
    x = exp.data.inputs(exp.data.x_train[:1], dtype=np.float64)
    assert x.min() == pytest.approx(0.01) and x.max() == pytest.approx(1.0)
    np.testing.assert_allclose(exp.trainer.t_train[0], [0.01] * 5 + [0.99] + [0.01] * 4)  # label 5
    assert exp.trainer.shuffle is False and exp.trainer.batch_size == 1


def test_evaluation_counts_the_confusion_matrix_in_the_same_pass():
    exp = build(Settings(hidden=[4], batch_size=8), data=_blobs(80))
    exp.trainer.run_epoch()
    loss, acc = exp.trainer.evaluate("test")
    C = exp.trainer.last_confusion
    np.testing.assert_array_equal(C, exp.trainer.confusion("test"))
    assert C.sum() == 16 and acc == np.trace(C) / 16


def test_train_for_closes_epochs_as_it_goes():
    exp = build(Settings(hidden=[3], batch_size=16), data=_blobs(64))
    batches, samples, elapsed = exp.trainer.train_for(0.05)
    assert batches > 4 and samples == sum(16 for _ in range(batches)) and elapsed >= 0.05
    assert exp.trainer.epoch == batches // 4 and exp.trainer.step_in_epoch == batches % 4
