"""Headless training on two cores (nnviz.core.parallel): deterministic, and for mnist-fast's
float32 shapes the same bits as one core."""
import numpy as np

from nnviz.core import parallel
from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer


def _train(two: bool, steps: int = 4) -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.random((64, 784), dtype=np.float32)
    t = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
    net = build_mlp([784, 256, 128, 10], activation="relu", output_activation="softmax",
                    loss="cross_entropy", init="he_normal", dtype="float32", seed=1)
    opt = get_optimizer("adam", lr=1e-3)
    if two:
        with parallel.two_cores():
            assert parallel.active()
            for _ in range(steps):
                net.train_step(x, t, opt)
        assert not parallel.active()
    else:
        for _ in range(steps):
            net.train_step(x, t, opt)
    return net.flat_params.copy()


def test_two_cores_same_bits_as_one():
    np.testing.assert_array_equal(_train(True), _train(False))


def test_matmul_halves_and_small_products():
    rng = np.random.default_rng(2)
    a, b = rng.random((64, 784)), rng.random((784, 300))
    with parallel.two_cores():
        first = parallel.matmul(a, b)
        np.testing.assert_array_equal(parallel.matmul(a, b), first)  # the same halves every time
        np.testing.assert_allclose(first, a @ b, rtol=1e-13)
        out = np.empty((784, 300))
        parallel.matmul(a.T, rng.random((64, 300)), out=out)  # a strided left factor
        small = parallel.matmul(a[:3, :4], b[:4, :5])
        np.testing.assert_array_equal(small, a[:3, :4] @ b[:4, :5])
