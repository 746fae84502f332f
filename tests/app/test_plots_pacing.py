"""The frame drawer paces the plots by their own cost (issue 19): a refresh is due every 0.23 s
while it costs the frame little, less often when it costs more, and the other views' work in the
same frame does not count. A fake clock: each stub advances it by what its work would take."""
from types import SimpleNamespace as NS

import numpy as np
import pytest

from nnviz.app.window.frame import FrameDrawer

FRAME_S = 1 / 30   # the worker's snapshots at full speed
BEAT = FrameDrawer.PLOT_INTERVAL_S
PER_10_S = round(10 / BEAT)   # refreshes in 10 s on the beat (43: at least 4 a second)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def hidden():
    return NS(isVisible=lambda: False)


def make_drawer(update_s: float, status_s: float = 0.0):
    """A drawer whose plots' update takes ``update_s`` and whose status line takes ``status_s``."""
    clock = Clock()
    calls = NS(points=0, epochs=0, settled=0)

    def add_loss_points(points):
        calls.points += len(points)
        clock.t += update_s

    def on_status(snap):
        clock.t += status_s

    plots = NS(add_loss_points=add_loss_points, add_epochs=lambda e: setattr(calls, "epochs", calls.epochs + len(e)),
               settle_ranges=lambda: setattr(calls, "settled", calls.settled + 1), glw=hidden())
    diagram = NS(view=NS(setUpdatesEnabled=lambda on: None), update_snapshot=lambda s: None)
    output = NS(update_snapshot=lambda s: None, plane_widget=hidden(), sample_widget=hidden())
    confusion = NS(isVisible=lambda: False, plot_widget=hidden())
    d = FrameDrawer(diagram, output, hidden(), plots, confusion, on_status, clock=clock, cpu_clock=clock)
    return d, clock, calls


def snap(step: int, final: bool = False):
    return NS(loss_points=np.array([[step, 0.5]]), epochs=[], confusion=None, final=final, recorded_step=None)


def run(d, clock, seconds: float) -> list:
    """A frame every 30th of a second (plus what the frame itself took) for ``seconds``; the
    times of the plot refreshes."""
    times, step, end = [], 0, clock.t + seconds
    while clock.t < end:
        clock.t += FRAME_S
        step += 1
        before = d.plot_flushes
        d.draw(snap(step))
        if d.plot_flushes > before:
            times.append(clock.t)
    d.frames = step
    return times


def test_cheap_refreshes_come_4_times_a_second():
    d, clock, calls = make_drawer(update_s=0.003)
    times = run(d, clock, 10.0)
    gaps = np.diff(times)
    assert PER_10_S - 1 <= len(times) <= PER_10_S + 1   # on the beat, not 1/(beat + a frame)
    assert len(times) >= 40
    assert gaps.max() < BEAT + 2 * FRAME_S and gaps.min() > BEAT - 2 * FRAME_S
    assert np.mean(gaps) == pytest.approx(BEAT, abs=0.01)
    assert d.plot_interval() == FrameDrawer.PLOT_INTERVAL_S
    assert np.median(d.plot_refresh_costs) == pytest.approx(0.003)


def test_every_point_reaches_the_plots_and_a_final_snapshot_settles_them():
    d, clock, calls = make_drawer(update_s=0.003)
    run(d, clock, 2.0)
    clock.t += FRAME_S
    d.draw(snap(10_000, final=True))            # pause: drawn at once, ranges fitted
    assert calls.points == d.frames + 1
    assert calls.settled == 1


def test_costly_refreshes_space_out_to_keep_their_share():
    d, clock, _ = make_drawer(update_s=0.015)   # 15 ms: 3 % of 0.5 s
    times = run(d, clock, 10.0)
    assert 17 <= len(times) <= 21
    assert d.plot_interval() == pytest.approx(0.5)
    d, clock, _ = make_drawer(update_s=0.1)     # very slow: still once a second
    assert 9 <= len(run(d, clock, 10.0)) <= 11


def test_other_views_work_in_the_frame_does_not_slow_the_plots():
    d, clock, _ = make_drawer(update_s=0.003, status_s=0.02)
    times = run(d, clock, 10.0)
    assert PER_10_S - 3 <= len(times) <= PER_10_S + 1   # paced by their own 3 ms, not the frame's 23 ms
    assert np.median(d.plot_refresh_costs) == pytest.approx(0.003)
    assert np.median(d.plot_frame_costs) == pytest.approx(0.023)


def test_while_training_runs_in_the_child_process_a_costly_refresh_keeps_4_a_second():
    """Then a refresh costs the UI thread only (not the trainer's GIL): 15 ms stays 4 a second,
    while on the worker thread the same cost spaces them out to 2 a second."""
    d, clock, _ = make_drawer(update_s=0.015)
    d.training_elsewhere = lambda: True
    times = run(d, clock, 10.0)
    assert PER_10_S - 1 <= len(times) <= PER_10_S + 1 and len(times) >= 40
    assert d.plot_interval() == FrameDrawer.PLOT_INTERVAL_S
    d.training_elsewhere = lambda: False
    assert d.plot_interval() == pytest.approx(0.5)
