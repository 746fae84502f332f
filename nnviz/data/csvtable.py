"""Reading a CSV file's rows for :mod:`nnviz.data.csvdata`: the text (any common encoding),
the header guess, cells as numbers (a fast path for all-number files) and where a cell is
(line and column, for the error messages)."""
from __future__ import annotations

import csv
import io
import math
import warnings
from pathlib import Path

import numpy as np

from nnviz.core.errors import DataError

#: Columns of the seed notes' MNIST CSV: the label, then 784 pixels.
MNIST_CSV_COLUMNS = 785


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a text file (byte {exc.start} is not UTF-8)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None


def first_row(path: str | Path, delimiter: str = ",", max_bytes: int = 65536) -> list[str]:
    """The first non-blank row of a CSV file, read from at most ``max_bytes`` (for a dialog
    that lets the user pick the label column without loading the file)."""
    try:
        with open(path, "rb") as f:
            head = f.read(max_bytes)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text = head.decode("utf-8-sig", errors="replace")
    if len(head) == max_bytes and "\n" in text:
        text = text[:text.rindex("\n")]
    rows = _rows(text, delimiter, limit=1)
    return [c.strip() for c in rows[0][1]] if rows else []


def _rows(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their 1-based line numbers (only the first ``limit`` if given)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((reader.line_num, row))
                if limit is not None and len(rows) >= limit:
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


#: Cells that mean "no value" (refused as missing, never taken for a header name).
MISSING = ("", "nan", "na", "n/a", "null", "none", "?")


def _not_a_value(cell: str) -> bool:
    """Text that is neither a number (finite or not) nor a missing-value marker."""
    cell = cell.strip()
    if cell.lower() in MISSING:
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _nonfinite(cell: str) -> bool:
    """``nan``, ``inf``, ``-Infinity``...: numbers that are not finite."""
    try:
        return not math.isfinite(float(cell))
    except ValueError:
        return False


#: Lines after the first that header detection and the label-column guess look at.
SAMPLE_ROWS = 200


def _looks_like_header(first: list[str], body: list[list[str]]) -> bool:
    """Whether the first line names the columns: a cell that is not a number above cells
    that are (or, with no lines below, no number at all on it)."""
    if not body:
        return not any(_number(c) is not None for c in first)
    for c, cell in enumerate(first):
        below = [r[c] for r in body if c < len(r)]
        if (_not_a_value(cell) and any(_number(v) is not None for v in below)
                and not any(_not_a_value(v) for v in below)):
            return True
    return not any(_number(c) is not None or not _not_a_value(c) for c in first)


class _Table:
    """A CSV file's layout (header, column names) and, on demand, its checked rows.

    The layout comes from the first non-blank line only; :meth:`load_rows` parses the whole
    file with the :mod:`csv` module to find exactly which line and column is wrong.
    """

    def __init__(self, path: Path, delimiter: str, header: bool | None):
        self.path, self.delimiter = Path(path), delimiter
        self.text = _read_text(path)
        sample = _rows(self.text, delimiter, limit=SAMPLE_ROWS + 1)
        if not sample:
            raise DataError(f"{path}: the file is empty; expected feature columns and a label "
                            f"column, one sample per line")
        self.first_line, first = sample[0]
        self.has_header = _looks_like_header(first, [r for _, r in sample[1:]]) \
            if header is None else bool(header)
        self.sample = [r for _, r in sample[1 if self.has_header else 0:]]
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
                    if cell.lower() in MISSING:
                        raise DataError(f"{self.where(line, col)}: missing value")
                    raise DataError(f"{self.where(line, col)}: {cell!r} is not a number")
                out[i, j] = value
        return out

    def text_column(self, col: int) -> list[str]:
        """One column as stripped strings; empty cells and non-finite numbers are errors."""
        cells = []
        for line, row in self.rows:
            cell = row[col].strip()
            if cell.lower() in MISSING and cell.lower() != "none":
                raise DataError(f"{self.where(line, col)}: missing value")
            if _nonfinite(cell):
                raise DataError(f"{self.where(line, col)}: label {cell!r} is not a finite "
                                f"number or a name")
            cells.append(cell)
        return cells


