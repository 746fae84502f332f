"""The adaptive snapshot throttle and the merging of snapshots that arrive during a frame."""
import numpy as np

from nnviz.app.snapshots import merge_snapshots
from nnviz.app.state import Snapshot
from nnviz.app.worker import MAX_SNAPSHOT_INTERVAL, UI_SHARE, TrainingWorker
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def _worker():
    x = np.random.default_rng(0).normal(size=(20, 2))
    y = (x[:, 0] > 0).astype(np.int64)
    exp = build(Settings(hidden=[3]), data=Dataset("d", x, y, x, y, n_classes=2))
    return TrainingWorker(exp, min_interval=0.033)


def test_interval_stretches_with_the_cost_of_a_frame():
    w = _worker()
    w.wait_for_ui = True
    assert w.snapshot_interval == 0.033                     # nothing measured yet
    w.snapshot_consumed(0.007)                              # a 7 ms frame stretches the interval
    assert abs(w.snapshot_interval - 0.007 / UI_SHARE) < 1e-9 and w.snapshot_interval > 0.033
    for _ in range(30):
        w.snapshot_consumed(0.2)                            # slow frames: capped
    assert w.snapshot_interval == MAX_SNAPSHOT_INTERVAL
    for _ in range(40):
        w.snapshot_consumed(0.004)  # cheap frames again: the pace comes back as the average falls
    assert abs(w.snapshot_interval - max(0.033, 0.004 / UI_SHARE)) < 1e-3
    w._cmd_set_speed(50)                                    # slowed down by the user: every frame
    assert w.snapshot_interval == 0.033
    w.wait_for_ui = False                                   # no window: the plain throttle
    w._cmd_set_speed(0)
    assert w.snapshot_interval == 0.033


def test_merged_snapshots_lose_no_plot_point():
    a = Snapshot(global_step=1, loss_points=[(1, 0.9)], epochs=[{"epoch": 1}], confusion=np.eye(2))
    b = Snapshot(global_step=2, loss_points=[(2, 0.8)], epochs=[], confusion=None)
    c = Snapshot(global_step=3, loss_points=[(3, 0.7)], epochs=[{"epoch": 2}], final=True)
    m = merge_snapshots([a, b, c])
    assert m.global_step == 3 and m.final
    assert m.loss_points.tolist() == [[1, 0.9], [2, 0.8], [3, 0.7]]
    assert m.epochs == [{"epoch": 1}, {"epoch": 2}]
    np.testing.assert_array_equal(m.confusion, np.eye(2))
