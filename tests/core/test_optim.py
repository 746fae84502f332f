"""Optimizers and schedules against steps computed by hand (and PyTorch, when it is installed)."""
import math

import numpy as np
import pytest

from nnviz.core.errors import NNVizError, UnknownNameError
from nnviz.core.optim import OPTIMIZERS, get_optimizer
from nnviz.core.schedules import get_schedule

P0 = np.array([1.0, -2.0, 0.5])
G = [np.array([0.5, 0.1, -0.3]), np.array([-0.2, 0.4, 0.0]), np.array([0.3, -0.1, 0.2])]


def run(name, steps=3, **kw):
    opt = get_optimizer(name, **kw)
    p = P0.copy()
    out = []
    for g in G[:steps]:
        opt.step(p, g)
        out.append(p.copy())
    return out


def test_sgd():
    out = run("sgd", lr=0.1)
    np.testing.assert_allclose(out[0], P0 - 0.1 * G[0])
    np.testing.assert_allclose(out[2], P0 - 0.1 * (G[0] + G[1] + G[2]))


def test_momentum_pytorch_form():
    out = run("momentum", lr=0.1)
    b1 = G[0]
    b2 = 0.9 * b1 + G[1]
    b3 = 0.9 * b2 + G[2]
    np.testing.assert_allclose(out[0], P0 - 0.1 * b1)
    np.testing.assert_allclose(out[1], P0 - 0.1 * (b1 + b2))
    np.testing.assert_allclose(out[2], P0 - 0.1 * (b1 + b2 + b3))


def test_nesterov():
    out = run("nesterov", lr=0.1)
    b1 = G[0]
    b2 = 0.9 * b1 + G[1]
    p1 = P0 - 0.1 * (G[0] + 0.9 * b1)
    np.testing.assert_allclose(out[0], p1)
    np.testing.assert_allclose(out[1], p1 - 0.1 * (G[1] + 0.9 * b2))


def test_adagrad():
    out = run("adagrad")  # default lr 0.01, eps 1e-10
    s1 = G[0] ** 2
    p1 = P0 - 0.01 * G[0] / (np.sqrt(s1) + 1e-10)
    s2 = s1 + G[1] ** 2
    np.testing.assert_allclose(out[0], p1)
    np.testing.assert_allclose(out[1], p1 - 0.01 * G[1] / (np.sqrt(s2) + 1e-10))


def test_rmsprop():
    out = run("rmsprop")  # lr 0.01, alpha 0.99, eps 1e-8
    v1 = 0.01 * G[0] ** 2
    p1 = P0 - 0.01 * G[0] / (np.sqrt(v1) + 1e-8)
    v2 = 0.99 * v1 + 0.01 * G[1] ** 2
    np.testing.assert_allclose(out[0], p1)
    np.testing.assert_allclose(out[1], p1 - 0.01 * G[1] / (np.sqrt(v2) + 1e-8))


def test_adam():
    out = run("adam", lr=0.1)
    m1, v1 = 0.1 * G[0], 0.001 * G[0] ** 2
    p1 = P0 - 0.1 * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)
    m2, v2 = 0.9 * m1 + 0.1 * G[1], 0.999 * v1 + 0.001 * G[1] ** 2
    bc1, bc2 = 1 - 0.9 ** 2, 1 - 0.999 ** 2
    p2 = p1 - 0.1 * (m2 / bc1) / (np.sqrt(v2 / bc2) + 1e-8)
    np.testing.assert_allclose(out[0], p1, rtol=1e-12)
    np.testing.assert_allclose(out[1], p2, rtol=1e-12)
    # the first Adam step moves every weight by about lr, whatever the gradient's size
    np.testing.assert_allclose(np.abs(out[0] - P0)[:3], 0.1, rtol=1e-6)


def test_weight_decay_and_l1():
    out = run("sgd", steps=1, lr=0.1, weight_decay=0.01, l1=0.02)
    np.testing.assert_allclose(out[0], P0 - 0.1 * (G[0] + 0.01 * P0 + 0.02 * np.sign(P0)))


def test_float32_adam_stays_float32():
    opt = get_optimizer("adam")
    p = P0.astype(np.float32)
    opt.step(p, G[0].astype(np.float32))
    assert p.dtype == np.float32 and opt.state["exp_avg"].dtype == np.float32


def test_state_is_lazy_and_swappable():
    opt = get_optimizer("adam")
    assert opt.state == {}
    p = P0.copy()
    opt.step(p, G[0])
    assert set(opt.state) >= {"exp_avg", "exp_avg_sq"}
    opt2 = get_optimizer("momentum", lr=0.1)
    opt2.step(p, G[1])  # a new optimizer on the same parameters starts fresh
    np.testing.assert_array_equal(opt2.state["buf"], G[1])


def test_bad_names_and_values():
    with pytest.raises(UnknownNameError, match="valid: adagrad, adam"):
        get_optimizer("adamw")
    with pytest.raises(NNVizError, match="positive"):
        get_optimizer("sgd", lr=-1)
    with pytest.raises(NNVizError, match="positive"):
        get_optimizer("sgd", lr=float("nan"))
    with pytest.raises(NNVizError, match="unknown hyper-parameter"):
        get_optimizer("sgd", momentum=0.9)


def test_readable_str():
    assert str(get_optimizer("adam")) == "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0, l1=0)"


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_matches_pytorch(name):
    torch = pytest.importorskip("torch")
    cls = {"sgd": lambda ps, lr: torch.optim.SGD(ps, lr=lr),
           "momentum": lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9),
           "nesterov": lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9, nesterov=True),
           "adagrad": lambda ps, lr: torch.optim.Adagrad(ps, lr=lr),
           "rmsprop": lambda ps, lr: torch.optim.RMSprop(ps, lr=lr),
           "adam": lambda ps, lr: torch.optim.Adam(ps, lr=lr)}[name]
    tp = torch.tensor(P0.copy(), dtype=torch.float64, requires_grad=True)
    topt = cls([tp], 0.05)
    ours = run(name, lr=0.05)
    for g, mine in zip(G, ours):
        tp.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        np.testing.assert_allclose(tp.detach().numpy(), mine, rtol=1e-12, atol=1e-15)


def test_schedules():
    step = get_schedule("step", step_size=10, gamma=0.5)
    assert [step.lr(e, 1.0) for e in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]
    multi = get_schedule("multistep", milestones=[50, 100, 160], gamma=0.5)
    assert [multi.lr(e, 0.8) for e in (0, 49, 50, 99, 100, 160, 500)] == [0.8, 0.8, 0.4, 0.4, 0.2, 0.1, 0.1]
    expo = get_schedule("exponential", gamma=0.9)
    assert expo.lr(3, 2.0) == pytest.approx(2.0 * 0.9 ** 3)
    assert get_schedule(None).lr(99, 0.3) == 0.3
    with pytest.raises(UnknownNameError):
        get_schedule("cosine")
    assert math.isclose(get_schedule("step", step_size=1, gamma=0.1).lr(2, 1.0), 0.01)
