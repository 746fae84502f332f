"""Your own data: CSV files (good and bad) and .npz archives."""
import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import load_dataset
from nnviz.data.csvdata import load_csv, load_npz


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


POINTS = "".join(f"{i * 0.5},{-i},{i % 2}\n" for i in range(10))


def test_numeric_with_header(tmp_path):
    ds = load_csv(write(tmp_path, "x1,x2,label\n" + POINTS), train_ratio=0.8)
    assert ds.feature_names == ["x1", "x2"] and ds.n_classes == 2
    assert ds.class_names == ["0", "1"]
    assert len(ds.x_train) == 8 and len(ds.x_test) == 2 and ds.x_train.dtype == np.float64
    x = np.concatenate([ds.x_train, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    np.testing.assert_array_equal(y, (x[:, 0] * 2).astype(int) % 2)


def test_numeric_without_header_same_data(tmp_path):
    a = load_csv(write(tmp_path, POINTS), seed=5)
    b = load_dataset(str(write(tmp_path, "a,b,c\n" + POINTS, "h.csv")), seed=5)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert a.feature_names == ["x1", "x2"]


def test_string_labels_and_label_by_name(tmp_path):
    text = "kind,w,h\n" + "".join(f"{k},{i},{i * 2}\n" for i, k in
                                    enumerate(["dog", "cat", "bird", "cat", "dog", "cat"]))
    ds = load_csv(write(tmp_path, text), label="kind", train_ratio=0.5)
    assert ds.class_names == ["bird", "cat", "dog"] and ds.n_classes == 3
    assert ds.feature_names == ["w", "h"]
    x = np.concatenate([ds.x_train, ds.x_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    assert dict(zip(x[:, 0].tolist(), y.tolist()))[2.0] == 0  # row 2 is the bird


def test_string_labels_without_header(tmp_path):
    ds = load_csv(write(tmp_path, "1,2,yes\n3,4,no\n5,6,yes\n"))
    assert ds.class_names == ["no", "yes"]


def test_minus_one_plus_one_labels_are_mapped(tmp_path):
    ds = load_csv(write(tmp_path, "1,-1\n2,1\n3,-1\n4,1\n"))
    assert ds.class_names == ["-1", "1"] and set(ds.y_train) <= {0, 1}


def test_regression(tmp_path):
    ds = load_csv(write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,2.5\n4,3.5\n"), task="regression")
    assert ds.n_classes is None and ds.y_train.shape == (3, 1)
    np.testing.assert_allclose(ds.y_train[:, 0], ds.x_train[:, 0] - 0.5)


@pytest.mark.parametrize("header", ["", "label," + ",".join(f"p{i}" for i in range(784)) + "\n"])
def test_seed_mnist_csv_format(tmp_path, header):
    rows = [[7] + [0] * 783 + [255], [2] + [1] * 784, [1] + [3] * 784]
    text = header + "".join(",".join(map(str, r)) + "\n" for r in rows)
    ds = load_dataset(str(write(tmp_path, text)), train_ratio=0.5)
    assert ds.n_classes == 10 and ds.image_shape == (28, 28) and ds.scaling == "unit"
    assert ds.x_train.dtype == np.uint8 and ds.x_train.shape[1] == 784
    assert sorted(np.concatenate([ds.y_train, ds.y_test]).tolist()) == [1, 2, 7]


def test_separate_test_file(tmp_path):
    train = write(tmp_path, "1,2,cat\n3,4,dog\n5,6,emu\n")
    ds = load_csv(train, test_path=write(tmp_path, "7,8,dog\n9,9,dog\n", "t.csv"))
    assert len(ds.x_train) == 3 and ds.y_test.tolist() == [1, 1]
    with pytest.raises(DataError, match=r"t2.csv: column 3 .* class 'yak' does not exist"):
        load_csv(train, test_path=write(tmp_path, "7,8,yak\n", "t2.csv"))


@pytest.mark.parametrize("text, message", [
    ("x1,x2,y\n1,2,0\n3,,1\n", r"line 3, column 2 \('x2'\): missing value"),
    ("1,2,0\n3,4,1\n\n5,abc,1\n", r"line 4, column 2 \('column 2'\): 'abc' is not a number"),
    ("1,2,0\n3,4,1\n5,6\n", r"line 3 has 2 columns but line 1 has 3"),
    ("a,b,c\n1,2,0\n3,4,1,9\n", r"line 3 has 4 columns but line 1 has 3"),
    ("1,2,1\n3,4,1\n", r"column 3 \('column 3'\) has only one class \('1'\)"),
    ("", r"the file is empty"),
    ("\n\n", r"the file is empty"),
    ("x1,x2,label\n", r"only a header line"),
    ("1,2,cat\n3,4,\n", r"line 2, column 3 \('column 3'\): missing value"),
    ("1,2,0\n3,nan,1\n", r"line 2, column 2 \('column 2'\): missing value"),
])
def test_bad_csv_names_line_and_column(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        load_csv(write(tmp_path, text))


def test_bad_regression_target(tmp_path):
    with pytest.raises(DataError, match=r"line 3, column 2 \('y'\): 'big' is not a number"):
        load_csv(write(tmp_path, "x,y\n1,2\n3,big\n"), task="regression")


def test_unknown_label_column(tmp_path):
    with pytest.raises(DataError, match="no column named 'z'"):
        load_csv(write(tmp_path, "x,y\n1,0\n2,1\n"), label="z")


def test_npz_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    arrays = dict(x_train=rng.integers(0, 256, (6, 5, 4), dtype=np.uint8),
                  y_train=np.array([0, 1, 2, 0, 1, 2]),
                  x_test=rng.integers(0, 256, (3, 5, 4), dtype=np.uint8),
                  y_test=np.array([2, 1, 0]), class_names=np.array(["a", "b", "c"]))
    np.savez(tmp_path / "d.npz", **arrays)
    ds = load_dataset(str(tmp_path / "d.npz"))
    assert ds.image_shape == (5, 4) and ds.x_train.shape == (6, 20) and ds.scaling == "unit"
    np.testing.assert_array_equal(ds.x_test, arrays["x_test"].reshape(3, 20))
    assert ds.class_names == ["a", "b", "c"] and ds.y_train.dtype == np.int64


def test_npz_regression_and_missing_keys(tmp_path):
    np.savez(tmp_path / "r.npz", x_train=np.ones((4, 2)), y_train=np.ones(4),
             x_test=np.ones((2, 2)), y_test=np.ones(2))
    assert load_npz(tmp_path / "r.npz").y_train.shape == (4, 1)
    np.savez(tmp_path / "m.npz", x_train=np.ones((4, 2)))
    with pytest.raises(DataError, match="missing arrays y_train, x_test, y_test"):
        load_npz(tmp_path / "m.npz")


def test_npz_with_pickled_objects_is_refused(tmp_path):
    objects = np.array([{"a": 1}, None], dtype=object)
    np.savez(tmp_path / "p.npz", x_train=objects, y_train=objects, x_test=objects,
             y_test=objects)
    with pytest.raises(DataError, match="pickled"):
        load_npz(tmp_path / "p.npz")


def test_first_row_reads_only_the_head_of_a_file(tmp_path):
    from nnviz.data.csvdata import first_row

    p = tmp_path / "big.csv"
    p.write_text("\n" + " a , b ,label\n" + "1,2,x\n" * 50000)
    assert first_row(p) == ["a", "b", "label"]
    assert first_row(p, max_bytes=64) == ["a", "b", "label"]
