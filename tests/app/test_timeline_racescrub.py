"""Scrubbing while a race runs, and a race variant's history kept through merged snapshots (issue 20)."""
import numpy as np

from nnviz.app.training.snapshots import merge_snapshots
from nnviz.app.training.state import Snapshot


def test_merged_snapshots_keep_the_run_switch_and_drop_the_old_variant():
    old = Snapshot(global_step=5, loss_points=np.array([[5.0, 1.0]]))
    switch = Snapshot(global_step=3, loss_points=np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]]),
                      epochs=[{"epoch": 1}], run_switch=True)
    after = Snapshot(global_step=4, loss_points=np.array([[4.0, 2.0]]))
    m = merge_snapshots([old, switch, after])
    assert m.run_switch and m.global_step == 4
    assert m.loss_points[:, 0].tolist() == [1.0, 2.0, 3.0, 4.0] and m.epochs == [{"epoch": 1}]
    plain = merge_snapshots([old, after])
    assert not plain.run_switch and len(plain.loss_points) == 2


def test_scrubbing_a_racing_variant_and_live(open_window, qtbot, english):
    w = open_window()
    model, ui = w.model, w.runs_ui
    made = ui.start_race({"lr": [0.3, 0.03]})
    qtbot.waitUntil(lambda: all(len(r.timeline) >= 20 for r in made), timeout=20000)
    scrub = model.scrub
    # selecting another racing variant keeps the window live (it trains now)
    ui.view.tree.setCurrentItem(ui.view.item(made[1].id))
    qtbot.waitUntil(lambda: model.runs.selected is made[1], timeout=20000)
    assert not scrub.scrubbing and scrub.current == made[1].id
    # scrubbing the racing variant shows its recorded moment ...
    step = int(made[1].timeline.steps()[5])
    got = []
    scrub.recorded.connect(lambda snap, wanted: got.append(snap.recorded_step) if wanted else None)
    assert scrub.show(step)
    qtbot.waitUntil(lambda: step in got, timeout=20000)
    assert scrub.scrubbing and scrub.run_id == made[1].id
    # ... and Live returns to it, still racing
    scrub.live()
    assert not scrub.scrubbing and model.runs.selected is made[1] and ui.race_ui.is_live(made[1])
    n = made[1].timeline.last_step
    qtbot.waitUntil(lambda: made[1].timeline.last_step > n, timeout=20000)
    # choosing the other variant while scrubbing goes live on it
    assert scrub.show(step)
    ui.view.tree.setCurrentItem(ui.view.item(made[0].id))
    qtbot.waitUntil(lambda: model.runs.selected is made[0], timeout=20000)
    assert not scrub.scrubbing and scrub.current == made[0].id
    model.pause()
