"""The trace records every phase of a step, as copies that later training cannot change."""
import numpy as np

from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer


def _net():
    return build_mlp([3, 4, 2], activation="tanh", output_activation="softmax", loss="cross_entropy", seed=0)


def test_phase_order_and_contents():
    net = _net()
    x = np.random.default_rng(0).normal(size=(5, 3))
    t = np.eye(2)[[0, 1, 1, 0, 1]]
    tr = net.trace_steps(x, t, get_optimizer("adam", lr=0.01), steps=2)
    order = [(r["step"], r["phase"], r["layer"]) for r in tr]
    one = [("forward", 0), ("forward", 1), ("loss", 1), ("backward", 1), ("backward", 0),
           ("update", 0), ("update", 1)]
    assert order == [(s, p, l) for s in (0, 1) for p, l in one]
    f0 = tr.select(step=0, phase="forward", layer=0)[0]
    assert f0["z"].shape == (5, 4) and f0["a"].shape == (5, 4)
    np.testing.assert_allclose(f0["a"], np.tanh(f0["z"]))
    b1 = tr.select(step=0, phase="backward", layer=1)[0]
    assert b1["delta"].shape == (5, 2) and b1["dW"].shape == (4, 2) and b1["db"].shape == (2,)
    up = tr.select(step=0, phase="update", layer=0)[0]
    assert set(up["state"]) == {"exp_avg.W", "exp_avg.b", "exp_avg_sq.W", "exp_avg_sq.b"}
    assert tr.steps == 2


def test_records_are_copies():
    net = _net()
    x = np.random.default_rng(1).normal(size=(4, 3))
    t = np.eye(2)[[0, 1, 1, 0]]
    opt = get_optimizer("sgd", lr=0.5)
    tr = net.trace_steps(x, t, opt, steps=1)
    dW = tr.select(phase="backward", layer=0)[0]["dW"].copy()
    W_after = tr.select(phase="update", layer=0)[0]["W"].copy()
    a0 = tr.select(phase="forward", layer=0)[0]["a"].copy()
    for _ in range(5):  # later training overwrites the network's buffers
        net.train_step(x, t, opt)
    np.testing.assert_array_equal(tr.select(phase="backward", layer=0)[0]["dW"], dW)
    np.testing.assert_array_equal(tr.select(phase="update", layer=0)[0]["W"], W_after)
    np.testing.assert_array_equal(tr.select(phase="forward", layer=0)[0]["a"], a0)
    assert not np.array_equal(net.layers[0].W, W_after)


def test_update_equals_weights_minus_lr_times_gradient():
    net = _net()
    W0 = net.layers[1].W.copy()
    x = np.random.default_rng(2).normal(size=(3, 3))
    tr = net.trace_steps(x, np.eye(2)[[1, 0, 1]], get_optimizer("sgd", lr=0.3), steps=1)
    dW = tr.select(phase="backward", layer=1)[0]["dW"]
    np.testing.assert_allclose(tr.select(phase="update", layer=1)[0]["W"], W0 - 0.3 * dW)


def test_json_is_plain():
    import json

    net = _net()
    tr = net.trace_steps(np.ones((1, 3)), [[1.0, 0.0]], get_optimizer("sgd", lr=0.1))
    doc = json.loads(json.dumps(tr.to_json()))
    assert doc[0]["phase"] == "forward" and isinstance(doc[0]["z"][0][0], float)
