"""The window starts at a speed a learner can watch; the Speed slider still reaches full speed."""
import time

from nnviz.app.window.menus import DEFAULT_SPEED_INDEX, SPEED_DELAYS_MS


def _batches_per_s(qtbot, w, seconds=0.6):
    ctl = w.model.controller
    w.act_play.trigger()
    qtbot.wait(150)
    s0, t0 = ctl.global_step, time.perf_counter()
    qtbot.wait(int(seconds * 1000))
    rate = (ctl.global_step - s0) / (time.perf_counter() - t0)
    w.act_play.trigger()  # pause
    qtbot.waitUntil(lambda: ctl.state != "running", timeout=20000)
    return rate


def test_default_speed_is_watchable_and_the_slider_reaches_full_speed(qtbot, open_window):
    w = open_window()
    assert SPEED_DELAYS_MS[DEFAULT_SPEED_INDEX] == 1 and w.speed.value() == DEFAULT_SPEED_INDEX
    assert w.model.controller.worker._delay == 0.001       # what the worker waits after a batch
    slow = _batches_per_s(qtbot, w)
    assert 0 < slow < 1000                                  # ≤ 1 batch a millisecond
    w.speed.setValue(w.speed.maximum())
    qtbot.waitUntil(lambda: w.model.controller.worker._delay == 0.0, timeout=20000)
    fast = _batches_per_s(qtbot, w)
    assert fast > 1.5 * slow
