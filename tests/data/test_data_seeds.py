"""The seed notes' tables: logic gates and the gender example."""
import numpy as np

from nnviz.data import load_dataset
from nnviz.data.seeds import GENDER_PEOPLE


def test_gates_truth_tables():
    expected = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0],
                "xor": [0, 1, 1, 0]}
    for op, labels in expected.items():
        ds = load_dataset(f"gate-{op}")
        assert ds.x_train.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
        assert ds.y_train.tolist() == labels and ds.y_train.dtype == np.int64
        np.testing.assert_array_equal(ds.x_test, ds.x_train)
        assert ds.n_classes == 2


def test_gender_table():
    ds = load_dataset("gender")
    assert GENDER_PEOPLE == ["Alice", "Bob", "Charlie", "Diana"]
    assert ds.x_train.tolist() == [[-2, -1], [25, 6], [17, 4], [-15, -6]]
    assert ds.y_train.tolist() == [1, 0, 0, 1]
    assert ds.class_names == ["male", "female"]
    assert ds.feature_names[0].startswith("weight - 135")
