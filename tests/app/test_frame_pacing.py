"""The frame drawer's pacing of the Python-painted views (issue 19): the plots refresh up to 4
times a second while that is cheap, and never in two frames close together, so the worker's
throttle (the median frame cost) keeps reading a diagram-only frame."""
from nnviz.app.window.frame import FrameDrawer


def bare_drawer() -> FrameDrawer:
    d = FrameDrawer.__new__(FrameDrawer)  # (the pacing needs none of the views)
    d._plot_costs, d._light_frames = [], 0
    return d


def test_plot_interval_follows_the_cost_of_a_refresh():
    d = bare_drawer()
    assert d.plot_interval() == FrameDrawer.PLOT_INTERVAL_S == 0.23
    d._plot_costs = [0.005] * 5                  # cheap: 4 times a second
    assert d.plot_interval() == 0.23
    d._plot_costs = [0.004, 0.015, 0.015, 0.3, 0.015]   # 15 ms typical: 3% of 0.5 s
    assert abs(d.plot_interval() - 0.5) < 1e-9
    d._plot_costs = [0.1] * 5                    # very slow: still once a second
    assert d.plot_interval() == FrameDrawer.OVERDUE_S == 1.0


def test_a_refresh_waits_for_light_frames_unless_overdue_or_final():
    d = bare_drawer()
    assert not d._due(10.0, 9.5, 0.25, final=False)   # due by time, but the last frame was heavy
    d._light_frames = FrameDrawer.LIGHT_FRAMES_BETWEEN
    assert d._due(10.0, 9.5, 0.25, final=False)
    assert not d._due(10.0, 9.9, 0.25, final=False)   # not due yet
    d._light_frames = 0
    assert d._due(10.0, 8.9, 0.25, final=False)       # a second without it: overdue
    assert d._due(10.0, 9.99, 0.25, final=True)        # the run's last snapshot: always
