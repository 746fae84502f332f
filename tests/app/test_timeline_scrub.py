"""The timeline in the window (issue 20): every run is recorded; the scrub bar moves the whole
window to a recorded moment; Live returns; Train from here branches a new run."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.experiment import build


@pytest.fixture
def win(open_window):
    w = open_window(1300, 800)
    w.model.confirm_discard = lambda: True   # (no modal question in a test)
    return w


def _train_to(qtbot, win, step: int) -> None:
    win.model.play()
    qtbot.waitUntil(lambda: win.model.global_step >= step, timeout=15000)
    win.model.pause()
    qtbot.waitUntil(lambda: win.model.state == "paused", timeout=20000)
    run = win.model.scrub.current_run()
    qtbot.waitUntil(lambda: run.timeline.last_step == win.model.global_step, timeout=20000)


def _show(qtbot, win, step: int):
    with qtbot.waitSignal(win.model.scrub.recorded, timeout=20000,
                          check_params_cb=lambda snap, wanted: wanted and snap.recorded_step == step):
        assert win.model.scrub.show(step)
    return win.diagram._snap


def _weights_of(settings, data, params):
    """The dense layers' (W, b) of a network of ``settings`` holding ``params``."""
    exp = build(settings, data=data)
    exp.net.flat_params[...] = params
    return [(l.W, l.b) for l in exp.net.dense_layers()]


def test_every_run_is_recorded_from_its_first_state(qtbot, win):
    runs = win.model.runs
    assert len(runs) == 1 and runs.selected.name == "A"
    tl = runs.selected.timeline
    qtbot.waitUntil(lambda: len(tl.steps()) >= 1, timeout=20000)
    assert tl.steps()[0] == 0 and tl.settings == win.model.settings()
    for _ in range(3):
        win.model.step_batch()
    qtbot.waitUntil(lambda: tl.last_step == 3, timeout=20000)
    win.model.reset()   # a new root run; the old one stays with its timeline
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=20000)
    assert [r.name for r in runs.runs()] == ["A", "B"] and runs.selected.name == "B"
    assert runs.runs()[0].timeline.last_step == 3


def test_scrubbing_shows_the_stored_parameters_everywhere(qtbot, win):
    _train_to(qtbot, win, 60)
    run = win.model.scrub.current_run()
    ckpt = run.timeline.at(8)
    snap = _show(qtbot, win, 8)
    assert snap.recorded_step == 8 and snap.global_step == 8 and snap.grads is None
    want = _weights_of(run.settings, win.model.info.data, ckpt.params)
    for (W, b), (w, bb) in zip(snap.weights, want):
        np.testing.assert_array_equal(W, w)
        np.testing.assert_array_equal(b, bb)
    assert win.frame.scrubbing and win.diagram._snap is snap
    assert win.scrub_ui.status_label.isVisible()
    assert "step 8" in win.scrub_ui.status_label.text() and "A" in win.scrub_ui.status_label.text()
    from nnviz.app.timeline.marker import marker_epoch
    assert marker_epoch(win.plots) == pytest.approx(8 / win.model.info.steps_per_epoch)
    assert win.scrub_ui.bar.label.text().startswith("Step 8")
    # a live batch meanwhile feeds the curves but leaves the picture at step 8
    g = win.model.global_step
    win.model.step_batch()
    qtbot.waitUntil(lambda: win.model.last_snapshot.global_step == g + 1, timeout=20000)
    assert win.diagram._snap is snap
    # Live: the running network again
    win.scrub_ui.actions["live"].trigger()
    assert not win.frame.scrubbing and not win.scrub_ui.status_label.isVisible()
    assert win.diagram._snap.recorded_step is None and win.diagram._snap.global_step == g + 1
    assert marker_epoch(win.plots) is None


def test_keys_step_through_the_checkpoints(qtbot, win):
    _train_to(qtbot, win, 20)
    scrub, steps = win.model.scrub, list(win.model.scrub.current_run().timeline.steps())

    def key(k, mod=Qt.NoModifier):
        qtbot.keyClick(win.diagram, k, mod)

    key(Qt.Key_Home, Qt.AltModifier)
    qtbot.waitUntil(lambda: win.diagram._snap.recorded_step == 0, timeout=20000)
    key(Qt.Key_BracketRight)
    assert scrub.step == steps[1]
    key(Qt.Key_Right, Qt.AltModifier)
    assert scrub.step == steps[2]
    key(Qt.Key_BracketLeft)
    assert scrub.step == steps[1]
    qtbot.waitUntil(lambda: win.diagram._snap.recorded_step == steps[1], timeout=20000)
    key(Qt.Key_End, Qt.AltModifier)
    assert not scrub.scrubbing and win.diagram._snap.recorded_step is None
    for name in ("first", "prev", "next", "live", "branch"):
        assert "(" in win.scrub_ui.actions[name].toolTip()   # the keys are named


def test_train_from_here_continues_exactly(qtbot, win):
    model = win.model
    spe = model.info.steps_per_epoch
    _train_to(qtbot, win, 3 * spe + 1)
    a = model.scrub.current_run()
    _show(qtbot, win, spe)
    assert model.scrub.train_from_here()
    qtbot.waitUntil(lambda: len(model.runs) == 2 and model.state == "paused", timeout=10000)
    qtbot.waitUntil(lambda: model.last_snapshot is not None and model.last_snapshot.global_step == spe,
                    timeout=20000)   # the branch's first picture
    b = model.runs.selected
    assert b.parent == a.id and b.branch_step == spe and b.name == f"A @ step {spe}"
    assert model.global_step == spe and not model.scrub.scrubbing
    np.testing.assert_array_equal(b.timeline.at(spe).params, a.timeline.at(spe).params)
    snap = model.last_snapshot
    assert snap.global_step == spe
    assert [e["epoch"] for e in win.plots.epochs()] == [1]   # the parent's curve up to the branch
    # unchanged, the branch's next epoch is the original's, bit for bit
    model.step_epoch()
    qtbot.waitUntil(lambda: len(b.timeline.epochs) >= 2 and model.state == "paused", timeout=10000)
    strip = lambda e: {k: v for k, v in e.items() if k != "seconds"}  # noqa: E731
    assert strip(b.timeline.epochs[1]) == strip(a.timeline.epochs[1])
    np.testing.assert_array_equal(b.timeline.at(2 * spe).params, a.timeline.at(2 * spe).params)
    assert [r.name for r in model.runs.runs()] == ["A", f"A @ step {spe}"]   # A stays


def test_a_branch_is_named_by_its_changed_setting(qtbot, win):
    model = win.model
    _train_to(qtbot, win, 30)
    _show(qtbot, win, 16)
    model.scrub.train_from_here()
    qtbot.waitUntil(lambda: len(model.runs) == 2, timeout=10000)
    model.apply_settings(model.settings().replace(lr=0.01))
    b = model.runs.selected
    assert b.name == "A → lr 0.01 @ step 16" and b.changes == {"lr": 0.01}
    assert b.timeline.settings.lr == 0.01   # the branch replays with its own settings


def test_the_recording_stays_within_its_budget(qtbot, win):
    model = win.model
    model.scrub.budget_bytes = 400_000
    model.reset()
    qtbot.waitUntil(lambda: len(model.runs) == 2, timeout=20000)
    _train_to(qtbot, win, 3000)
    tl = model.scrub.current_run().timeline
    # nbytes counts the Python objects every checkpoint holds beside its arrays
    assert tl.nbytes <= tl.budget_bytes == 400_000 and tl.steps()[0] == 0 and len(tl) >= 10


def test_scrub_texts_switch_language(qtbot, win, english):
    from nnviz.app.translation import apply_language

    act = win.scrub_ui.actions["branch"]
    assert act.text() == "Train from here"
    apply_language("zh_CN")
    assert act.text() != "Train from here" and win.scrub_ui.bar.title.text() != "Timeline"
    apply_language("en")
    assert act.text() == "Train from here" and win.scrub_ui.bar.title.text() == "Timeline"


def test_the_confusion_matrix_shows_the_recorded_moment(qtbot, win):
    win.confusion_dock.show()
    win.confusion_dock.raise_()
    qtbot.waitUntil(lambda: win.confusion.isVisible(), timeout=20000)
    _train_to(qtbot, win, 40)
    run = win.model.scrub.current_run()
    _show(qtbot, win, 4)   # the picture first; the matrix follows it (counted on the worker)
    scrub = win.model.scrub
    qtbot.waitUntil(lambda: scrub.last_recorded is not None and scrub.last_recorded.confusion is not None,
                    timeout=20000)
    exp = build(run.settings, data=win.model.info.data)
    exp.net.flat_params[...] = run.timeline.at(4).params
    np.testing.assert_array_equal(scrub.last_recorded.confusion, exp.trainer.confusion("test"))
    assert win.frame._pending_confusion is None   # drawn
    # shown again: the matrix comes with the picture (remembered)
    scrub.live()
    snap = _show(qtbot, win, 4)
    np.testing.assert_array_equal(snap.confusion, exp.trainer.confusion("test"))


def test_selecting_an_earlier_run_shows_its_last_moment(qtbot, win):
    model = win.model
    _train_to(qtbot, win, 25)
    a = model.scrub.current_run()
    model.reset()
    qtbot.waitUntil(lambda: len(model.runs) == 2, timeout=20000)
    b = model.scrub.current_run()
    with qtbot.waitSignal(model.scrub.recorded, timeout=20000):
        model.runs.select(a.id)
    assert model.scrub.run_id == a.id and model.scrub.step == a.timeline.last_step
    qtbot.waitUntil(lambda: win.diagram._snap.recorded_step == a.timeline.last_step, timeout=20000)
    want = _weights_of(a.settings, model.info.data, a.timeline.at(a.timeline.last_step).params)
    for (W, bias), (w, bb) in zip(win.diagram._snap.weights, want):
        np.testing.assert_array_equal(W, w)
        np.testing.assert_array_equal(bias, bb)
    win.scrub_ui.actions["live"].trigger()   # back to the running run, selected again
    assert model.runs.selected.id == b.id and not model.scrub.scrubbing


def test_an_edited_weight_is_kept_in_the_timeline(qtbot, win):
    model = win.model
    _train_to(qtbot, win, 10)
    tl, g = model.scrub.current_run().timeline, model.global_step
    model.set_param(0, "W", (0, 0), 1.5)
    qtbot.waitUntil(lambda: g in tl.pinned and tl.at(g).params[0] == 1.5, timeout=20000)
