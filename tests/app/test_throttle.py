"""The adaptive snapshot throttle and the merging of snapshots that arrive during a frame."""
import numpy as np

from nnviz.app.training.snapshots import merge_snapshots
from nnviz.app.training.state import Snapshot
from nnviz.app.training.worker import MAX_SNAPSHOT_INTERVAL, UI_SHARE, TrainingWorker
from nnviz.app.training.worker_stats import WorkerStats
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def _worker():
    x = np.random.default_rng(0).normal(size=(20, 2))
    y = (x[:, 0] > 0).astype(np.int64)
    exp = build(Settings(hidden=[3]), data=Dataset("d", x, y, x, y, n_classes=2))
    return TrainingWorker(exp, min_interval=0.033)


def test_interval_stretches_with_the_cost_of_a_frame():
    w = _worker()
    assert w.snapshot_interval == 0.033                     # a bare worker: the plain throttle
    w.snapshot_consumed(0.02)
    assert w.snapshot_interval == 0.033                     # ... whatever frames cost
    w.wait_for_ui = True                                    # as a controller sets it
    w2 = _worker()
    w2.wait_for_ui = True
    assert w2.snapshot_interval == 0.033                    # nothing measured yet
    w2.snapshot_consumed(0.007)                             # a 7 ms frame stretches the interval
    assert abs(w2.snapshot_interval - 0.007 / UI_SHARE) < 1e-9 and w2.snapshot_interval > 0.033
    for _ in range(30):
        w2.snapshot_consumed(0.2)                           # slow frames: capped
    assert w2.snapshot_interval == MAX_SNAPSHOT_INTERVAL
    for _ in range(40):
        w2.snapshot_consumed(0.004)  # cheap frames again: the pace comes back as the average falls
    assert abs(w2.snapshot_interval - max(0.033, 0.004 / UI_SHARE)) < 1e-3
    # (the speed control's effect, one snapshot per batch, is tested in test_worker.py)


def test_stats_differences_and_frame_average():
    s = WorkerStats()
    s.add_frame(0.010)
    assert s.frames == 1 and s.frame_cost_mean == 0.010
    s.add_frame(0.020)
    assert s.frame_seconds == 0.030 and abs(s.frame_cost_mean - (0.9 * 0.010 + 0.1 * 0.020)) < 1e-15
    before = s.copy()
    s.batches += 7
    s.train_seconds += 0.5
    s.snapshot_interval = 0.1
    d = s - before
    assert d.batches == 7 and d.train_seconds == 0.5 and d.frames == 0 and d.frame_seconds == 0
    assert d.snapshot_interval == 0.1 and d.frame_cost_mean == s.frame_cost_mean  # gauges: current
    assert before.batches == 0                              # copies are independent


def test_merged_snapshots_lose_no_plot_point():
    a = Snapshot(global_step=1, loss_points=[(1, 0.9)], epochs=[{"epoch": 1}], confusion=np.eye(2))
    b = Snapshot(global_step=2, loss_points=[(2, 0.8)], epochs=[], confusion=None)
    c = Snapshot(global_step=3, loss_points=[(3, 0.7)], epochs=[{"epoch": 2}], final=True)
    m = merge_snapshots([a, b, c])
    assert m.global_step == 3 and m.final
    assert m.loss_points.tolist() == [[1, 0.9], [2, 0.8], [3, 0.7]]
    assert m.epochs == [{"epoch": 1}, {"epoch": 2}]
    np.testing.assert_array_equal(m.confusion, np.eye(2))
