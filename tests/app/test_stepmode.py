"""Step mode in the main window (issue 11): one traced training step walked through phase by
phase, with the real numbers; lessons; the gradient check."""
import copy

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.window.mainwindow import DEFAULT_SETTINGS
from nnviz.lessons.catalog import get_lesson


@pytest.fixture
def win(open_window):
    return open_window(1280, 800)


def _key(qtbot, win, key, modifier=Qt.NoModifier):
    qtbot.keyClick(win.diagram, key, modifier)


def _traced(qtbot, win):
    sm = win.model.step_mode
    qtbot.waitUntil(lambda: sm.active and sm.record is not None and len(sm.session) > 0, timeout=5000)
    return sm


def _open_lesson(qtbot, win, name):
    win.step_ui.lesson_actions[name].trigger()
    sm = _traced(qtbot, win)
    qtbot.waitUntil(lambda: win.step_ui.lesson_panel.result is not None, timeout=10000)
    return sm


def test_entering_step_mode_pauses_training_and_shows_phase_0(qtbot, win):
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        _key(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: win.model.global_step > 5, timeout=5000)
    _key(qtbot, win, Qt.Key_T)
    sm = _traced(qtbot, win)
    qtbot.waitUntil(lambda: win.model.state == "paused", timeout=3000)
    steps = win.model.global_step
    qtbot.wait(150)
    assert win.model.global_step == steps                    # paused means paused
    assert win.step_ui.act_step_mode.isChecked() and win.step_ui.dock.isVisible()
    assert sm.session.index == 0
    p0 = sm.session.steps[0]
    assert (p0.phase, p0.layer) == ("forward", 0)
    math = win.step_ui.dock_widget.panel.math
    assert math.title.text() == p0.title and math.filled.text() == p0.filled
    assert win.diagram.in_step() and win.diagram.step_state()["phase"] == "forward"
    _key(qtbot, win, Qt.Key_T)                               # off again: the live display returns
    assert not sm.active and not win.diagram.in_step()
    assert win.act_step.isEnabled()


def test_the_2_2_1_lessons_panel_shows_the_traces_numbers(qtbot, win):
    sm = _open_lesson(qtbot, win, "network-2-2-1")
    assert win.model.info.sizes == [2, 2, 1]
    rec = sm.record
    math = win.step_ui.dock_widget.panel.math
    for k, p in enumerate(sm.session.steps):
        sm.session.set_index(k)
        assert math.filled.text() == p.filled and math.formula.text() == p.formula
        if p.phase == "forward":
            r = rec.rec("forward", p.layer)
            expect = {"z": r["z"][0], "a": r["a"][0]}
        elif p.phase == "backward":
            r = rec.rec("backward", p.layer)
            expect = {"δ": r["delta"][0], "∂L/∂W": r["dW"]}
        elif p.phase == "update":
            r = rec.rec("update", p.layer)
            expect = {"W′ (after)": r["W"], "b′": r["b"]}
        else:
            continue
        shown = {}
        for t in math.tables():
            caption = t.parent().layout().itemAt(0).widget().text()
            shown[caption] = np.array([[float(t.item(i, j).toolTip().split(" = ")[1])
                                        for j in range(t.columnCount())] for i in range(t.rowCount())])
        for caption, value in expect.items():
            np.testing.assert_array_equal(shown[caption].reshape(np.shape(value)), value)
    # the seed's output, 0.7216325609518421, is the trace's a of the output layer
    out = next(p for p in sm.session.steps if p.phase == "forward" and p.layer == 1)
    assert rec.rec("forward", 1)["a"][0, 0] == pytest.approx(0.7216325609518421, abs=1e-15)
    assert "0.7216" in out.filled


def test_stepping_to_the_end_and_back_restores_the_initial_display(qtbot, win):
    _key(qtbot, win, Qt.Key_T)
    sm = _traced(qtbot, win)
    qtbot.wait(300)                                         # the step dock has taken its place
    math = win.step_ui.dock_widget.panel.math
    first = (win.diagram.grab().toImage(), math.title.text(), math.filled.text())
    state0 = win.diagram.step_state()
    _key(qtbot, win, Qt.Key_End)
    assert sm.session.index == len(sm.session) - 1 and sm.session.current().phase == "update"
    assert win.diagram.grab().toImage() != first[0]
    for _ in range(len(sm.session)):
        _key(qtbot, win, Qt.Key_Left)
    assert sm.session.index == 0
    assert (win.diagram.grab().toImage(), math.title.text(), math.filled.text()) == first
    state = win.diagram.step_state()
    for key in ("W", "b", "a", "delta"):
        for u, v in zip(state[key], state0[key]):
            assert (u is None and v is None) or np.array_equal(u, v)


def test_keyboard_steps_phases_not_batches_in_step_mode(qtbot, win):
    live = win.diagram.grab().toImage()
    _key(qtbot, win, Qt.Key_T)
    sm = _traced(qtbot, win)
    _key(qtbot, win, Qt.Key_Right)
    _key(qtbot, win, Qt.Key_Right)
    assert sm.session.index == 2
    _key(qtbot, win, Qt.Key_Right, Qt.ShiftModifier)       # Step epoch must not fire
    _key(qtbot, win, Qt.Key_Left)
    assert sm.session.index == 1
    _key(qtbot, win, Qt.Key_End)
    assert sm.session.index == len(sm.session) - 1
    _key(qtbot, win, Qt.Key_Home)
    assert sm.session.index == 0
    qtbot.wait(200)
    assert win.model.global_step == 0                      # no batch was trained
    assert "δ" not in win.step_ui.dock_widget.hint.text()   # phase 0 is a forward one
    _key(qtbot, win, Qt.Key_End)
    assert "w′ − w" in win.step_ui.dock_widget.hint.text()
    _key(qtbot, win, Qt.Key_T)
    assert not win.diagram.in_step()
    win.step_ui.dock.hide()                                # the diagram's old size again
    qtbot.wait(300)
    assert win.diagram.grab().toImage() == live            # the live display is back
    with qtbot.waitSignal(win.model.snapshot, timeout=3000):
        _key(qtbot, win, Qt.Key_Right)                     # out of step mode → one batch again
    qtbot.waitUntil(lambda: win.model.global_step == 1, timeout=3000)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_apply_gives_the_weights_of_one_core_training_step(qtbot, win, optimizer):
    from nnviz.experiment import build

    s = DEFAULT_SETTINGS.replace(optimizer=optimizer, lr=0.05)
    win.model.request_settings(s, confirm=False)
    qtbot.waitUntil(lambda: win.model.settings().optimizer == optimizer, timeout=3000)
    win.model.step_mode.batch = 3
    win.model.enter_step_mode()
    sm = _traced(qtbot, win)
    assert sm.rows == (0, 1, 2)
    exp = build(s)                                          # the same seed: the same network and optimizer
    for layer, snap in zip(exp.net.layers, sm.record.layers):
        np.testing.assert_array_equal(layer.W, snap.params["W"])
    net, opt = copy.deepcopy(exp.net), copy.deepcopy(exp.optimizer)
    net.train_step(sm.record.x, sm.record.t, opt)
    sm.session.end()
    assert win.step_ui.dock_widget.apply_button.isEnabled()
    with qtbot.waitSignal(win.model.snapshot, timeout=3000) as blocker:
        win.step_ui.dock_widget.apply_button.click()
    for layer, (W, b) in zip(net.layers, blocker.args[0].weights):
        np.testing.assert_allclose(W, layer.W, rtol=1e-12)
        np.testing.assert_allclose(b, layer.b, rtol=1e-12)
    assert not win.step_ui.dock_widget.apply_button.isEnabled()   # applied once only


def test_clicking_a_neuron_explains_it_and_an_edit_flows_downstream(qtbot, win):
    sm = _open_lesson(qtbot, win, "network-2-2-1")
    qtbot.wait(50)
    pos = win.diagram.neuron_view_pos(0, 1)
    qtbot.mouseClick(win.diagram.view.viewport(), Qt.LeftButton, pos=pos)
    assert sm.session.selection == (0, 1)
    assert not win.diagram.editor.isVisible()               # no weight editor in step mode
    assert sm.session.current().neuron == 1
    sm.session.end()
    sm.session.set_index(1)                                 # forward, output layer
    before = sm.record.rec("forward", 1)["a"][0, 0]
    with qtbot.waitSignal(sm.traced, timeout=3000):
        win.model.set_param(1, "W", (1, 0), 3.0)
    assert sm.session.index == 1                            # the same phase, re-traced
    after = sm.record.rec("forward", 1)["a"][0, 0]
    a_hidden = sm.record.rec("forward", 0)["a"][0]
    assert after == pytest.approx(1 / (1 + np.exp(-(0 * a_hidden[0] + 3.0 * a_hidden[1]))), rel=1e-12)
    assert after != before


def test_a_lesson_opened_while_training_runs_pauses_it_cleanly(qtbot, win):
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        _key(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: win.model.global_step > 5, timeout=5000)
    win.model.confirm_discard = lambda: True
    sm = _open_lesson(qtbot, win, "neuron")
    qtbot.waitUntil(lambda: win.model.state == "paused", timeout=3000)
    assert win.model.info.sizes[-1] == 1 and win.model.global_step == 0
    qtbot.wait(150)
    assert win.model.global_step == 0 and sm.active
    assert win.step_ui.lesson_panel.title.text() == get_lesson("neuron").title
    assert "{" not in win.step_ui.lesson_panel.text.text()  # its numbers filled in


def test_apple_and_race_lessons_show_their_views(qtbot, win):
    from nnviz.app.stepthrough.appleview import AppleGraphView
    from nnviz.app.stepthrough.raceview import RaceView

    win.step_ui.lesson_actions["apple"].trigger()
    panel = win.step_ui.lesson_panel
    qtbot.waitUntil(lambda: isinstance(panel.view, AppleGraphView), timeout=5000)
    panel.bar.setFocus()
    qtbot.waitUntil(panel.bar.hasFocus, timeout=2000)
    qtbot.keyClick(panel.bar, Qt.Key_Right)                # the graph's next step, not a batch
    assert panel.bar.session.index == 1
    qtbot.keyClick(panel.bar, Qt.Key_End)
    assert panel.view.grad_text["apple"].text() == "2.2"
    qtbot.wait(100)
    assert win.model.global_step == 0
    win.step_ui.lesson_actions["optimizers"].trigger()
    qtbot.waitUntil(lambda: isinstance(panel.view, RaceView), timeout=10000)


def test_the_digits_setting_rounds_the_shown_numbers(qtbot, win):
    sm = _open_lesson(qtbot, win, "network-2-2-1")
    dock = win.step_ui.dock_widget
    sm.session.set_index(1)  # forward, the output layer: z = 0·a₀ + 1·a₁ + 0 with a = σ(3)
    assert "0.9526" in dock.panel.math.filled.text() and "0.952574" not in dock.panel.math.filled.text()
    dock.digits.setValue(6)
    assert sm.session.index == 1 and "0.952574" in dock.panel.math.filled.text()
    dock.digits.setValue(4)


def test_the_schedules_and_gates_lessons_show_their_plots_in_the_window(qtbot, win):
    from nnviz.app.stepthrough.demoplots import DemoPlot

    panel = win.step_ui.lesson_panel
    win.step_ui.lesson_actions["schedules"].trigger()
    qtbot.waitUntil(lambda: isinstance(panel.view, DemoPlot) and panel.lesson.name == "schedules", timeout=10000)
    x, y = next(iter(panel.view.curves.values())).getData()
    assert len(x) > 100 and np.isfinite(y).all() and y[0] > y[-1]  # a decaying rate, drawn
    win.step_ui.lesson_actions["gates"].trigger()
    qtbot.waitUntil(lambda: isinstance(panel.view, DemoPlot) and panel.lesson.name == "gates", timeout=10000)
    assert panel.view.lines  # the perceptrons' decision lines on the unit square


def test_gradient_check_numbers_equal_the_cores(qtbot, win):
    from nnviz.core.gradcheck import gradient_check
    from nnviz.experiment import build

    dialog = win.step_ui.open_gradcheck()
    qtbot.waitUntil(lambda: dialog.rows is not None, timeout=10000)
    exp = build(DEFAULT_SETTINGS)
    net = copy.deepcopy(exp.net).astype("float64")
    x = exp.data.inputs(exp.data.x_train[:1], dtype=np.float64)
    res = gradient_check(net, x, exp.trainer.t_train[:1])
    assert len(dialog.rows) == res["checked"] == dialog.table.rowCount()
    assert max(r.rel_error for r in dialog.rows) == pytest.approx(res["max_rel_error"], rel=1e-9, abs=1e-15)
    assert win.model.global_step == 0 and not win.model.step_mode.active


def test_continue_applies_the_step_and_trains_on(qtbot, win):
    win.model.enter_step_mode()
    sm = _traced(qtbot, win)
    new_W = sm.record.rec("update", 0)["W"]
    seen = []
    win.model.snapshot.connect(lambda snap: seen.append((snap.global_step, snap.weights[0][0].copy())))
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        win.step_ui.dock_widget.continue_button.click()
    assert not sm.active and sm.applied and not win.diagram.in_step()
    qtbot.waitUntil(lambda: win.model.global_step > 3, timeout=5000)
    win.model.pause()
    qtbot.waitUntil(lambda: win.model.state == "paused", timeout=3000)
    # the applied step's weights were the network's before training went on from them
    assert any(np.allclose(W, new_W, rtol=1e-12, atol=0) for _, W in seen)
    assert not np.array_equal(win.model.last_snapshot.weights[0][0], new_W)
    assert win.act_step.isEnabled()


def test_a_new_sample_or_learning_rate_retraces_the_step_at_the_same_phase(qtbot, win):
    win.model.enter_step_mode()
    sm = _traced(qtbot, win)
    sm.session.end()
    with qtbot.waitSignal(sm.traced, timeout=3000):
        win.sample_spin.setValue(7)
    assert sm.rows == (7,) and sm.session.current().phase == "update"
    x7 = sm.record.x[0].copy()
    with qtbot.waitSignal(sm.traced, timeout=3000):
        win.model.apply_settings(win.model.settings().replace(lr=0.5))
    assert sm.record.hyper["lr"] == 0.5
    np.testing.assert_array_equal(sm.record.x[0], x7)
    upd, bwd = sm.record.rec("update", 0), sm.record.rec("backward", 0)
    np.testing.assert_allclose(upd["W"], sm.record.layers[0].params["W"] - 0.5 * bwd["dW"], rtol=1e-12)


def test_closing_the_window_while_a_lesson_computes_prints_nothing(tmp_path):
    import subprocess
    import sys

    code = f'''
import sys
from PySide6.QtCore import QTimer, QSettings
from nnviz.app.main import make_app
app = make_app()
from nnviz.app.window.mainwindow import MainWindow
win = MainWindow(qsettings=QSettings({str(tmp_path / "c.ini")!r}, QSettings.IniFormat), restore=False)
win.show()
QTimer.singleShot(200, win.model.play)
QTimer.singleShot(500, lambda: win.step_ui.lesson_actions["init"].trigger())  # its demo runs off the UI thread
QTimer.singleShot(520, lambda: win.step_ui.open_gradcheck())
QTimer.singleShot(540, win.close)
QTimer.singleShot(2500, app.quit)
sys.exit(app.exec())
'''
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0 and p.stderr == "", p.stderr
