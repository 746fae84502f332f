"""The real MNIST and Fashion-MNIST copies (skipped when they are not on this machine)."""
import numpy as np
import pytest

from nnviz.data import dataset_info, load_dataset
from nnviz.data.locate import find_dataset

pytestmark = pytest.mark.mnist


def test_mnist(real_data_dir):
    ds = load_dataset("mnist")
    assert ds.x_train.shape == (60000, 784) and ds.x_test.shape == (10000, 784)
    assert ds.x_train.dtype == np.uint8 and ds.image_shape == (28, 28)
    assert ds.y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert np.bincount(ds.y_train).tolist() == [5923, 6742, 5958, 6131, 5842,
                                                5421, 5918, 6265, 5851, 5949]
    assert ds.scaling == "unit"
    seed = load_dataset("mnist", scaling="seed")
    assert seed.inputs(seed.x_train[:1]).min() == pytest.approx(0.01)


def test_fashion_found_beside_mnist(real_data_dir):
    if find_dataset("fashion-mnist") is None:
        pytest.skip("no Fashion-MNIST copy beside MNIST")
    ds = load_dataset("fashion-mnist")
    assert len(ds.x_train) == 60000 and len(ds.x_test) == 10000
    assert ds.class_names[0] == "T-shirt/top" and ds.class_names[9] == "Ankle boot"
    assert np.bincount(ds.y_train).tolist() == [6000] * 10
    info = dataset_info("fashion-mnist")
    assert info["available"] and info["path"].endswith("fashion-mnist")
