"""Reading a CSV file's rows for :mod:`nnviz.data.csvdata`: the text (any common encoding),
the header guess, cells as numbers (a fast path for all-number files) and where a cell is
(line and column, for the error messages)."""
from __future__ import annotations

import csv
import io
import math
import unicodedata
import warnings
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError
from nnviz.core.memory import available_bytes
from nnviz.data.csvformat import CsvFormat, detect, point
from nnviz.data.files import open_regular, read_capped, short

#: Columns of the seed notes' MNIST CSV: the label, then 784 pixels.
MNIST_CSV_COLUMNS = 785


def csv_cap() -> int:
    """The most bytes of CSV text nnviz reads: a sixth of the free memory (parsing costs more
    than the text), at least 16 MB."""
    return max(16 << 20, available_bytes() // 6)


def _read_text(path: Path, encoding: str | None = None,
               delimiter: str | None = None) -> tuple[str, CsvFormat]:
    """The file's text and how it is written (checked to be a regular file, read with a cap)."""
    data = read_capped(path, csv_cap())
    return detect(data, path, encoding, delimiter)


def first_row(path: str | Path, delimiter: str | None = None, max_bytes: int = 65536,
              encoding: str | None = None) -> list[str]:
    """The first non-blank row of a CSV file, read from at most ``max_bytes`` (for a dialog
    that lets the user pick the label column without loading the file)."""
    return preview(path, delimiter, max_bytes, encoding)[0]


def preview(path: str | Path, delimiter: str | None = None, max_bytes: int = 65536,
            encoding: str | None = None) -> tuple[list[str], CsvFormat]:
    """The first non-blank row of a CSV file and how the file is written (detected from its
    first ``max_bytes``, or as given)."""
    with open_regular(path) as f:
        try:
            head = f.read(max_bytes)
        except OSError as exc:
            raise DataError(N_("{path}: cannot be read ({reason})"), path=str(path),
                            reason=exc.strerror or str(exc)) from None
    text, fmt = detect(head, path, encoding, delimiter, final=len(head) < max_bytes)
    if len(head) == max_bytes and "\n" in text:
        text = text[:text.rindex("\n")]
    rows = _rows(text, fmt.delimiter, limit=1)
    return ([c.strip() for c in rows[0][1]] if rows else []), fmt


def _rows(text: str, delimiter: str, limit: int | None = None,
          decimal_comma: bool = False) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their 1-based line numbers (only the first ``limit`` if given)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((reader.line_num, [point(c) for c in row] if decimal_comma else row))
                if limit is not None and len(rows) >= limit:
                    break
    except csv.Error as exc:
        raise DataError(N_("line {line}: {reason}"),
                        line=reader.line_num, reason=str(exc)) from None
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


def _control_character(cell: str) -> str | None:
    """The first control character (NUL, escape, ...) in ``cell``, shown escaped, or None."""
    for ch in cell:
        if unicodedata.category(ch) == "Cc" and ch not in "\t":
            return repr(ch)[1:-1]
    return None


class _Table:
    """A CSV file's layout (header, column names) and, on demand, its checked rows.

    The layout comes from the first non-blank line only; :meth:`load_rows` parses the whole
    file with the :mod:`csv` module to find exactly which line and column is wrong.
    """

    def __init__(self, path: Path, delimiter: str | None, header: bool | None,
                 encoding: str | None = None):
        self.path = Path(path)
        self.text, self.format = _read_text(path, encoding, delimiter)
        self.delimiter = self.format.delimiter
        sample = self._rows(limit=SAMPLE_ROWS + 1)
        if not sample:
            raise DataError(N_("{path}: the file is empty; expected feature columns and a label "
                               "column, one sample per line"), path=str(path))
        self.first_line, first = sample[0]
        self.has_header = _looks_like_header(first, [r for _, r in sample[1:]]) \
            if header is None else bool(header)
        self.sample = [r for _, r in sample[1 if self.has_header else 0:]]
        self.n_cols = len(first)
        if self.n_cols < 2:
            raise DataError(N_("{path}: line {line} has only one column; need at least one "
                               "feature column and a label column ({format}; choose the "
                               "delimiter with --delimiter)"),
                            path=str(path), line=self.first_line, format=self.format.describe())
        if self.has_header:
            self.names = [c.strip() or f"column {i + 1}" for i, c in enumerate(first)]
        else:
            self.names = [f"column {i + 1}" for i in range(self.n_cols)]
        self.rows: list[tuple[int, list[str]]] = []

    def _rows(self, limit: int | None = None) -> list[tuple[int, list[str]]]:
        try:
            return _rows(self.text, self.delimiter, limit, self.format.decimal_comma)
        except DataError as exc:
            raise DataError(N_("{path}: line {line}: {reason}"), path=str(self.path),
                            **exc.values) from None

    def fast_numbers(self) -> np.ndarray | None:
        """Every cell as float64 via NumPy's C parser, or ``None`` if anything is unusual.

        Returns
        -------
        ndarray of float64, shape (n_rows, n_cols), or None
        """
        skip = self.first_line if self.has_header else 0
        text = self.text.replace(",", ".") if self.format.decimal_comma else self.text
        try:
            with warnings.catch_warnings():  # an empty body warns; load_rows explains it
                warnings.simplefilter("ignore")
                arr = np.loadtxt(io.StringIO(text), delimiter=self.delimiter,
                                 skiprows=skip, dtype=np.float64, ndmin=2, comments=None)
        except ValueError:
            return None
        if arr.shape[1] != self.n_cols or not len(arr) or not np.isfinite(arr).all():
            return None
        return arr

    def load_rows(self) -> None:
        """Parse all data rows, checking that each has as many columns as the first line."""
        rows = self._rows()
        if self.has_header:
            rows = rows[1:]
        if not rows:
            raise DataError(N_("{path}: only a header line, no data rows"), path=str(self.path))
        for line, row in rows:
            if len(row) != self.n_cols:
                raise DataError(N_("{path}: line {line} has {n} columns but line {first} has "
                                   "{n_first}"), path=str(self.path), line=line, n=len(row),
                                first=self.first_line, n_first=self.n_cols)
        self.rows = rows

    def where(self, line: int, col: int) -> dict:
        """The named values of a cell's place for error templates: path, line, column, name."""
        return {"path": str(self.path), "line": line, "column": col + 1,
                "name": short(self.names[col], 40)}

    def numbers(self, cols: list[int]) -> np.ndarray:
        """The given columns as float64, shape (n_rows, len(cols)); errors name the cell."""
        out = np.empty((len(self.rows), len(cols)), dtype=np.float64)
        for i, (line, row) in enumerate(self.rows):
            for j, col in enumerate(cols):
                cell = row[col].strip()
                value = _number(cell)
                if value is None:
                    if cell.lower() in MISSING:
                        raise DataError(N_("{path}: line {line}, column {column} ({name}): "
                                           "missing value"), **self.where(line, col))
                    raise DataError(N_("{path}: line {line}, column {column} ({name}): {cell} "
                                       "is not a number"), cell=short(cell),
                                    **self.where(line, col))
                out[i, j] = value
        return out

    def text_column(self, col: int) -> list[str]:
        """One column as stripped strings; empty cells, non-finite numbers and control
        characters (a NUL would make a class of its own) are errors."""
        cells = []
        for line, row in self.rows:
            cell = row[col].strip()
            if cell.lower() in MISSING and cell.lower() != "none":
                raise DataError(N_("{path}: line {line}, column {column} ({name}): missing "
                                   "value"), **self.where(line, col))
            if _nonfinite(cell):
                raise DataError(N_("{path}: line {line}, column {column} ({name}): label {cell} "
                                   "is not a finite number or a name"),
                                cell=short(cell), **self.where(line, col))
            bad = _control_character(cell)
            if bad is not None:
                raise DataError(N_("{path}: line {line}, column {column} ({name}): the label "
                                   "{cell} holds the control character {char}; labels must be "
                                   "plain text"), cell=short(cell), char=bad,
                                **self.where(line, col))
            cells.append(cell)
        return cells
