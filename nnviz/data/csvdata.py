"""Your own data: CSV files of feature columns plus a label column, and ``.npz`` archives.

CSV rules
---------
* One row per sample; the label is the last column unless ``label=`` names another
  (a column called ``label`` is used when there is a header). The seed notes' MNIST format
  ``label,p0,...,p783`` (785 columns, label first) is recognised with or without a header.
* A header line is optional; it is detected when no cell of the first line is a number.
* Labels may be numbers or text. Whole numbers >= 0 are class numbers; other numbers and
  text are sorted and numbered (``class_names`` keeps the originals).
* ``task="regression"`` reads the label column as a float target instead.
* Errors name the line (1-based, as in a text editor) and the column.

The rows are shuffled with ``seed`` and split by ``train_ratio``.
"""
from __future__ import annotations

import csv
import io
import math
import warnings
import zipfile
from pathlib import Path

import numpy as np

from nnviz.core.errors import DataError
from nnviz.data.base import Dataset

#: Columns of the seed notes' MNIST CSV: the label, then 784 pixels.
MNIST_CSV_COLUMNS = 785


# -- splitting ----------------------------------------------------------------------------
def split_indices(n: int, train_ratio: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle ``range(n)`` with ``seed`` and cut it by ``train_ratio``.

    Returns
    -------
    train, test : ndarray of int64
        Row indices; both non-empty.
    """
    if not 0 < train_ratio < 1:
        raise DataError(f"train_ratio must be between 0 and 1 (e.g. 0.8), got {train_ratio!r}")
    if n < 2:
        raise DataError(f"need at least 2 samples to make a train and a test set, got {n}")
    order = np.random.default_rng(seed).permutation(n)
    n_train = min(max(1, round(n * train_ratio)), n - 1)
    return order[:n_train], order[n_train:]


# -- reading rows -------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a text file (byte {exc.start} is not UTF-8)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _rows(text: str, delimiter: str, stop_after_first: bool = False) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their 1-based line numbers (only the first if asked)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((reader.line_num, row))
                if stop_after_first:
                    break
    except csv.Error as exc:
        raise DataError(f"line {reader.line_num}: {exc}") from None
    return rows


def _number(cell: str) -> float | None:
    """The cell as a finite float, or ``None``."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _Table:
    """A CSV file's layout (header, column names) and, on demand, its checked rows.

    The layout comes from the first non-blank line only; :meth:`load_rows` parses the whole
    file with the :mod:`csv` module to find exactly which line and column is wrong.
    """

    def __init__(self, path: Path, delimiter: str, header: bool | None):
        self.path, self.delimiter = Path(path), delimiter
        self.text = _read_text(path)
        first_rows = _rows(self.text, delimiter, stop_after_first=True)
        if not first_rows:
            raise DataError(f"{path}: the file is empty; expected feature columns and a label "
                            f"column, one sample per line")
        self.first_line, first = first_rows[0]
        no_numbers = not any(_number(c) is not None for c in first)
        self.has_header = no_numbers if header is None else header
        self.n_cols = len(first)
        if self.n_cols < 2:
            raise DataError(f"{path}: line {self.first_line} has {self.n_cols} column; need at "
                            f"least one feature column and a label column (comma-separated)")
        if self.has_header:
            self.names = [c.strip() or f"column {i + 1}" for i, c in enumerate(first)]
        else:
            self.names = [f"column {i + 1}" for i in range(self.n_cols)]
        self.rows: list[tuple[int, list[str]]] = []

    def fast_numbers(self) -> np.ndarray | None:
        """Every cell as float64 via NumPy's C parser, or ``None`` if anything is unusual.

        Returns
        -------
        ndarray of float64, shape (n_rows, n_cols), or None
        """
        skip = self.first_line if self.has_header else 0
        try:
            with warnings.catch_warnings():  # an empty body warns; load_rows explains it
                warnings.simplefilter("ignore")
                arr = np.loadtxt(io.StringIO(self.text), delimiter=self.delimiter,
                                 skiprows=skip, dtype=np.float64, ndmin=2, comments=None)
        except ValueError:
            return None
        if arr.shape[1] != self.n_cols or not len(arr) or not np.isfinite(arr).all():
            return None
        return arr

    def load_rows(self) -> None:
        """Parse all data rows, checking that each has as many columns as the first line."""
        rows = _rows(self.text, self.delimiter)
        if self.has_header:
            rows = rows[1:]
        if not rows:
            raise DataError(f"{self.path}: only a header line, no data rows")
        for line, row in rows:
            if len(row) != self.n_cols:
                raise DataError(f"{self.path}: line {line} has {len(row)} columns but line "
                                f"{self.first_line} has {self.n_cols}")
        self.rows = rows

    def where(self, line: int, col: int) -> str:
        """``'file: line 4, column 2 ('x2')'`` for error messages."""
        return f"{self.path}: line {line}, column {col + 1} ({self.names[col]!r})"

    def numbers(self, cols: list[int]) -> np.ndarray:
        """The given columns as float64, shape (n_rows, len(cols)); errors name the cell."""
        out = np.empty((len(self.rows), len(cols)), dtype=np.float64)
        for i, (line, row) in enumerate(self.rows):
            for j, col in enumerate(cols):
                cell = row[col].strip()
                value = _number(cell)
                if value is None:
                    if not cell or cell.lower() in ("nan", "na", "n/a", "null", "none", "?"):
                        raise DataError(f"{self.where(line, col)}: missing value")
                    raise DataError(f"{self.where(line, col)}: {cell!r} is not a number")
                out[i, j] = value
        return out

    def text_column(self, col: int) -> list[str]:
        """One column as stripped strings; empty cells are an error."""
        cells = []
        for line, row in self.rows:
            cell = row[col].strip()
            if not cell:
                raise DataError(f"{self.where(line, col)}: missing value")
            cells.append(cell)
        return cells


# -- labels -------------------------------------------------------------------------------
def _label_column(table: _Table, label: str | int | None) -> int:
    """Index of the label column."""
    if label is None:
        lower = [n.lower() for n in table.names]
        if table.has_header and "label" in lower:
            return lower.index("label")
        return 0 if table.n_cols == MNIST_CSV_COLUMNS else table.n_cols - 1
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        if not -table.n_cols <= label < table.n_cols:
            raise DataError(f"{table.path}: label column {label} does not exist "
                            f"(the file has {table.n_cols} columns)")
        return int(label) % table.n_cols
    if label in table.names:
        return table.names.index(label)
    raise DataError(f"{table.path}: no column named {label!r}; columns: "
                    f"{', '.join(table.names)}")


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _whole_numbers(values: np.ndarray | None) -> bool:
    return values is not None and bool((values >= 0).all() and (values == np.round(values)).all())


def _classes(table: _Table, col: int, values: np.ndarray | None,
             known: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Labels as int64 class numbers plus the class names.

    ``values`` is the column as floats when every cell is a number, else ``None``.
    ``known`` are the training file's class names when this is a separate test file.
    """
    where = f"{table.path}: column {col + 1} ({table.names[col]!r})"
    if _whole_numbers(values) and (known is None or known == [str(i) for i in range(len(known))]):
        y = values.astype(np.int64)
        n = int(y.max()) + 1
        if table.n_cols == MNIST_CSV_COLUMNS:
            n = max(n, 10)
        if known is not None:
            if n > len(known):
                raise DataError(f"{where}: class {n - 1} does not exist in the training file")
            return y, known
        names = [str(i) for i in range(n)]
    else:
        raw = [_format_number(v) for v in values] if values is not None else table.text_column(col)
        names = known or sorted(set(raw), key=(float if values is not None else str))
        index = {k: i for i, k in enumerate(names)}
        for r in raw:
            if r not in index:
                raise DataError(f"{where}: class {r!r} does not exist in the training file")
        y = np.array([index[r] for r in raw], dtype=np.int64)
    if known is None and len(np.unique(y)) < 2:
        raise DataError(f"{where} has only one class ({names[int(y[0])]!r}); a classifier "
                        f"needs at least two")
    return y, names


def _numeric_column(table: _Table, col: int) -> np.ndarray | None:
    """The column as floats if every cell is a number, else ``None``."""
    values = [_number(row[col].strip()) for _, row in table.rows]
    if any(v is None for v in values):
        return None
    return np.array(values, dtype=np.float64)


# -- public loaders -----------------------------------------------------------------------
def _parse(path: Path, label, task: str, header: bool | None, delimiter: str,
           known: list[str] | None = None):
    """Parse a CSV file into (x, y, n_classes, class_names, feature_names).

    ``known``: the training file's class names, when parsing a separate test file.
    """
    if task not in ("classification", "regression"):
        raise DataError(f"task must be 'classification' or 'regression', got {task!r}")
    table = _Table(path, delimiter, header)
    col = _label_column(table, label)
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
    if task == "regression":
        return x, label_values.reshape(-1, 1), None, [], names
    y, class_names = _classes(table, col, label_values, known)
    return x, y, len(class_names), class_names, names


def _as_pixels(x: np.ndarray) -> np.ndarray | None:
    """784 whole numbers 0..255 per row → uint8 (an MNIST-style image), else ``None``."""
    if x.shape[1] == 784 and (x >= 0).all() and (x <= 255).all() and (x == np.round(x)).all():
        return x.astype(np.uint8)
    return None


def load_csv(path: str | Path, *, label: str | int | None = None,
             task: str = "classification", header: bool | None = None,
             train_ratio: float = 0.8, seed: int = 0, delimiter: str = ",",
             test_path: str | Path | None = None, scaling: str | None = None) -> Dataset:
    """Load a CSV file of features and a label column.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    label : str or int, optional
        Label column by header name or 0-based index (default: see module docs).
    task : str
        ``"classification"`` (default) or ``"regression"``.
    header : bool, optional
        Force the first line to be (or not be) a header; default: detect.
    train_ratio : float
        Share of rows for training; the rest is the test set (ignored with ``test_path``).
    seed : int
        Seed of the shuffle before the split.
    delimiter : str
        Cell separator.
    test_path : str or Path, optional
        A second CSV of the same layout used as the test set instead of splitting.
    scaling : str, optional
        Override the scaling (default ``"unit"`` for 28x28 pixel data, else ``"none"``).

    Returns
    -------
    Dataset
        ``x`` float64 (n, d), or uint8 (n, 784) for MNIST-style pixels; ``y`` int64 (n,)
        or float64 (n, 1) for regression.
    """
    path = Path(path)
    x, y, n_classes, class_names, names = _parse(path, label, task, header, delimiter)
    if test_path is None:
        train, test = split_indices(len(x), train_ratio, seed)
        x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    else:
        x_test, y_test, _, _, _ = _parse(Path(test_path), label, task, header, delimiter,
                                         class_names if n_classes is not None else None)
        x_train, y_train = x, y
    pixels_train, pixels_test = _as_pixels(x_train), _as_pixels(x_test)
    image = pixels_train is not None and pixels_test is not None
    if image:
        x_train, x_test = pixels_train, pixels_test
    return Dataset(name=path.name, x_train=x_train, y_train=y_train, x_test=x_test,
                   y_test=y_test, n_classes=n_classes,
                   scaling=scaling or ("unit" if image else "none"),
                   image_shape=(28, 28) if image else None, class_names=class_names,
                   feature_names=names, description=f"CSV data from {path}")


NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_npz(path: str | Path, *, scaling: str | None = None) -> Dataset:
    """Load a ``.npz`` archive with arrays ``x_train, y_train, x_test, y_test``.

    Optional string arrays ``class_names`` and ``feature_names`` are used when present.
    Object (pickled) arrays are refused. ``x`` may be (n, d) or images (n, h, w), which are
    flattened. Integer ``y`` (n,) means classes; float ``y`` means regression targets.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in NPZ_KEYS if k not in archive.files]
            if missing:
                raise DataError(f"{path}: missing arrays {', '.join(missing)} (found: "
                                f"{', '.join(archive.files) or 'none'}); expected "
                                f"{', '.join(NPZ_KEYS)}")
            arrays = {k: archive[k] for k in archive.files if k in NPZ_KEYS + (
                "class_names", "feature_names")}
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise DataError(f"{path}: holds Python objects (pickled data), which nnviz "
                            f"refuses to load; save plain number arrays instead") from None
        raise DataError(f"{path}: not a valid .npz file ({exc})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: not a valid .npz file ({exc})") from None
    return _npz_dataset(path, arrays, scaling)


def _npz_dataset(path: Path, a: dict[str, np.ndarray], scaling: str | None) -> Dataset:
    x_train, x_test = a["x_train"], a["x_test"]
    image_shape = None
    if x_train.ndim == 3:
        image_shape = tuple(int(s) for s in x_train.shape[1:])
        x_train = x_train.reshape(len(x_train), -1)
        x_test = x_test.reshape(len(x_test), -1)
    for key, x in (("x_train", x_train), ("x_test", x_test)):
        if x.ndim != 2 or not np.issubdtype(x.dtype, np.number):
            raise DataError(f"{path}: {key} must be numbers of shape (n, features) or "
                            f"(n, h, w), got {x.dtype} {x.shape}")
    y_train, y_test = a["y_train"], a["y_test"]
    if np.issubdtype(y_train.dtype, np.integer):
        y_train, y_test = y_train.astype(np.int64).ravel(), y_test.astype(np.int64).ravel()
        if min(y_train.min(initial=0), y_test.min(initial=0)) < 0:
            raise DataError(f"{path}: class labels must be 0, 1, 2...; found a negative one")
        n_classes = int(max(y_train.max(initial=0), y_test.max(initial=0))) + 1
    else:
        y_train = y_train.astype(np.float64).reshape(len(y_train), -1)
        y_test = y_test.astype(np.float64).reshape(len(y_test), -1)
        n_classes = None
    names = [str(s) for s in a.get("class_names", [])]
    features = [str(s) for s in a.get("feature_names", [])]
    if scaling is None:
        scaling = "unit" if x_train.dtype == np.uint8 else "none"
    return Dataset(name=path.name, x_train=x_train, y_train=y_train, x_test=x_test,
                   y_test=y_test, n_classes=n_classes, scaling=scaling,
                   image_shape=image_shape, class_names=names if n_classes else [],
                   feature_names=features or [f"x{i + 1}" for i in range(x_train.shape[1])],
                   description=f"arrays from {path}")
