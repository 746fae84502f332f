"""The shipped sample digits are what their documented command makes."""
import numpy as np

from nnviz.data.samples import load_samples, make_samples, pick_samples


def test_pick_samples_is_balanced_and_seeded():
    y = np.arange(1000) % 10
    a, b = pick_samples(y, 5, seed=3), pick_samples(y, 5, seed=3)
    np.testing.assert_array_equal(a, b)
    assert np.bincount(y[a]).tolist() == [5] * 10 and np.all(np.diff(a) > 0)


def test_make_samples_reproduces_the_shipped_file(real_data_dir, tmp_path):
    from nnviz.data import load_dataset

    path = make_samples(tmp_path / "s.npz")
    x, y = load_samples(path)
    sx, sy = load_samples()
    np.testing.assert_array_equal(x, sx)
    np.testing.assert_array_equal(y, sy)
    ds = load_dataset("mnist")
    with np.load(path) as z:
        idx = z["indices"]
    np.testing.assert_array_equal(ds.x_test[idx].reshape(-1, 28, 28), sx)
