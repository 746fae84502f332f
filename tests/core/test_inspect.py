"""Network.inspect: the one side-effect-free look inside a network."""
import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.core.layers import BatchNorm, Dense, Dropout, layer_from_config
from nnviz.core.network import Network, build_mlp
from nnviz.core.optim import get_optimizer
from nnviz.experiment import build
from nnviz.presets import get_preset, preset_data


def _state(net):
    """Everything training could depend on, copied."""
    out = {"params": net.flat_params.copy(), "grads": net.flat_grads.copy()}
    for i, l in enumerate(net.layers):
        for k in ("x", "z", "a", "a_act", "delta"):
            v = getattr(l, k)
            out[f"{i}.{k}"] = None if v is None else v.copy()
        for k, v in l.buffers.items():
            out[f"{i}.buf.{k}"] = v.copy()
        if l.drop is not None:
            out[f"{i}.rng"] = l.drop.rng.bit_generator.state
    return out


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(a[k], np.ndarray):
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        else:
            assert a[k] == b[k], k


def _net(**kw):
    return build_mlp([3, 5, 4, 2], activation="tanh", output_activation="sigmoid", loss="mse", seed=3, **kw)


def test_the_seed_network_reads_0_7216325609518421():
    p = get_preset("network-2-2-1")
    exp = build(p.settings, data=preset_data(p))
    look = exp.net.inspect([2, 3])
    assert look.output[0, 0] == 0.7216325609518421
    np.testing.assert_array_equal(look.layers[0].z[0], [3.0, 3.0])  # 0·2 + 1·3 for both
    assert look.loss is None and look.layers[0].delta is None


def test_inspecting_changes_nothing_even_with_batchnorm_and_dropout():
    net = _net(batchnorm=True, dropout=0.3)
    opt = get_optimizer("adam", lr=0.01)
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(6, 3)), rng.random((6, 2))
    net.train_step(x, t, opt)  # caches, gradients and running statistics are now set
    before = _state(net)
    net.inspect(rng.normal(size=(4, 3)), rng.random((4, 2)))
    _same(before, _state(net))


def test_gradients_equal_backprop_when_evaluation_equals_training():
    net = _net()
    rng = np.random.default_rng(1)
    x, t = rng.normal(size=(7, 3)), rng.random((7, 2))
    look = net.inspect(x, t)
    y = net.forward(x, train=True)
    assert look.loss == pytest.approx(net.loss_value(y, t), rel=1e-14)
    net.backward(y, t)
    for layer, view in zip(net.layers, look.layers):
        np.testing.assert_allclose(view.delta, layer.delta, rtol=1e-12)
        np.testing.assert_allclose(view.dW, layer.grads["W"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(view.db, layer.grads["b"], rtol=1e-12, atol=1e-15)


def test_gradients_match_central_differences_with_batchnorm_in_evaluation_mode():
    net = _net(batchnorm=True)
    rng = np.random.default_rng(2)
    for layer in net.layers[:-1]:  # running statistics away from 0 / 1, so they matter
        layer.buffers["running_mean"][...] = rng.normal(size=layer.n_out)
        layer.buffers["running_var"][...] = rng.uniform(0.5, 2.0, size=layer.n_out)
        layer.params["gamma"][...] = rng.uniform(0.5, 1.5, size=layer.n_out)
    x, t = rng.normal(size=(5, 3)), rng.random((5, 2))
    look = net.inspect(x, t)
    h = 1e-6
    for li, layer in enumerate(net.layers):
        for name, arr in layer.params.items():
            grad = look.layers[li].grads[name]
            for idx in list(np.ndindex(arr.shape))[:6]:
                old = arr[idx]
                arr[idx] = old + h
                up = net.inspect(x, t).loss
                arr[idx] = old - h
                down = net.inspect(x, t).loss
                arr[idx] = old
                assert grad[idx] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9), (li, name, idx)


def test_softmax_with_cross_entropy_gives_y_minus_t_at_the_logits():
    net = build_mlp([2, 3, 3], activation="relu", output_activation="softmax", loss="cross_entropy",
                    reduction="sum", seed=0)
    x, t = np.array([[0.5, -1.0]]), np.array([[0.0, 1.0, 0.0]])
    look = net.inspect(x, t)
    np.testing.assert_allclose(look.layers[-1].delta, look.output - t, rtol=1e-13)


def test_step_activations_give_values_but_no_deltas():
    p = get_preset("gate-and")
    exp = build(p.settings, data=preset_data(p))
    look = exp.net.inspect([[1, 1]], [[1]])
    assert look.output[0, 0] == 1 and look.layers[0].delta is None


def test_stand_alone_batchnorm_and_dropout_layers_are_refused():
    with pytest.raises(NNVizError, match="options of a dense layer"):
        Network([Dense(2, 3), BatchNorm(3), Dense(3, 1)])
    with pytest.raises(NNVizError, match="options of a dense layer"):
        Network([Dense(2, 3), Dropout(0.5), Dense(3, 1)])
    for kind in ("batchnorm", "dropout"):
        with pytest.raises(NNVizError, match="stand-alone"):
            layer_from_config({"kind": kind, "n_units": 3, "p": 0.5})


def test_a_deep_copy_trains_like_the_original_and_apart_from_it():
    import copy

    net = _net(batchnorm=True)
    twin = copy.deepcopy(net)
    opt_a, opt_b = get_optimizer("adam", lr=0.01), get_optimizer("adam", lr=0.01)
    rng = np.random.default_rng(4)
    x, t = rng.normal(size=(6, 3)), rng.random((6, 2))
    before = net.flat_params.copy()
    for _ in range(3):
        twin.train_step(x, t, opt_b)
    np.testing.assert_array_equal(net.flat_params, before)  # the original did not move
    for _ in range(3):
        net.train_step(x, t, opt_a)
    np.testing.assert_array_equal(twin.flat_params, net.flat_params)
    for a, b in zip(net.layers, twin.layers):
        np.testing.assert_array_equal(a.W, b.W)
        assert all(np.shares_memory(v, twin.flat_params) for v in b.params.values())
        if b.norm is not None:  # the batch-norm sub-layer reads the same (re-linked) arrays
            assert b.norm.params["gamma"] is b.params["gamma"]


def test_an_unpickled_network_trains_like_the_original():
    """Pickle copies the layers' views of the flat buffers as new arrays (the training child
    process gets its network this way): unpickling must link them again, or the optimizer's
    step on flat_params would never reach the layers."""
    import pickle

    net = _net(batchnorm=True)
    twin = pickle.loads(pickle.dumps(net))
    for b in twin.layers:
        assert all(np.shares_memory(v, twin.flat_params) for v in b.params.values())
    opt_a, opt_b = get_optimizer("adam", lr=0.01), get_optimizer("adam", lr=0.01)
    rng = np.random.default_rng(5)
    x, t = rng.normal(size=(6, 3)), rng.random((6, 2))
    for _ in range(3):
        net.train_step(x, t, opt_a)
        twin.train_step(x, t, opt_b)
    np.testing.assert_array_equal(twin.flat_params, net.flat_params)
    np.testing.assert_array_equal(twin.forward(x), net.forward(x))
