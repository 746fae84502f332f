"""The loss landscape's numbers (issue 22): the centre, exact named axes, filter normalisation,
path projection and the PCA plane."""
import numpy as np
import pytest

from nnviz.core.layers import Dense
from nnviz.core.network import Network, build_mlp
from nnviz.experiment import build
from nnviz.landscape import (PlaneLoss, axis_directions, compute_surface, filter_normalize,
                             grid_axis, make_directions, pca_directions, project, random_directions,
                             subset_rows)
from nnviz.presets import get_preset, preset_data


def trained_xor(epochs=30):
    p = get_preset("xor")
    exp = build(p.settings, data=preset_data(p))
    for _ in range(epochs):
        exp.trainer.run_epoch()
    x = exp.data.inputs(exp.data.x_train, dtype=exp.net.dtype)
    return exp, x, exp.trainer.t_train


def test_centre_is_the_loss_of_the_network_as_it_is_and_the_network_is_untouched():
    exp, x, t = trained_xor()
    before = exp.net.flat_params.copy()
    for axes in ("random", "w:0:0:0,w:1:2:0"):
        d = make_directions(exp.net, axes, seed=3)
        s = compute_surface(exp.net, x, t, d, span=1.5, grid=7)
        own = exp.net.loss_value(exp.net.forward(x), t)
        assert s.loss[3, 3] == pytest.approx(own, rel=1e-12, abs=1e-15)
        assert s.center_loss == pytest.approx(own, rel=1e-12)
        assert s.alphas[3] == 0.0 and s.betas[3] == 0.0
    assert np.array_equal(exp.net.flat_params, before)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_two_named_weights_match_the_loss_computed_by_hand():
    """A 2-2-1 sigmoid network with mean squared error, written out by hand here."""
    net = build_mlp([2, 2, 1], activation="sigmoid", loss="mse", seed=5)
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    t = np.array([[0.0], [1.0], [1.0], [0.0]])
    W1, b1 = net.layers[0].W.copy(), net.layers[0].b.copy()
    W2, b2 = net.layers[1].W.copy(), net.layers[1].b.copy()
    d = axis_directions(net, "w:0:1:0,b:1:0")       # W1[1, 0] (input 1 → hidden 0) and b2[0]
    s = compute_surface(net, x, t, d, span=3.0, grid=9)
    for i, a in enumerate(s.alphas):
        for j, b in enumerate(s.betas):
            V1 = W1.copy()
            V1[1, 0] += a
            h = _sigmoid(x @ V1 + b1)
            y = _sigmoid(h @ W2 + (b2 + b))
            assert s.loss[i, j] == pytest.approx(np.mean((y - t) ** 2), rel=1e-12, abs=1e-15)
    assert d.info["axes"] == ["w:0:1:0", "b:1:0"]


def test_filter_normalised_directions_have_each_neurons_weight_norm():
    net = build_mlp([5, 7, 3, 2], activation="relu", loss="mse", seed=1, bias_init="normal")
    d = random_directions(net, seed=2)
    for vec in (d.d1, d.d2):
        for layer, part in zip(net.layers, net.split(vec)):
            assert np.allclose(np.linalg.norm(part["W"], axis=0), np.linalg.norm(layer.W, axis=0), rtol=1e-9)
            assert not part["b"].any()          # biases: 0 (Li et al.'s "ignore biasbn")
    f = filter_normalize(np.random.default_rng(0).standard_normal(net.n_params), net, bias="filter")
    for layer, part in zip(net.layers, net.split(f)):
        both = np.vstack([part["W"], part["b"][None]])
        assert np.allclose(np.linalg.norm(both, axis=0),
                           np.linalg.norm(np.vstack([layer.W, layer.b[None]]), axis=0), rtol=1e-9)


def test_last_checkpoint_projects_to_the_origin_and_least_squares_for_skew_directions():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(30)
    d1, d2 = rng.standard_normal(30), rng.standard_normal(30)   # not orthogonal, not unit
    path = [theta + rng.standard_normal(30) for _ in range(5)] + [theta.copy()]
    coords, off = project(path, theta, d1, d2)
    assert np.allclose(coords[-1], 0.0, atol=1e-12) and off[-1] == pytest.approx(0.0, abs=1e-12)
    c, o = project([theta + 0.3 * d1 - 0.7 * d2], theta, d1, d2)
    assert np.allclose(c, [[0.3, -0.7]]) and o[0] == pytest.approx(0.0, abs=1e-9)


def test_the_pca_plane_contains_the_paths_two_main_directions():
    rng = np.random.default_rng(1)
    P = 40
    theta = rng.standard_normal(P)
    u, v = np.linalg.qr(rng.standard_normal((P, 2)))[0].T
    s = np.linspace(0, 1, 50)
    path = theta[None] + np.outer(3 * (1 - s), u) + np.outer(np.sin(6 * s), v) \
        + 1e-4 * rng.standard_normal((50, P))
    path[-1] = theta
    d = pca_directions(theta, path)
    D = np.stack([d.d1, d.d2], axis=1)
    for w in (u, v):                     # each lies in the plane: its projection keeps its length
        assert np.linalg.norm(D.T @ w) == pytest.approx(1.0, abs=1e-4)
    assert abs(d.d1 @ d.d2) < 1e-10 and np.linalg.norm(d.d1) == pytest.approx(1.0)
    assert sum(d.info["explained_variance"]) == pytest.approx(1.0, abs=1e-6)
    coords, _off = project(path, theta, d.d1, d.d2)
    assert np.allclose(coords[-1], 0.0)


@pytest.mark.parametrize("kind", ["batchnorm", "softmax", "float32", "wide"])
def test_many_points_per_pass_equal_one_network_per_point(kind):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((37, 3))
    if kind == "batchnorm":
        net = build_mlp([3, 6, 5, 1], activation="tanh", output_activation="sigmoid", loss="bce",
                        batchnorm=True, seed=2)
        for l in net.layers[:-1]:
            l.buffers["running_mean"][...] = rng.standard_normal(l.n_out)
            l.buffers["running_var"][...] = rng.uniform(0.5, 2, l.n_out)
        t = (rng.random((37, 1)) > 0.5).astype(float)
    elif kind == "wide":   # a hidden layer of 80×70 weights: one product per grid point
        net = build_mlp([3, 80, 70, 4], activation="relu", output_activation="softmax",
                        loss="cross_entropy", seed=2)
        t = np.eye(4)[rng.integers(0, 4, 37)]
    else:
        net = build_mlp([3, 6, 4], activation="relu", output_activation="softmax", loss="cross_entropy",
                        seed=2, dtype="float32" if kind == "float32" else "float64")
        t = np.eye(4)[rng.integers(0, 4, 37)]
    ev = PlaneLoss(net, x, t)
    d = random_directions(net, seed=1, bias="filter")
    d.d2[:] += rng.standard_normal(net.n_params) * 0.1    # batch-norm's γ, β move too
    alphas = grid_axis(1.0, 5)
    grid = ev.grid(net.flat_params, d.d1, d.d2, alphas, alphas)
    tol = 1e-5 if kind == "float32" else 1e-12
    for i, a in enumerate(alphas):
        for j, b in enumerate(alphas):
            p = net.flat_params.astype(np.float64) + a * d.d1 + b * d.d2
            assert grid[i, j] == pytest.approx(ev.loss_at(p), rel=tol, abs=tol)


def test_subset_is_seeded_and_sorted():
    a, b = subset_rows(100, 10, seed=3), subset_rows(100, 10, seed=3)
    assert np.array_equal(a, b) and len(set(a.tolist())) == 10 and np.all(np.diff(a) > 0)
    assert subset_rows(5, 10) == slice(0, 5)


def test_cancel_stops_between_chunks():
    from nnviz.landscape import Cancelled
    exp, x, t = trained_xor(1)
    ev = PlaneLoss(exp.net, x, t)
    d = make_directions(exp.net, "random")
    with pytest.raises(Cancelled):
        ev.grid(exp.net.flat_params, d.d1, d.d2, grid_axis(1, 5), grid_axis(1, 5), cancel=lambda: True)


def test_a_race_of_optimizers_on_one_real_surface():
    """How the "Optimizers racing" lesson would use it: every variant's path on the principal
    plane of all paths, around the common starting weights."""
    from nnviz.landscape import paths_landscape
    from nnviz.timeline import Race

    p = get_preset("xor")
    race = Race(p.settings.replace(batch_size=None), {"optimizer": ["sgd", "momentum", "adam"]},
                data=preset_data(p))
    for _ in range(40):
        race.step()
    paths = {name: np.array([c.params for c in tl.checkpoints()])
             for name, tl in zip(race.names, race.timelines)}
    start = paths[race.names[0]][0]
    assert all(np.array_equal(v[0], start) for v in paths.values())      # one start for all
    exp = race.experiments[0]
    x = exp.data.inputs(exp.data.x_train, dtype=exp.net.dtype)
    surface, coords = paths_landscape(exp.net, x, exp.trainer.t_train, paths, center=start, grid=9)
    assert set(coords) == set(race.names)
    for c in coords.values():
        assert np.allclose(c[0], 0.0, atol=1e-9)                          # they start at the centre
        assert np.abs(c).max() <= surface.span
    assert np.isfinite(surface.loss).all()
