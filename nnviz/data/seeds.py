"""The tiny datasets of the seed notes: logic gates and the four-person gender table.

They are so small that train and test are the same rows (copies), which is what the
notes do: the question is whether the network can learn the table at all.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import UnknownNameError
from nnviz.data.base import Dataset

#: The four input rows of every gate, in the order 00, 01, 10, 11.
GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

#: Output of each gate for the rows of :data:`GATE_INPUTS`.
GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "xor": [0, 1, 1, 0],
}

#: Who is who in the gender table (row order of :func:`gender`).
GENDER_PEOPLE = ["Alice", "Bob", "Charlie", "Diana"]

#: Weight (lb) minus 135 and height (in) minus 66, from victorzhou.com's
#: "Machine learning for beginners: an introduction to neural networks".
GENDER_INPUTS = np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=np.float64)

#: 1 = female, 0 = male (see ``class_names``).
GENDER_LABELS = np.array([1, 0, 0, 1], dtype=np.int64)

DESCRIPTIONS = {
    "gate-and": "logic gate AND: 4 rows, 2 inputs (linearly separable)",
    "gate-or": "logic gate OR: 4 rows, 2 inputs (linearly separable)",
    "gate-nand": "logic gate NAND: 4 rows, 2 inputs (linearly separable)",
    "gate-xor": "logic gate XOR: 4 rows, 2 inputs (needs a hidden layer)",
    "gender": "Alice, Bob, Charlie, Diana: weight and height (centred) -> male/female",
}


def gate(op: str) -> Dataset:
    """Truth table of a logic gate.

    Parameters
    ----------
    op : str
        ``"and"``, ``"or"``, ``"nand"`` or ``"xor"``.

    Returns
    -------
    Dataset
        ``x`` float64 (4, 2) rows 00, 01, 10, 11; ``y`` int64 (4,); train = test.
    """
    if op not in GATES:
        raise UnknownNameError("logic gate", op, GATES)
    y = np.array(GATES[op], dtype=np.int64)
    return Dataset(name=f"gate-{op}", x_train=GATE_INPUTS.copy(), y_train=y,
                   x_test=GATE_INPUTS.copy(), y_test=y.copy(), n_classes=2,
                   feature_names=["x1", "x2"], class_names=["0", "1"],
                   description=DESCRIPTIONS[f"gate-{op}"])


def gender() -> Dataset:
    """The seed's gender table: two centred measurements per person, 1 = female.

    Returns
    -------
    Dataset
        ``x`` float64 (4, 2) = weight - 135 lb, height - 66 in, one row per person of
        :data:`GENDER_PEOPLE`; ``y`` int64 (4,); train = test.
    """
    return Dataset(name="gender", x_train=GENDER_INPUTS.copy(), y_train=GENDER_LABELS.copy(),
                   x_test=GENDER_INPUTS.copy(), y_test=GENDER_LABELS.copy(), n_classes=2,
                   class_names=["male", "female"],
                   feature_names=["weight - 135 (lb)", "height - 66 (in)"],
                   description=DESCRIPTIONS["gender"])


#: Names of all seed datasets.
NAMES = tuple(DESCRIPTIONS)


def make_seed_set(name: str) -> Dataset:
    """Build a seed dataset by its catalog name (``"gate-xor"``, ``"gender"``...)."""
    if name == "gender":
        return gender()
    if name.startswith("gate-") and name[5:] in GATES:
        return gate(name[5:])
    raise UnknownNameError("dataset", name, NAMES)
