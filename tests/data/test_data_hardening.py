"""Issue 10: labels are class names, headers and the label column are found (and said), wrong
MNIST files are named, and a symlink loop in NNVIZ_DATA_DIR is just "not found"."""
import os

import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import dataset_info, load_dataset, locate
from nnviz.data.csvdata import load_csv, load_npz


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_a_big_whole_label_is_a_class_name_not_an_index(tmp_path):
    ds = load_csv(write(tmp_path, "1,2,0\n3,4,1\n5,6,0\n7,8,1000000000\n"))
    assert ds.n_classes == 3 and ds.class_names == ["0", "1", "1000000000"]
    both = np.concatenate([ds.y_train, ds.y_test])
    assert sorted(both.tolist()) == [0, 0, 1, 2]
    ds = load_csv(write(tmp_path, "1,2,0\n3,4,1e300\n5,6,0\n7,8,1e300\n"))
    assert ds.class_names == ["0", "1e+300"]


def test_npz_labels_are_class_names_too(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x_train=np.zeros((3, 2)), y_train=np.array([0, 10**9, 0]),
             x_test=np.zeros((1, 2)), y_test=np.array([10**9]))
    ds = load_npz(path)
    assert ds.n_classes == 2 and ds.class_names == ["0", "1000000000"]
    assert ds.y_train.tolist() == [0, 1, 0] and ds.y_test.tolist() == [1]
    assert ds.summary()["train_label_counts"] == [2, 1]


@pytest.mark.parametrize("cell, message", [("nan", "line 2, column 3 .*missing value"),
                                           ("inf", "line 2, column 3 .*'inf' is not a finite number")])
def test_non_finite_labels_are_refused_with_line_and_column(tmp_path, cell, message):
    with pytest.raises(DataError, match=message):
        load_csv(write(tmp_path, f"1,2,0\n3,4,{cell}\n5,6,1\n"))


def test_non_finite_npz_values_are_refused(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x_train=np.array([[1.0], [np.nan]]), y_train=np.array([0, 1]),
             x_test=np.zeros((1, 1)), y_test=np.array([1]))
    with pytest.raises(DataError, match=r"x_train\[1, 0\] is nan, not a finite number"):
        load_npz(path)


def test_a_header_of_numbers_is_still_a_header(tmp_path):
    ds = load_csv(write(tmp_path, "2019,2020,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n"))
    assert ds.feature_names == ["2019", "2020"] and ds.class_names == ["0", "1"]
    assert len(ds.x_train) + len(ds.x_test) == 4


def test_a_label_first_file_without_header_takes_the_first_column(tmp_path):
    ds = load_csv(write(tmp_path, "0,1.5,2.25\n1,2.5,3.75\n0,1.25,0.5\n1,3.5,3.25\n"))
    assert ds.class_names == ["0", "1"]
    assert sorted(np.concatenate([ds.x_train, ds.x_test])[:, 0].tolist()) == [1.25, 1.5, 2.5, 3.5]
    assert ds.label_column.startswith("column 1 ('column 1'): the last column holds fractions")


@pytest.mark.parametrize("label, column", [("kind", 1), ("1", 1), ("-1", 3), (0, 1)])
def test_the_label_column_can_be_named_and_info_says_which(tmp_path, label, column):
    path = write(tmp_path, "kind,a,b\n0,1,5\n1,2,6\n0,3,7\n1,4,8\n")
    info = dataset_info(str(path), label=label)
    names = {1: "kind", 3: "b"}
    assert info["label_column"] == f"column {column} ({names[column]!r}): chosen"
    default = dataset_info(str(path))["label_column"]
    assert default == "column 3 ('b'): the last column (choose another with --label-column)"


def test_wrong_folder_in_the_message_is_fixed(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    folder.mkdir()
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(DataError) as info:
        load_dataset("mnist")
    assert f"in {folder}:" in str(info.value) and f"{folder}/mnist" not in str(info.value)


def test_a_symlink_loop_in_the_data_dir_is_not_a_crash(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    os.symlink(b, a)
    os.symlink(a, b)
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(a))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert locate.find_dataset("mnist") is None
    with pytest.raises(DataError, match="not on this computer"):
        load_dataset("mnist")


def test_a_column_of_thousands_of_distinct_labels_is_not_a_classification(tmp_path):
    rows = "".join(f"{i},{i * 0.37}\n" for i in range(1500))
    with pytest.raises(DataError, match="1500 different labels, more than the 1000 classes"):
        load_csv(write(tmp_path, rows))
    assert load_csv(write(tmp_path, rows), task="regression").n_classes is None


def test_a_gzip_that_expands_past_free_memory_is_refused(tmp_path, monkeypatch):
    import gzip

    from nnviz.data import idx
    path = tmp_path / "bomb-idx3-ubyte.gz"
    header = (2051).to_bytes(4, "big") + (12_755).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    path.write_bytes(gzip.compress(header + b"\0" * 10_000_000))  # 10 MB of zeros: ~10 KB on disk
    monkeypatch.setattr(idx, "available_bytes", lambda: 2_000_000)
    with pytest.raises(DataError, match="declares 9.5 MB of data, more than the memory that is "
                                        "free allows .976.6 KB."):
        idx.read_images(path)


def test_found_by_the_fuzzer_empty_image_arrays_and_scalar_labels(tmp_path):
    path = tmp_path / "e.npz"
    np.savez(path, x_train=np.zeros((0, 2, 2), np.uint8), y_train=np.array(3.0),
             x_test=np.zeros((0, 2, 2), np.uint8), y_test=np.array(3.0))
    with pytest.raises(DataError, match="x_train has no samples"):
        load_npz(path)
    np.savez(path, x_train=np.zeros((2, 2)), y_train=np.array(3.0), x_test=np.zeros((1, 2)),
             y_test=np.array([1.0]))
    with pytest.raises(DataError, match=r"y_train has shape \(\) but there are 2 samples"):
        load_npz(path)
