"""Backprop against central differences for every activation × loss × layer kind that trains."""
import zlib

import numpy as np
import pytest

from nnviz.core.gradcheck import gradient_check
from nnviz.core.layers import Dense
from nnviz.core.network import Network, build_mlp

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
OUTPUT_LOSS = [(out, loss) for out in HIDDEN
               for loss in ["mse", "sse_half", "mae", "huber", "smooth_l1", "bce", "cross_entropy"]
               if loss not in ("bce", "cross_entropy") or out in ("sigmoid", "softmax")]


def _targets(loss, rng, y0):
    """Targets for outputs ``y0``: for the losses with kinks (mae at d = 0, huber/smooth_l1 at
    |d| = 1), differences d = y − t of either sign in [0.2, 0.8] or [1.2, 1.8], away from them."""
    n, k = y0.shape
    if loss == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "bce":
        return rng.integers(0, 2, (n, k)).astype(float)
    d = rng.uniform(0.2, 0.8, (n, k)) + rng.integers(0, 2, (n, k))
    return y0 - d * rng.choice([-1.0, 1.0], (n, k))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("out,loss", OUTPUT_LOSS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_dense_network_gradients(hidden, out, loss, reduction):
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{out}-{loss}-{reduction}".encode()))
    net = build_mlp([4, 5, 3], activation=hidden, output_activation=out, loss=loss,
                    reduction=reduction, init="xavier_normal", bias_init="normal", seed=3)
    x = rng.normal(size=(6, 4))
    res = gradient_check(net, x, _targets(loss, rng, net.forward(x)))
    assert res["checked"] == net.n_params
    assert res["max_rel_error"] < 1e-6, res


def test_gradient_check_detects_a_wrong_gradient():
    """The checker itself can fail: break one backward formula and it must notice."""
    net = build_mlp([3, 4, 2], activation="tanh", output_activation="sigmoid", loss="mse", seed=0)
    act = net.layers[0].activation
    act.backward = lambda z, a, da: da * (1.0 - a)  # wrong: should be 1 - a²
    x = np.random.default_rng(0).normal(size=(5, 3))
    res = gradient_check(net, x, np.full((5, 2), 0.5))
    assert res["max_rel_error"] > 1e-3


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid"])
def test_batchnorm_gradients(act):
    rng = np.random.default_rng(7)
    net = build_mlp([3, 5, 4, 2], activation=act, output_activation="softmax", loss="cross_entropy",
                    batchnorm=True, seed=5)
    for layer in net.dense_layers()[:-1]:  # non-trivial gamma/beta
        layer.params["gamma"][...] = rng.uniform(0.5, 1.5, layer.n_out)
        layer.params["beta"][...] = rng.normal(0, 0.3, layer.n_out)
    x = rng.normal(size=(8, 3))
    res = gradient_check(net, x, np.eye(2)[rng.integers(0, 2, 8)])
    assert res["max_rel_error"] < 1e-6, res


def test_dropout_gradients_with_fixed_masks():
    rng = np.random.default_rng(11)
    net = build_mlp([4, 6, 6, 3], activation="relu", output_activation="softmax", loss="cross_entropy",
                    dropout=0.3, bias_init="normal", seed=1)  # z = 0 exactly is a kink
    drops = [l.drop for l in net.dense_layers() if l.drop is not None]
    assert len(drops) == 2

    def reseed():
        for i, d in enumerate(drops):
            d.rng = np.random.default_rng(100 + i)

    x = rng.normal(size=(7, 4))
    res = gradient_check(net, x, np.eye(3)[rng.integers(0, 3, 7)], reseed=reseed)
    assert res["max_rel_error"] < 1e-6, res


def test_softmax_fused_with_cross_entropy_is_stable_for_huge_logits():
    layer = Dense(2, 3, activation="softmax", init="zeros")
    layer.params["W"][...] = [[1000.0, -1000.0, 0.0], [0.0, 0.0, 1000.0]]
    net = Network([layer], loss="cross_entropy")
    x, t = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])
    y = net.forward(x, train=True)
    loss = net.loss_value(y, t)
    assert np.isfinite(loss) and loss == pytest.approx(2000.0)
    net.backward(y, t)
    assert np.all(np.isfinite(net.flat_grads))
    np.testing.assert_allclose(layer.delta, y - t)
