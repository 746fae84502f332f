"""demo_view draws what each lesson's demo computed: lines, curves and tables against the demo's numbers."""
import numpy as np
import pytest

from nnviz.app.stepthrough.demoplots import demo_view
from nnviz.core.schedules import get_schedule
from nnviz.lessons.catalog import load_lessons
from nnviz.lessons.demos import run_demo

LESSONS = {lesson.name: lesson for lesson in load_lessons()}
#: Overrides that keep the demos quick; the views read the same keys either way.
FAST = {"xor": {"epochs": 300, "every": 50}, "gender": {"epochs": 200, "every": 50}, "init": {"steps": 8}}
#: The views that must exist: every other lesson has its own view (step-through, apple, race) or none.
PLOTTED = {"gates", "linear", "init", "schedules", "xor", "gender", "torch-3-3-2-2", "gradcheck"}


def view_of(qtbot, name):
    lesson = LESSONS[name]
    result = run_demo(lesson, **FAST.get(name, {}))
    w = demo_view(lesson, result)
    if w is not None:
        qtbot.addWidget(w)
    return w, result


def test_all_thirteen_lessons_are_covered():
    assert len(LESSONS) == 13 and PLOTTED <= set(LESSONS)


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_each_lesson_gets_a_view_or_none_as_designed(qtbot, name):
    w, _ = view_of(qtbot, name)
    assert (w is not None) == (name in PLOTTED)
    if w is not None:
        w.resize(420, 320)
        w.show()
        img = w.grab().toImage()
        assert img.width() == 420 and img.height() == 320


def test_gate_lines_are_where_w_dot_x_plus_b_is_zero(qtbot):
    w, r = view_of(qtbot, "gates")
    for (panel, gate), line in w.lines.items():
        w1, w2, b = r["weights"][gate]
        x, y = line.getData()
        assert len(x) == 2 and x[0] != x[1]
        np.testing.assert_allclose(y, -(w1 * x + b) / w2, atol=1e-12)
        assert np.all((x >= 0) & (x <= 1) & (y >= 0) & (y <= 1))  # clipped to the unit square
    # XOR is drawn with the NAND and OR lines; the single gates with their own
    assert set(w.lines) == {("and", "and"), ("nand", "nand"), ("or", "or"), ("xor", "nand"), ("xor", "or")}
    # AND's line from its weights by hand: 0.5x + 0.5y − 0.7 = 0 crosses x = 1 at y = 0.4
    x, y = w.lines[("and", "and")].getData()
    assert pytest.approx(y[list(x).index(1.0)]) == 0.4
    assert "3" in w.caption.text()


def test_linear_view_deep_boundary_lies_on_the_collapsed_line(qtbot):
    w, r = view_of(qtbot, "linear")
    w1, w2, b0 = r["boundary_coef"]
    x, y = w.lines["collapsed"].getData()
    np.testing.assert_allclose(y, -(w1 * x + b0) / w2, atol=1e-12)
    deep = w.lines["deep"]
    assert deep
    for curve in deep:  # the identity network's own level set, traced on a grid: on the same line
        dx, dy = curve.getData()
        assert len(dx) > 2
        np.testing.assert_allclose(w1 * dx + w2 * dy + b0, 0, atol=1e-9)


def test_init_view_plots_each_initialisers_std_per_layer(qtbot):
    w, r = view_of(qtbot, "init")
    for key, layers in r["stats"].items():
        x, y = w.curves[key].getData()
        np.testing.assert_array_equal(x, [l["layer"] for l in layers])
        np.testing.assert_allclose(y, np.log10([l["std"] for l in layers]))
    # relu with σ = 0.01 vanishes layer by layer; the zeros case stays at spread 0 (identical neurons)
    y = w.curves[("relu", "normal σ=0.01")].getData()[1]
    assert np.all(np.diff(y) < 0)
    assert np.all(w.curves["zeros"].getData()[1] == 0) and w.curves["xavier"].getData()[1][-1] > 0
    assert len(w.curves["zeros"].getData()[0]) == 8


def test_schedule_curves_equal_the_core_schedules(qtbot):
    w, r = view_of(qtbot, "schedules")
    opts = {"step": {"step_size": 30, "gamma": 0.5}, "multistep": {"milestones": [50, 100, 160], "gamma": 0.5},
            "exponential": {"gamma": 0.98}}
    assert set(w.curves) == set(opts)
    for name, kw in opts.items():
        x, y = w.curves[name].getData()
        s = get_schedule(name, **kw)
        np.testing.assert_array_equal(x, np.arange(200))
        np.testing.assert_allclose(y, [s.lr(e, 0.1) for e in range(200)])
    y = w.curves["multistep"].getData()[1]
    assert (y[49], y[50], y[100], y[160]) == pytest.approx((0.1, 0.05, 0.025, 0.0125))


@pytest.mark.parametrize("name", ["xor", "gender"])
def test_loss_curve_is_the_demos_losses(qtbot, name):
    w, r = view_of(qtbot, name)
    curve = w.curves["loss"]
    np.testing.assert_array_equal(curve.xData, r["epochs"])
    np.testing.assert_array_equal(curve.yData, r["loss"])
    assert r["epochs"][-1] == FAST[name]["epochs"]


def test_parameter_table_lists_every_named_parameter(qtbot):
    w, r = view_of(qtbot, "torch-3-3-2-2")
    t = w.table
    assert t.rowCount() == len(r["rows"]) == 6
    counts = [int(t.item(i, 2).text()) for i in range(t.rowCount())]
    assert counts == [row["count"] for row in r["rows"]]
    assert [counts[0] + counts[1], counts[2] + counts[3], counts[4] + counts[5]] == [12, 8, 6]
    assert t.item(0, 1).text() == "3 × 3"
    assert "26" in w.caption.text()


def test_gradcheck_table_has_one_row_per_parameter(qtbot):
    w, r = view_of(qtbot, "gradcheck")
    assert w.table.rowCount() == len(r["rows"]) > 0
    assert w.table.item(0, 0).text() == r["rows"][0].name


def test_accuracy_is_drawn_on_its_own_axis_when_the_result_has_it(qtbot):
    from types import SimpleNamespace

    result = {"epochs": np.array([1, 2, 3]), "loss": np.array([0.6, 0.4, 0.3]), "accuracy": np.array([0.5, 0.75, 1.0])}
    w = demo_view(SimpleNamespace(demo="train"), result)
    qtbot.addWidget(w)
    w.resize(420, 320)
    w.show()
    np.testing.assert_array_equal(w.curves["accuracy"].yData, [0.5, 0.75, 1.0])
    np.testing.assert_array_equal(w.curves["loss"].yData, [0.6, 0.4, 0.3])
    assert w.body.getPlotItem().getAxis("right").isVisible()


def test_lessons_with_their_own_view_get_none(qtbot):
    from types import SimpleNamespace

    for kind in ("step", "mnist", "apple", "race", "no-such-demo"):
        assert demo_view(SimpleNamespace(demo=kind), {}) is None
