"""IDX reading against small synthetic files written here."""
import gzip

import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import load_dataset
from nnviz.data.idx import read_images, read_labels, read_pair

IMAGES = np.arange(5 * 4 * 3).reshape(5, 4, 3) % 256


@pytest.mark.parametrize("gz", [False, True])
def test_round_trip_raw_and_gz(tmp_path, gz, idxtools):
    path = idxtools.write_idx(tmp_path / "train-images-idx3-ubyte", IMAGES, 2051, gz=gz)
    x, shape = read_images(path)
    assert shape == (4, 3) and x.shape == (5, 12) and x.dtype == np.uint8
    np.testing.assert_array_equal(x, IMAGES.reshape(5, 12))
    labels = read_labels(idxtools.write_idx(tmp_path / "l", np.array([3, 1, 4, 1, 5]), 2049, gz=gz))
    assert labels.tolist() == [3, 1, 4, 1, 5]
    for arr in (x, labels):  # read-only whether the bytes came from the file or from gunzip
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 9


def test_wrong_magic_names_the_file(tmp_path, idxtools):
    path = idxtools.write_idx(tmp_path / "imgs", np.array([1, 2]), 2049)
    with pytest.raises(DataError, match=r"imgs.*wrong magic number 2049.*label file"):
        read_images(path)
    junk = tmp_path / "junk"
    junk.write_bytes(b"\0\0\0\x07" + bytes(20))
    with pytest.raises(DataError, match="wrong magic number 7"):
        read_labels(junk)


def test_truncated_data(tmp_path, idxtools):
    path = tmp_path / "cut"
    path.write_bytes(idxtools.idx_bytes(IMAGES, 2051)[:-5])
    with pytest.raises(DataError, match=r"cut: truncated.*5 images of 4x3 = 60 bytes.*has 55"):
        read_images(path)
    short = tmp_path / "short"
    short.write_bytes(b"\0\0\x08\x03\0\0")
    with pytest.raises(DataError, match="too short"):
        read_images(short)


def test_zero_size_header(tmp_path, idxtools):
    path = idxtools.write_idx(tmp_path / "flat", np.zeros((3, 0, 4)), 2051)
    with pytest.raises(DataError, match="0x4"):
        read_images(path)


def test_count_mismatch_between_images_and_labels(tmp_path, idxtools):
    images = idxtools.write_idx(tmp_path / "i", IMAGES, 2051)
    labels = idxtools.write_idx(tmp_path / "l", np.array([1, 2, 3, 4]), 2049)
    with pytest.raises(DataError, match="5 images but .* 4 labels"):
        read_pair(images, labels)


def test_labels_out_of_range(tmp_path, idxtools):
    path = idxtools.write_idx(tmp_path / "l", np.array([1, 12, 3]), 2049)
    with pytest.raises(DataError, match=r"label 12 at index 1 is out of range 0\.\.9"):
        read_labels(path, n_classes=10)


def test_damaged_gzip(tmp_path, idxtools):
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(idxtools.idx_bytes(IMAGES, 2051))[:30])
    with pytest.raises(DataError, match="damaged gzip"):
        read_images(path)


def test_folder_and_single_file_through_the_catalog(tmp_path, idxtools):
    folder = idxtools.write_folder(tmp_path / "digits", idxtools.synthetic())
    ds = load_dataset(str(folder))
    assert ds.name == "digits" and ds.image_shape == (4, 3) and ds.scaling == "unit"
    assert ds.x_train.shape == (30, 12) and ds.y_test.dtype == np.int64 and ds.n_classes == 10
    single = load_dataset(str(folder / "t10k-images-idx3-ubyte.gz"), train_ratio=0.75)
    assert len(single.x_train) == 9 and len(single.x_test) == 3
    with pytest.raises(DataError, match="label file"):
        load_dataset(str(folder / "t10k-labels-idx1-ubyte.gz"))


def test_folder_missing_a_file(tmp_path, idxtools):
    files = idxtools.synthetic()
    del files["t10k-labels-idx1-ubyte.gz"]
    folder = idxtools.write_folder(tmp_path / "digits", files)
    with pytest.raises(DataError, match="missing t10k-labels-idx1-ubyte.gz"):
        load_dataset(str(folder))
