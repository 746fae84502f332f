"""The gradient-check model: one row per parameter, backprop vs central differences."""
import numpy as np

from nnviz.core.gradcheck import gradient_check
from nnviz.core.network import build_mlp
from nnviz.lessons.gradcheck import gradcheck_demo, gradient_table


def test_every_parameter_checked_and_agreeing():
    net = build_mlp([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=5)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((3, 3)), rng.random((3, 2))
    before = net.flat_params.copy()
    rows = gradient_table(net, x, t)
    assert len(rows) == net.n_params == 26
    assert np.array_equal(net.flat_params, before)
    assert rows[0].name == "layer0.W[0,0]" and rows[-1].name == "layer1.b[1]" and rows[-1].layer == 1
    assert max(r.rel_error for r in rows) < 1e-6
    # same verdict as the core's summary
    assert max(r.rel_error for r in rows) == gradient_check(net, x, t)["max_rel_error"]
    # a wrong gradient would show: the backprop column is the network's own gradient
    y = net.forward(x, train=True)
    net.backward(y, t)
    assert np.array_equal([r.backprop for r in rows], net.flat_grads)


def test_big_networks_are_sampled():
    net = build_mlp([50, 20, 3], seed=0)
    x = np.random.default_rng(0).random((2, 50))
    rows = gradient_table(net, x, np.eye(3)[:2], max_params=40)
    assert len(rows) == 40 and len({r.name for r in rows}) == 40


def test_gradcheck_lesson():
    r = gradcheck_demo("network-2-2-1")
    assert len(r["rows"]) == 9 and r["max_rel_error"] < 1e-6
