"""Your own data: CSV files of feature columns plus a label column (``.npz``: :mod:`.npzdata`).

CSV rules
---------
* One row per sample; the label is the last column unless ``label=`` names another (a
  header name, or a 1-based column number given as text, e.g. ``"1"``; an ``int`` is a
  0-based index). Without one: a column called ``label`` when there is a header; the first
  column when the last holds fractions and the first only whole numbers (a label-first
  file); the seed notes' MNIST format ``label,p0,...,p783`` (785 columns, label first) with
  or without a header. ``Dataset.label_column`` says which column was taken, and why.
* A header line is optional; it is detected when a cell of the first line is not a number
  in a column whose next lines are numbers (so ``2019,2020,label`` is a header too).
* Labels are class *names*, numbers or text: the classes are the distinct values, sorted
  (two labels 0 and 10⁹ make two classes; ``class_names`` keeps the originals). A label
  that is not a finite number (``nan``, ``inf``) is refused with its line and column.
* ``task="regression"`` reads the label column as a float target instead.
* Errors name the line (1-based, as in a text editor) and the column.

The rows are shuffled with ``seed`` and split by ``train_ratio``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError
from nnviz.data.base import Dataset
from nnviz.data.files import short

from nnviz.data.csvtable import MNIST_CSV_COLUMNS, _number, _Table, first_row  # noqa: F401 (first_row: public)


# -- splitting ----------------------------------------------------------------------------
def split_indices(n: int, train_ratio: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle ``range(n)`` with ``seed`` and cut it by ``train_ratio``.

    Returns
    -------
    train, test : ndarray of int64
        Row indices; both non-empty.
    """
    if not 0 < train_ratio < 1:
        raise DataError(N_("train_ratio must be between 0 and 1 (e.g. 0.8), got {value}"),
                        value=short(train_ratio))
    if n < 2:
        raise DataError(N_("need at least 2 samples to make a train and a test set, got {n}"), n=n)
    order = np.random.default_rng(seed).permutation(n)
    n_train = min(max(1, round(n * train_ratio)), n - 1)
    return order[:n_train], order[n_train:]


# -- labels -------------------------------------------------------------------------------
def _column_kind(table: _Table, col: int) -> str:
    """``"whole"``, ``"fraction"`` or ``"text"``: what the sampled cells of a column hold."""
    values = [_number(r[col]) for r in table.sample if col < len(r)]
    if not values or any(v is None for v in values):
        return "text"
    return "whole" if all(float(v).is_integer() for v in values) else "fraction"


def _label_column(table: _Table, label: str | int | None,
                  task: str = "classification") -> tuple[int, str]:
    """Index of the label column and why it was taken."""
    if label is None:
        lower = [n.lower() for n in table.names]
        if table.has_header and "label" in lower:
            return lower.index("label"), "its header is 'label'"
        if table.n_cols == MNIST_CSV_COLUMNS:
            return 0, "785 columns: the MNIST CSV layout, label first"
        last = table.n_cols - 1
        if (task == "classification" and _column_kind(table, last) == "fraction"
                and _column_kind(table, 0) == "whole"):
            return 0, ("the last column holds fractions and the first whole numbers "
                       "(choose another with --label-column)")
        return last, "the last column (choose another with --label-column)"
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        if not -table.n_cols <= label < table.n_cols:
            raise DataError(N_("{path}: label column {label} does not exist (the file has "
                               "{n} columns)"), path=str(table.path), label=label, n=table.n_cols)
        return int(label) % table.n_cols, "chosen"
    label = str(label)
    if label in table.names:
        return table.names.index(label), "chosen"
    try:
        number = int(label)
    except ValueError:
        number = None
    if number is not None:
        if not (1 <= number <= table.n_cols or -table.n_cols <= number <= -1):
            raise DataError(N_("{path}: there is no column {number}; the file has columns 1 "
                               "to {n} (or -1 for the last)"), path=str(table.path),
                            number=number, n=table.n_cols)
        return (number - 1 if number > 0 else table.n_cols + number), "chosen"
    names = ", ".join(table.names)
    raise DataError(N_("{path}: no column named {label}; columns: {names} (or give a column "
                       "number, 1 for the first)"), path=str(table.path), label=short(label),
                    names=names if len(names) < 200 else names[:196] + " …")


def _format_number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def _whole_numbers(values: np.ndarray | None) -> bool:
    return values is not None and bool((values >= 0).all() and (values == np.round(values)).all())


def _classes(table: _Table, col: int, values: np.ndarray | None,
             known: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Labels as int64 class indices plus the class names (the distinct labels, sorted).

    ``values`` is the column as floats when every cell is a finite number, else ``None``.
    ``known`` are the training file's class names when this is a separate test file.
    """
    where = {"path": str(table.path), "column": col + 1, "name": short(table.names[col], 40)}
    if values is not None:
        digits = (table.n_cols == MNIST_CSV_COLUMNS and _whole_numbers(values)
                  and bool((values <= 9).all()))
        uniq = np.arange(10.0) if digits else np.unique(values)
        found = [_format_number(v) for v in uniq]
        codes = np.searchsorted(uniq, values)
    else:
        raw = table.text_column(col)
        found = sorted(set(raw))
        index = {k: i for i, k in enumerate(found)}
        codes = np.array([index[r] for r in raw], dtype=np.int64)
    if known is None:
        names, y = found, codes.astype(np.int64)
    else:
        index = {k: i for i, k in enumerate(known)}
        for name in found:
            if name not in index:
                raise DataError(N_("{path}: column {column} ({name}): class {label} does not "
                                   "exist in the training file"), label=short(name), **where)
        lookup = np.array([index.get(name, -1) for name in found], dtype=np.int64)
        names, y = known, lookup[codes]
    if known is None and len(np.unique(y)) < 2:
        raise DataError(N_("{path}: column {column} ({name}) has only one class ({label}); "
                           "a classifier needs at least two"), label=short(names[int(y[0])]),
                        **where)
    return y, names


def _numeric_column(table: _Table, col: int) -> np.ndarray | None:
    """The column as floats if every cell is a number, else ``None``."""
    values = [_number(row[col].strip()) for _, row in table.rows]
    if any(v is None for v in values):
        return None
    return np.array(values, dtype=np.float64)


# -- public loaders -----------------------------------------------------------------------
def _parse(path: Path, label, task: str, header: bool | None, delimiter: str | None,
           known: list[str] | None = None, encoding: str | None = None):
    """Parse a CSV file into (x, y, n_classes, class_names, feature_names).

    ``known``: the training file's class names, when parsing a separate test file.
    """
    if task not in ("classification", "regression"):
        raise DataError(N_("task must be 'classification' or 'regression', got {task}"),
                        task=short(task))
    table = _Table(path, delimiter, header, encoding)
    col, why = _label_column(table, label, task)
    feature_cols = [c for c in range(table.n_cols) if c != col]
    everything = table.fast_numbers()
    if everything is not None:
        x, label_values = everything[:, feature_cols], everything[:, col]
    else:
        table.load_rows()
        x = table.numbers(feature_cols)
        label_values = (table.numbers([col])[:, 0] if task == "regression"
                        else _numeric_column(table, col))
    names = [table.names[c] if table.has_header else f"x{i + 1}"
             for i, c in enumerate(feature_cols)]
    taken = f"column {col + 1} ({table.names[col]!r}): {why}"
    if task == "regression":
        return x, label_values.reshape(-1, 1), None, [], names, taken, table.format
    y, class_names = _classes(table, col, label_values, known)
    return x, y, len(class_names), class_names, names, taken, table.format


def _as_pixels(x: np.ndarray) -> np.ndarray | None:
    """784 whole numbers 0..255 per row → uint8 (an MNIST-style image), else ``None``."""
    if x.shape[1] == 784 and (x >= 0).all() and (x <= 255).all() and (x == np.round(x)).all():
        return x.astype(np.uint8)
    return None


def load_csv(path: str | Path, *, label: str | int | None = None,
             task: str = "classification", header: bool | None = None,
             train_ratio: float = 0.8, seed: int = 0, delimiter: str | None = None,
             test_path: str | Path | None = None, scaling: str | None = None,
             encoding: str | None = None) -> Dataset:
    """Load a CSV file of features and a label column.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    label : str or int, optional
        Label column: a header name, a 1-based column number as text (``"1"``, ``"-1"``
        for the last) or a 0-based ``int`` index (default: see module docs).
    task : str
        ``"classification"`` (default) or ``"regression"``.
    header : bool, optional
        Force the first line to be (or not be) a header; default: detect.
    train_ratio : float
        Share of rows for training; the rest is the test set (ignored with ``test_path``).
    seed : int
        Seed of the shuffle before the split.
    delimiter : str, optional
        Cell separator (``","``, ``";"``, ``"\\t"`` or a name: ``comma``, ``semicolon``,
        ``tab``); default: detected from the first lines (see :mod:`nnviz.data.csvformat`).
    test_path : str or Path, optional
        A second CSV of the same layout used as the test set instead of splitting.
    scaling : str, optional
        Override the scaling (default ``"unit"`` for 28x28 pixel data, else ``"none"``).
    encoding : str, optional
        The text encoding (a Python codec name, e.g. ``utf-8``, ``utf-16``, ``gbk``); default:
        detected (UTF-8 with or without BOM, UTF-16/32 with BOM, GBK).

    Returns
    -------
    Dataset
        ``x`` float64 (n, d), or uint8 (n, 784) for MNIST-style pixels; ``y`` int64 (n,)
        or float64 (n, 1) for regression.
    """
    path = Path(path)
    x, y, n_classes, class_names, names, taken, fmt = _parse(path, label, task, header,
                                                             delimiter, encoding=encoding)
    if test_path is None:
        train, test = split_indices(len(x), train_ratio, seed)
        x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    else:
        x_test, y_test, *_ = _parse(Path(test_path), label, task, header, delimiter,
                                    class_names if n_classes is not None else None, encoding)
        x_train, y_train = x, y
    pixels_train, pixels_test = _as_pixels(x_train), _as_pixels(x_test)
    image = pixels_train is not None and pixels_test is not None
    if image:
        x_train, x_test = pixels_train, pixels_test
    return Dataset(name=path.name, x_train=x_train, y_train=y_train, x_test=x_test,
                   y_test=y_test, n_classes=n_classes,
                   scaling=scaling or ("unit" if image else "none"),
                   image_shape=(28, 28) if image else None, class_names=class_names,
                   feature_names=names, description=f"CSV data from {path}",
                   label_column=taken, file_format=fmt.describe())


# ``.npz`` archives live in their own module; their loader stays importable from here.
from nnviz.data.npzdata import NPZ_KEYS, load_npz  # noqa: E402,F401
