"""The plots' Qt-free history: every epoch kept exactly, per-batch losses bounded."""
import csv
import io
import subprocess
import sys

import numpy as np

from nnviz.app.history import CSV_COLUMNS, BatchLosses, EpochTable


def test_epochs_round_trip_through_the_table_and_its_csv():
    table = EpochTable()
    rows = [{"epoch": 1, "train_loss": 0.5, "train_acc": 0.75, "test_loss": None, "test_acc": None,
             "seconds": 0.1, "lr": 0.1},
            {"epoch": 2, "train_loss": 0.1 + 0.2, "train_acc": None, "test_loss": 0.4, "test_acc": 0.5,
             "seconds": 0.2, "lr": 0.05, "note": "x"}]
    table.add(rows[:1])
    table.add(rows[1:])
    assert table.rows() == rows and len(table) == 2 and table.has_acc
    buf = io.BytesIO()
    table.write_csv(buf)
    read = list(csv.reader(io.StringIO(buf.getvalue().decode())))
    assert read[0] == [*CSV_COLUMNS, "note"]
    assert float(read[2][1]) == 0.1 + 0.2  # repr keeps every digit
    assert read[1][3] == "" and read[2][-1] == "x"


def test_batch_losses_average_pairs_beyond_the_bound():
    losses = BatchLosses(max_points=8)
    losses.set_steps_per_epoch(4)
    steps = np.arange(1, 21)
    losses.add(np.column_stack([steps, steps * 10.0]))
    pts = losses.points
    assert len(losses) <= 8
    # every kept point is the mean of a run of consecutive batches: step, epoch and loss agree
    np.testing.assert_allclose(pts.col(2), pts.col(0) * 10.0)
    np.testing.assert_allclose(pts.col(1), pts.col(0) / 4)
    assert np.all(np.diff(pts.col(0)) > 0) and pts.col(0)[0] > 1  # in order, the first ones averaged


def test_the_history_needs_no_qt():
    code = ("import sys, nnviz.app.history; "
            "sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
