"""Every worked number of the seed notes, reproduced exactly."""
import numpy as np
import pytest

from nnviz.core.graph import apple_graph
from nnviz.core.losses import get_loss
from nnviz.experiment import build
from nnviz.presets import get_preset, preset_data


def _exp(name):
    p = get_preset(name)
    return build(p.settings, data=preset_data(p))


def test_neuron():
    exp = _exp("neuron")
    assert exp.net.forward([2, 3])[0, 0] == 0.9990889488055994


def test_network_2_2_1():
    exp = _exp("network-2-2-1")
    assert exp.net.forward([2, 3])[0, 0] == 0.7216325609518421


def test_network_2_2_1_backprop_by_hand():
    """One mse step against target 1, computed by hand with the chain rule."""
    exp = _exp("network-2-2-1")
    sig = lambda v: 1 / (1 + np.exp(-v))
    h = sig(3.0)                    # both hidden: 0·2 + 1·3
    o = sig(h)                      # output: 0·h1 + 1·h2
    d_o = 2 * (o - 1) * o * (1 - o)  # ∂L/∂z_out for L = (o - 1)²
    tr = exp.net.trace_steps([[2, 3]], [[1]], exp.optimizer, steps=1)
    back = tr.select(phase="backward", layer=1)[0]
    assert back["delta"][0, 0] == pytest.approx(d_o, rel=1e-14)
    np.testing.assert_allclose(back["dW"][:, 0], [d_o * h, d_o * h], rtol=1e-14)
    hidden = tr.select(phase="backward", layer=0)[0]
    np.testing.assert_allclose(hidden["delta"][0], [0.0, d_o * 1 * h * (1 - h)], rtol=1e-14)
    upd = tr.select(phase="update", layer=1)[0]
    np.testing.assert_allclose(upd["W"][:, 0], [0 - 0.1 * d_o * h, 1 - 0.1 * d_o * h], rtol=1e-14)


@pytest.mark.parametrize("name,expected", [("gate-and", [0, 0, 0, 1]), ("gate-nand", [1, 1, 1, 0]),
                                           ("gate-or", [0, 1, 1, 1]), ("gate-xor", [0, 1, 1, 0])])
def test_gates(name, expected):
    exp = _exp(name)
    np.testing.assert_array_equal(exp.data.x_train, [[0, 0], [0, 1], [1, 0], [1, 1]])
    tr = exp.net.trace_forward(exp.data.x_train)
    np.testing.assert_array_equal(tr.output().ravel(), expected)
    assert not exp.net.can_train() and exp.trainer is None


def test_gate_weights_are_the_seeds():
    W = _exp("gate-and").net.layers[0]
    np.testing.assert_array_equal(W.W.ravel(), [0.5, 0.5])
    assert W.b[0] == -0.7


def test_mse_seed_example():
    y_true, y_pred = np.array([[1.0, 0, 0, 1]]), np.zeros((1, 4))
    assert get_loss("mse").forward(y_pred, y_true) == 0.5


def test_sse_half_is_half_sum_of_squares():
    y, t = np.array([[0.8, 0.2]]), np.array([[1.0, 0.0]])
    assert get_loss("sse_half").forward(y, t) == pytest.approx(0.5 * (0.04 + 0.04))


def test_apple_graph():
    g = apple_graph()
    assert g.forward() == pytest.approx(220.0)
    grads = g.backward(1.0)
    assert grads["apple"] == pytest.approx(2.2)
    assert grads["count"] == pytest.approx(110.0)
    assert grads["tax"] == pytest.approx(200.0)
    assert grads["apple_price"] == pytest.approx(1.1)


def test_torch_model_parameter_counts_and_init():
    exp = _exp("torch-3-3-2-2")
    assert exp.net.param_counts() == [12, 8, 6]
    assert [l.activation.name for l in exp.net.layers] == ["sigmoid", "relu", "softmax"]
    np.testing.assert_array_equal(exp.net.layers[0].b, 0)
    np.testing.assert_array_equal(exp.net.layers[1].b, 0)
    names = [n for n, _ in exp.net.named_parameters()]
    assert names == ["layer0.W", "layer0.b", "layer1.W", "layer1.b", "layer2.W", "layer2.b"]
    y = exp.net.forward(exp.data.x_train)
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    assert exp.data.x_train.shape == (5, 3)
