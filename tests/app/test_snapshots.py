"""make_snapshot: copies, per-sample delta (checked by finite differences), grid, no side effects."""

import numpy as np
import pytest

from nnviz.app.training.snapshots import GRID_MARGIN, make_snapshot
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def blobs(n=200, seed=0, k=2, dims=2):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, size=(k, dims))
    y = np.arange(n) % k
    x = centers[y] + rng.normal(0, 1, size=(n, dims))
    return Dataset("blobs", x[: n // 2], y[: n // 2].astype(np.int64), x[n // 2:], y[n // 2:].astype(np.int64),
                   n_classes=k)


def train(exp, n):
    for _ in range(n):
        if exp.trainer.train_batch().epoch_done:
            exp.trainer.finish_epoch()


def sample_loss(exp, i):
    x = exp.data.inputs(exp.data.x_train[i:i + 1], dtype=exp.net.dtype)
    y = exp.net.forward(x)
    return exp.net.loss_value(y, exp.trainer.t_train[i:i + 1])


CASES = {
    "tanh-sigmoid-bce": dict(hidden=[5, 3], activation="tanh", output_activation="sigmoid", loss="bce"),
    "relu-softmax-ce": dict(hidden=[6], activation="relu", output_activation="softmax",
                            loss="cross_entropy", k=3),
    "sigmoid-mse": dict(hidden=[4], activation="sigmoid", output_activation="sigmoid", loss="mse", k=3),
}


@pytest.mark.parametrize("case", list(CASES))
def test_delta_matches_finite_differences(case):
    opts = dict(CASES[case])
    k = opts.pop("k", 2)
    exp = build(Settings(dataset="blobs", epochs=1, seed=3, **opts), data=blobs(k=k, seed=3))
    train(exp, 5)  # move away from the initial weights
    i = 7
    snap = make_snapshot(exp, sample_index=i)
    assert snap.sample_index == i and len(snap.delta) == len(exp.net.dense_layers())
    eps = 1e-6
    for li, layer in enumerate(exp.net.dense_layers()):
        fd = np.empty(layer.n_out)
        for j in range(layer.n_out):
            old = layer.b[j]
            exp.net.set_param(li, "b", old + eps, index=(j,))
            up = sample_loss(exp, i)
            exp.net.set_param(li, "b", old - eps, index=(j,))
            down = sample_loss(exp, i)
            exp.net.set_param(li, "b", old, index=(j,))
            fd[j] = (up - down) / (2 * eps)
        # for one sample without batch-norm, dL/db = delta
        np.testing.assert_allclose(snap.delta[li], fd, rtol=1e-5, atol=1e-9)


def test_sample_values_match_the_network():
    exp = build(Settings(dataset="blobs", hidden=[4], epochs=1), data=blobs())
    snap = make_snapshot(exp, sample_index=3)
    x = exp.data.inputs(exp.data.x_train[3:4], dtype=np.float64)
    np.testing.assert_array_equal(snap.x, x[0])
    exp.net.forward(x)
    for layer, z, a in zip(exp.net.dense_layers(), snap.z, snap.a):
        np.testing.assert_allclose(z, layer.z[0])
        np.testing.assert_allclose(a, layer.a[0])
    assert snap.target.tolist() == [float(exp.data.y_train[3])]
    assert snap.grads is None  # no batch trained yet
    assert [w.shape for w, _ in snap.weights] == [(2, 4), (4, 1)]


def test_snapshot_is_a_copy():
    exp = build(Settings(dataset="blobs", hidden=[4], epochs=1), data=blobs())
    exp.trainer.train_batch()
    snap = make_snapshot(exp)
    w0 = snap.weights[0][0].copy()
    g0 = snap.grads[0][0].copy()
    exp.trainer.train_batch()
    np.testing.assert_array_equal(snap.weights[0][0], w0)
    np.testing.assert_array_equal(snap.grads[0][0], g0)
    assert not np.array_equal(exp.net.dense_layers()[0].W, w0)


def test_snapshots_do_not_change_training():
    """Same seeds: training with a snapshot after every batch ends bit-identical to training without."""
    settings = Settings(dataset="blobs", hidden=[6, 5], epochs=1, dropout=0.2, batchnorm=True,
                        optimizer="adam", lr=0.01, batch_size=16)
    watched, plain = build(settings, data=blobs()), build(settings, data=blobs())
    for step in range(40):
        train(watched, 1)
        train(plain, 1)
        grads = watched.net.flat_grads.copy()
        caches = [(l.z, l.a, l.delta) for l in watched.net.dense_layers()]
        make_snapshot(watched, sample_index=step, grid_size=20)
        np.testing.assert_array_equal(watched.net.flat_grads, grads)
        assert all(c[0] is l.z and c[1] is l.a and c[2] is l.delta
                   for c, l in zip(caches, watched.net.dense_layers()))
    np.testing.assert_array_equal(watched.net.flat_params, plain.net.flat_params)
    np.testing.assert_array_equal(watched.optimizer.state["exp_avg"], plain.optimizer.state["exp_avg"])
    bn_w = [l.buffers["running_mean"] for l in watched.net.dense_layers() if l.norm]
    bn_p = [l.buffers["running_mean"] for l in plain.net.dense_layers() if l.norm]
    for a, b in zip(bn_w, bn_p):
        np.testing.assert_array_equal(a, b)


def test_grid_shapes_values_and_range():
    data = blobs()
    exp = build(Settings(dataset="blobs", hidden=[8, 8], epochs=1), data=data)
    snap = make_snapshot(exp, grid_size=40)
    g = snap.grid
    assert g["xs"].shape == (40,) and g["ys"].shape == (40,)
    assert [u.shape for u in g["units"]] == [(8, 40, 40), (8, 40, 40), (1, 40, 40)]
    assert g["output"].shape == (40, 40)
    allx = np.concatenate([data.x_train, data.x_test])
    lo, hi = allx[:, 0].min(), allx[:, 0].max()
    assert g["xs"][0] == pytest.approx(lo - GRID_MARGIN * (hi - lo))
    assert g["xs"][-1] == pytest.approx(hi + GRID_MARGIN * (hi - lo))
    # units[l][j, iy, ix] is the activation at (xs[ix], ys[iy])
    iy, ix = 5, 31
    out = exp.net.forward(np.array([[g["xs"][ix], g["ys"][iy]]]))
    np.testing.assert_allclose(g["units"][0][:, iy, ix], exp.net.dense_layers()[0].a[0])
    assert g["output"][iy, ix] == pytest.approx(out[0, 0])


def test_grid_multiclass_output_is_class_index():
    exp = build(Settings(dataset="blobs", hidden=[5], output_activation="softmax", loss="cross_entropy",
                         epochs=1), data=blobs(k=3))
    train(exp, 20)
    g = make_snapshot(exp, grid_size=12).grid
    assert g["units"][-1].shape == (3, 12, 12)
    np.testing.assert_array_equal(g["output"], g["units"][-1].argmax(axis=0).astype(float))
    assert set(np.unique(g["output"])) <= {0.0, 1.0, 2.0}


def test_no_grid_for_other_inputs():
    exp = build(Settings(dataset="blobs", hidden=[4], epochs=1), data=blobs(dims=3))
    assert make_snapshot(exp, grid_size=40).grid is None
    exp2 = build(Settings(dataset="blobs", hidden=[4], epochs=1), data=blobs())
    assert make_snapshot(exp2, grid_size=0).grid is None


def test_passthrough_fields():
    exp = build(Settings(dataset="blobs", hidden=[4], epochs=1), data=blobs())
    conf = np.eye(2, dtype=int)
    snap = make_snapshot(exp, loss_points=[(1, 0.5), (2, 0.25)], epochs=[{"epoch": 1}], confusion=conf,
                         samples_per_s=123.0, final=True, sample_index=10_000)
    assert snap.loss_points.tolist() == [[1, 0.5], [2, 0.25]] and snap.last_loss == 0.25
    assert snap.epochs == [{"epoch": 1}] and snap.final and snap.samples_per_s == 123.0
    assert snap.sample_index == len(exp.data.x_train) - 1  # clamped
    conf[0, 0] = 9
    assert snap.confusion[0, 0] == 1
