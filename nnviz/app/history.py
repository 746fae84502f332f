"""The training history the plots draw: every finished epoch's numbers and a bounded record of
the per-batch losses (NumPy only, no Qt).

:class:`EpochTable` keeps every epoch in one float array (``CSV_COLUMNS``, NaN for a missing
value) that doubles when full, plus the rare extra keys by row, and writes itself as CSV:
a dict per epoch grew the window without bound on a toy net that finishes hundreds of epochs a
second. :class:`BatchLosses` keeps at most ``max_points`` per-batch losses: beyond that,
neighbouring points are averaged in pairs and later batches arrive averaged in buckets of the
same size, so drawing them stays O(1).
"""
from __future__ import annotations

import csv
import io
import math

import numpy as np

CSV_COLUMNS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "lr")


def num(v) -> float:
    """``None`` → NaN, anything else → float."""
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def csv_cell(v) -> str:
    """A CSV cell that reads back to the same number (``repr`` of a float is exact)."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


class Buffer:
    """Rows of ``ncols`` floats in an array that doubles when full (amortised O(1) append)."""

    def __init__(self, ncols: int, capacity: int = 256):
        self.data = np.full((capacity, ncols), np.nan)
        self.n = 0

    def append(self, rows: np.ndarray) -> None:
        rows = np.atleast_2d(rows)
        need = self.n + len(rows)
        if need > len(self.data):
            cap = len(self.data)
            while cap < need:
                cap *= 2
            grown = np.full((cap, self.data.shape[1]), np.nan)
            grown[:self.n] = self.data[:self.n]
            self.data = grown
        self.data[self.n:need] = rows
        self.n = need

    def col(self, j: int) -> np.ndarray:
        return self.data[:self.n, j]

    def clear(self) -> None:
        self.n = 0



class EpochTable:
    """Every finished epoch (``EpochResult.as_dict()`` dicts) as rows of ``CSV_COLUMNS``."""

    def __init__(self):
        self._rows = Buffer(len(CSV_COLUMNS))
        self._extra: dict[int, dict] = {}  # other keys some rows carry, by row index
        self.has_acc = False

    def __len__(self) -> int:
        return self._rows.n

    def add(self, ds: list[dict]) -> np.ndarray:
        """Append epochs; returns their rows (n, len(CSV_COLUMNS)) as floats."""
        n0 = self._rows.n
        raw = np.array([[num(d.get(c)) for c in CSV_COLUMNS] for d in ds], dtype=float).reshape(-1, len(CSV_COLUMNS))
        e = CSV_COLUMNS.index("epoch")
        missing = np.isnan(raw[:, e])
        raw[missing, e] = n0 + 1 + np.flatnonzero(missing)  # no epoch number: the row's position
        self._rows.append(raw)
        for k, d in enumerate(ds):
            extra = {key: v for key, v in d.items() if key not in CSV_COLUMNS}
            if extra:
                self._extra[n0 + k] = extra
        self.has_acc = self.has_acc or any(
            d.get("train_acc") is not None or d.get("test_acc") is not None for d in ds)
        return raw

    def column(self, name: str) -> np.ndarray:
        return self._rows.col(CSV_COLUMNS.index(name))

    def row(self, i: int) -> dict:
        """Epoch ``i`` (0-based) as the dict it came in as (NaN read back as None)."""
        d = {c: (None if v != v else float(v)) for c, v in zip(CSV_COLUMNS, self._rows.data[i])}
        d["epoch"] = int(d["epoch"])
        d.update(self._extra.get(i, {}))
        return d

    def rows(self) -> list[dict]:
        return [self.row(i) for i in range(self._rows.n)]

    def clear(self) -> None:
        self._rows.clear()
        self._extra.clear()
        self.has_acc = False

    def write_csv(self, binary) -> None:
        """Every epoch as CSV (the columns, then any extra keys) into a binary file object."""
        cols = list(CSV_COLUMNS)
        for i in sorted(self._extra):
            for k in self._extra[i]:
                if k not in cols:
                    cols.append(k)
        f = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        w = csv.writer(f)
        w.writerow(cols)
        for i in range(self._rows.n):
            r = self.row(i)
            w.writerow([csv_cell(r.get(c)) for c in cols])
        f.flush()
        f.detach()  # the caller closes the file itself


class BatchLosses:
    """``(global step, fractional epoch, loss)`` of every batch, at most ``max_points`` rows."""

    def __init__(self, max_points: int = 2000):
        self.max_points = int(max_points)
        self.points = Buffer(3)
        self.steps_per_epoch = 1
        self._bucket, self._pending = 1, np.zeros((0, 3))

    def __len__(self) -> int:
        return self.points.n

    def set_steps_per_epoch(self, n: int) -> bool:
        """Batches per epoch (x is drawn in epochs); True if that changed the points."""
        n = max(1, int(n))
        if n == self.steps_per_epoch:
            return False
        self.steps_per_epoch = n
        if self.points.n:
            self.points.data[:self.points.n, 1] = self.points.col(0) / n
        return True

    def add(self, points) -> bool:
        """Append ``(global_step, loss)`` pairs; True if there was anything to add."""
        arr = np.asarray(points, dtype=float).reshape(-1, 2)
        if not len(arr):
            return False
        rows = np.column_stack([arr[:, 0], arr[:, 0] / self.steps_per_epoch, arr[:, 1]])
        if self._bucket > 1:
            rows = np.concatenate([self._pending, rows]) if len(self._pending) else rows
            full = len(rows) // self._bucket * self._bucket
            self._pending = rows[full:]
            rows = rows[:full].reshape(-1, self._bucket, 3).mean(axis=1)
        if len(rows):
            self.points.append(rows)
        while self.points.n > self.max_points:
            n2 = self.points.n // 2 * 2
            halved = self.points.data[:n2].reshape(-1, 2, 3).mean(axis=1)
            rest = self.points.data[n2:self.points.n].copy()
            self.points.clear()
            self.points.append(halved)
            self._pending = np.concatenate([rest, self._pending]) if len(self._pending) else rest
            self._bucket *= 2
        return True

    def clear(self) -> None:
        self.points.clear()
        self._bucket, self._pending = 1, np.zeros((0, 3))
