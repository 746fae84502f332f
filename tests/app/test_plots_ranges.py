"""The training curves' ranges move in steps (issue 19): the y range holds while new points stay
inside it, grows past it in a step, and always covers every point; the x range leaves room ahead
only while training runs fast, and fits tightly again once it pauses."""
import math

import numpy as np
import pytest

from nnviz.app.plots.anchor import MAX_LEAD, XAnchor, step_end
from nnviz.app.plots.ranges import SteppedSpan, nice_step


@pytest.mark.parametrize("x, step", [(0.03, 0.05), (0.05, 0.05), (0.11, 0.2), (3.0, 5.0), (7.0, 10.0), (42.0, 50.0)])
def test_nice_step_is_the_next_1_2_5_number(x, step):
    assert nice_step(x) == pytest.approx(step)


def test_a_span_holds_while_the_data_stay_inside_and_grows_in_a_step():
    s = SteppedSpan()
    first = s.fit(0.2, 0.7)
    assert first[0] <= 0.2 and first[1] >= 0.7
    assert first[1] - first[0] <= 0.5 * 1.25          # at most a step's rounding on each side
    for lo in (0.25, 0.21, 0.2):                      # a lower loss, still inside: unchanged
        assert s.fit(lo, 0.7) == first
    grown = s.fit(first[0] - 0.001, 0.7)              # past the bottom: one step more below it
    step = nice_step(0.5 * SteppedSpan.STEP_SHARE)
    assert grown[0] <= first[0] - 0.001 - step + 1e-9 and grown[1] == first[1]
    assert s.fit(first[0] - 0.001 + step / 2, 0.7) == grown   # and it holds there a while


def test_a_span_shrinks_when_the_data_fill_less_than_half_of_it():
    s = SteppedSpan()
    wide = s.fit(0.0, 10.0)
    assert s.fit(2.0, 9.0) == wide
    narrow = s.fit(4.0, 5.0)
    assert narrow != wide and narrow[0] <= 4.0 and narrow[1] >= 5.0 and narrow[1] - narrow[0] < 2.0


def test_a_span_keeps_to_its_limits_unless_the_data_pass_them():
    s = SteppedSpan()
    s.set_limits(0.0, 100.0)
    s.fit(50.0, 90.0)
    lo, hi = s.fit(50.0, 99.9)                        # the spare step would pass 100 %
    assert lo >= 0.0 and hi == 100.0
    s.set_limits(0.0)
    assert s.fit(-0.5, 1.0)[0] <= -0.5                # data below the limit: still covered


def test_one_value_gets_a_span_around_it():
    s = SteppedSpan()
    lo, hi = s.fit(0.7, 0.7)
    assert lo < 0.7 < hi
    lo, hi = SteppedSpan().fit(0.0, 0.0)
    assert lo < 0.0 < hi


# -- the plots ----------------------------------------------------------------------------------
@pytest.fixture
def plots(show_plots):
    return show_plots(400, 500)


def y_range(plot):
    plot.scene().prepareForPaint()
    return tuple(plot.vb.viewRange()[1])


def test_the_loss_range_holds_while_new_points_stay_inside_and_covers_every_point(plots):
    plots.set_steps_per_epoch(10)
    rng = np.random.default_rng(0)
    steps = np.arange(1, 201)
    plots.add_loss_points(np.column_stack([steps, 0.9 - 0.002 * steps + 0.02 * rng.random(200)]))
    first = y_range(plots.loss_plot)
    assert first[0] <= 0.5 and first[1] >= 0.92
    plots.add_loss_points([(201, 0.6), (202, 0.7), (203, 0.55)])   # inside: the same range
    assert y_range(plots.loss_plot) == first
    low = first[0] - 0.05 if first[0] > 0.1 else first[0] / 2
    plots.add_loss_points([(204, low)])                                 # below it: it grows
    grown = y_range(plots.loss_plot)
    assert grown[0] < first[0] and grown[0] <= low
    x, y = plots.step_curve.getOriginalDataset()
    assert grown[0] <= y.min() and y.max() <= grown[1]                  # covers every point
    assert plots.loss_plot.vb.y_steps.span[0] >= 0.0                  # a loss range stops at 0


def test_the_accuracy_range_steps_and_stops_at_100_percent(plots):
    plots.add_epochs([dict(epoch=e, train_loss=1 / e, test_loss=1.1 / e, train_acc=0.5 + e / 100,
                           test_acc=0.45 + e / 100) for e in range(1, 31)])
    first = y_range(plots.acc_plot)
    plots.add_epochs([dict(epoch=31, train_loss=0.03, test_loss=0.04, train_acc=0.7, test_acc=0.6)])
    assert y_range(plots.acc_plot) == first
    plots.add_epochs([dict(epoch=32, train_loss=0.03, test_loss=0.04, train_acc=0.999, test_acc=0.99)])
    shown = y_range(plots.acc_plot)
    lo, hi = plots.acc_plot.vb.y_steps.span
    assert hi == 100.0 and lo <= 46.0 and shown[0] < lo and shown[1] > hi  # (pyqtgraph's padding)


def test_the_log_scale_fits_the_logarithms_afresh(plots):
    plots.set_steps_per_epoch(10)
    plots.add_loss_points([(s, 10.0 ** (-s / 50)) for s in range(1, 151)])   # 0.95 … 0.001
    plots.set_log_loss(True)
    lo, hi = y_range(plots.loss_plot)
    assert lo <= -3.0 and -0.2 <= hi <= 0.5                   # log10 of the losses, no "0" limit
    plots.set_log_loss(False)
    lo, hi = y_range(plots.loss_plot)
    assert lo <= 0.001 and 0.95 <= hi <= 1.2


def test_clear_forgets_the_span(plots):
    plots.add_loss_points([(1, 5.0), (2, 4.0)])
    y_range(plots.loss_plot)
    plots.clear()
    plots.add_loss_points([(1, 0.02), (2, 0.01)])
    lo, hi = y_range(plots.loss_plot)
    assert hi < 0.1


# -- the x anchor's room ahead --------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def anchor(qtbot):
    import pyqtgraph as pg

    w = pg.PlotWidget()
    qtbot.addWidget(w)
    clock = Clock()
    return XAnchor(w.getPlotItem().vb, clock=clock), clock


def test_fast_training_leaves_room_ahead_and_the_range_holds_for_several_refreshes(qtbot):
    a, clock = anchor(qtbot)
    ends, xs = [], []
    for r in range(40):                       # 4 refreshes a second, 40 epochs a second
        clock.t += 0.25
        x = 10.0 * (r + 1)
        a.set_right(x)
        ends.append(a.x)
        xs.append(x)
        assert x <= a.x <= step_end(x * (1 + MAX_LEAD))     # covers the data, room ≤ ~15 %
    later = ends[20:]
    changes = sum(1 for p, q in zip(later, later[1:]) if p != q)
    assert changes <= len(later) // 2          # (2 % steps would move it at every refresh)
    a.settle()                                 # paused: fits tightly again
    assert a.x == step_end(xs[-1])


def test_slow_training_and_data_loaded_at_once_fit_tightly(qtbot):
    a, clock = anchor(qtbot)
    a.set_right(500.0)                         # a whole history at once: no speed known
    assert a.x == step_end(500.0)
    for r in range(20):                        # a speed to watch: 0.1 epoch per refresh
        clock.t += 0.25
        a.set_right(500.0 + 0.1 * (r + 1))
    assert a.x <= step_end(502.0) and a.x >= 502.0
    a.set_right(None)
    assert a.x is None and not math.isnan(step_end(1.0))


def test_pyqtgraphs_own_log_menu_also_fits_the_logarithms(plots):
    plots.add_loss_points([(s, 10.0 ** (-s / 50)) for s in range(1, 151)])
    y_range(plots.loss_plot)
    plots.loss_plot.ctrl.logYCheck.setChecked(True)          # Plot Options → Transforms → Log Y
    lo, hi = y_range(plots.loss_plot)
    assert lo <= -3.0 and hi <= 0.5 and plots.loss_plot.vb.y_steps.limits == (None, None)
    plots.loss_plot.ctrl.logYCheck.setChecked(False)
    assert plots.loss_plot.vb.y_steps.limits == (0.0, None)


def test_the_accuracy_plots_bottom_axis_replays_the_loss_plots_ticks(plots):
    plots.set_steps_per_epoch(10)
    plots.add_epochs([dict(epoch=e, train_loss=1 / e, test_loss=1.1 / e, train_acc=0.5, test_acc=0.5)
                      for e in range(1, 21)])
    plots.add_loss_points([(s, 1.0 / s) for s in range(1, 201)])
    plots.grab()
    loss_axis, acc_axis = plots.loss_plot.getAxis("bottom"), plots.acc_plot.getAxis("bottom")
    assert loss_axis.picture is not None and acc_axis.picture is loss_axis.picture
    plots.add_loss_points([(s, 0.01) for s in range(201, 400)])      # the x range grows
    plots.grab()
    assert acc_axis.picture is loss_axis.picture and tuple(acc_axis.range) == tuple(loss_axis.range)
    plots.set_accuracy_visible(False)                                  # alone: its own picture
    plots.add_loss_points([(s, 0.01) for s in range(400, 600)])
    plots.grab()
    assert loss_axis.picture is not None and loss_axis.picture is not acc_axis.picture
