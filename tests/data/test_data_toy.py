"""Playground-style toy sets: reproducible, right shapes, features computed correctly."""
import numpy as np
import pytest

from nnviz.core.errors import DataError, UnknownNameError
from nnviz.data import load_dataset
from nnviz.data.toy import NAMES, make_toy


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_arrays_other_seed_differs(name):
    a, b = make_toy(name, seed=3, noise=10), make_toy(name, seed=3, noise=10)
    c = make_toy(name, seed=4, noise=10)
    for key in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_dtypes_and_range(name):
    ds = make_toy(name)
    assert len(ds.x_train) == len(ds.x_test) == 250
    assert ds.x_train.dtype == np.float64 and ds.scaling == "none"
    assert np.abs(ds.x_train).max() <= 8
    assert ds.feature_names == ["x1", "x2"]
    if name.startswith("reg-"):
        assert ds.n_classes is None and ds.y_train.shape == (250, 1)
    else:
        assert ds.y_train.dtype == np.int64
        assert set(np.unique(ds.y_train)) == set(range(ds.n_classes))


def test_binary_sets_have_two_classes():
    for name in ("circle", "xor", "gauss", "spiral"):
        assert make_toy(name).n_classes == 2


def test_noise_free_circle_is_separable_by_radius():
    ds = make_toy("circle", noise=0, n_samples=400, seed=1)
    x = np.concatenate([ds.x_train, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    r = np.hypot(x[:, 0], x[:, 1])
    assert r[y == 1].max() < 2.5 <= r[y == 0].min()


def test_noise_free_xor_follows_the_quadrants():
    ds = make_toy("xor", noise=0)
    np.testing.assert_array_equal(ds.y_train, (ds.x_train[:, 0] * ds.x_train[:, 1] >= 0))


def test_feature_expansion_columns():
    ds = make_toy("spiral", features="x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)")
    x = ds.x_train
    assert ds.feature_names == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    np.testing.assert_allclose(x[:, 4], x[:, 0] * x[:, 1])
    np.testing.assert_allclose(x[:, 2], x[:, 0] ** 2)
    np.testing.assert_allclose(x[:, 6], np.sin(x[:, 1]))
    only = make_toy("spiral", features=["x1*x2"])
    np.testing.assert_allclose(only.x_train[:, 0], x[:, 4])


def test_multiclass_and_options_through_the_catalog():
    ds = load_dataset("spiral-k", n_classes=5, n_samples=100, train_ratio=0.8, seed=2)
    assert ds.n_classes == 5 and len(ds.x_train) == 80 and len(ds.x_test) == 20
    assert load_dataset("blobs").n_classes == 4


@pytest.mark.parametrize("kwargs", [dict(noise=60), dict(train_ratio=1.0), dict(n_samples=2),
                                    dict(features=["x1", "x1"]), dict(n_classes=3)])
def test_bad_parameters(kwargs):
    with pytest.raises(DataError):
        make_toy("circle", **kwargs)


def test_unknown_feature():
    with pytest.raises(UnknownNameError, match="x3"):
        make_toy("circle", features="x1,x3")
