"""Step-through in both languages (issue 17): the step dock, the math panel, the step bar, the
lesson dock and the lesson plots switch language live on the same widgets, at the same phase;
the old network's explanation goes when a lesson or a preset builds a new network."""
import pytest

from nnviz import i18n
from nnviz.app.stepthrough.appleview import AppleGraphView
from nnviz.app.stepthrough.demoplots import demo_view
from nnviz.app.stepthrough.session import StepSession
from nnviz.app.translation import apply_language
from nnviz.i18n import _
from nnviz.lessons.catalog import get_lesson
from nnviz.lessons.demos import run_demo

pytestmark = pytest.mark.skipif("zh_CN" not in i18n.available_languages(), reason="no Chinese catalog built")


@pytest.fixture
def chinese():
    """Switch with ``chinese("zh_CN")`` / ``chinese("en")``; English again at the end, whatever happens."""
    try:
        yield apply_language
    finally:
        apply_language("en")


@pytest.fixture
def win(open_window):
    return open_window(1280, 800)


def _traced(qtbot, win):
    sm = win.model.step_mode
    qtbot.waitUntil(lambda: sm.active and sm.record is not None and len(sm.session) > 0, timeout=5000)
    return sm


def _dock_texts(win):
    d = win.step_ui.dock_widget
    return {"new": d.new_button.text(), "apply": d.apply_button.text(), "continue": d.continue_button.text(),
            "hint": d.hint.text(), "batch": d.batch_label.text(), "bar": d.panel.bar.label.text(),
            "back": d.panel.bar.back_button.text(), "tip": d.panel.bar.next_button.toolTip(),
            "dock": win.step_ui.dock.windowTitle(), "action": win.step_ui.act_step_mode.text(),
            "title": d.panel.math.title.text(), "filled": d.panel.math.filled.text()}


def test_the_step_dock_switches_language_live_at_the_same_phase(qtbot, win, chinese):
    win.step_ui.act_step_mode.trigger()
    sm = _traced(qtbot, win)
    k = len(sm.session) - 2
    sm.session.set_index(k)
    dock, math, bar = win.step_ui.dock_widget, win.step_ui.dock_widget.panel.math, win.step_ui.dock_widget.panel.bar
    english = _dock_texts(win)
    before = sm.session.current()

    chinese("zh_CN")
    assert win.step_ui.dock_widget is dock and dock.panel.math is math and dock.panel.bar is bar
    assert sm.session.index == k and sm.active
    assert sm.session.current() is not before              # the phases were built again, in Chinese
    assert math.title.text() == sm.session.current().title and math.filled.text() == sm.session.current().filled
    zh = _dock_texts(win)
    assert zh["new"] == "新的一步" and zh["apply"] == "应用更新" and zh["continue"] == "继续训练"
    assert zh["back"] == "上一步" and zh["bar"] == f"第 {k + 1} / {len(sm.session)} 步"
    assert zh["dock"] == "单步执行" and zh["action"] == "单步执行" and zh["batch"] == "本步样本数"
    assert zh["hint"].startswith("← → 在各阶段间移动")
    assert win.diagram.in_step()                           # the diagram still shows the step

    chinese("en")
    assert sm.session.index == k
    assert _dock_texts(win) == english                     # the same widgets, English again


def test_a_new_network_clears_the_old_networks_step(qtbot, win):
    win.step_ui.act_step_mode.trigger()
    sm = _traced(qtbot, win)
    math = win.step_ui.dock_widget.panel.math
    sm.session.set_index(2)
    assert math.title.text()
    with qtbot.waitSignal(win.model.experimentReplaced, timeout=5000):
        assert win.model.open_preset("xor")
    assert not sm.active and sm.record is None and len(sm.session) == 0
    assert math.title.text() == "" and math.filled.text() == "" and math.formula.text() == ""
    assert math.tables() == []
    assert win.step_ui.dock_widget.panel.bar.label.text() == _("step {index} / {count}").format(index=0, count=0)
    assert win.step_ui.dock_widget.hint.text().startswith("Step mode is off")
    assert not win.diagram.in_step()


def test_a_lesson_opened_in_step_mode_replaces_the_old_explanation(qtbot, win):
    win.step_ui.act_step_mode.trigger()
    sm = _traced(qtbot, win)
    old = sm.record
    win.step_ui.lesson_actions["network-2-2-1"].trigger()
    qtbot.waitUntil(lambda: sm.record is not None and sm.record is not old, timeout=8000)
    assert win.model.info.sizes == [2, 2, 1]
    assert win.step_ui.dock_widget.panel.math.title.text() == sm.session.current().title


def test_the_lesson_dock_and_its_apple_graph_switch_language(qtbot, win, chinese):
    win.step_ui.lesson_actions["apple"].trigger()
    panel = win.step_ui.lesson_panel
    qtbot.waitUntil(lambda: panel.result is not None and panel.view is not None, timeout=8000)
    view, title, text = panel.view, panel.title.text(), panel.text.text()
    assert isinstance(view, AppleGraphView)
    panel.bar.session.set_index(4)
    assert {item.text() for item in view.labels.values()} >= {"apple", "count", "tax", "price"}

    chinese("zh_CN")
    assert panel.view is view and panel.bar.session.index == 4
    assert {item.text() for item in view.labels.values()} >= {"苹果", "个数", "消费税", "支付金额"}
    assert win.step_ui.lesson_dock.windowTitle() == "课程"
    assert win.step_ui.lessons_menu.title() == "课程(&L)"
    zh = get_lesson("apple")                               # the catalog's lesson in Chinese, when there is one
    assert panel.title.text() == zh.title and panel.text.text() == zh.filled_text(panel.result["fill"])

    chinese("en")
    assert (panel.title.text(), panel.text.text()) == (title, text)
    assert "apple" in {item.text() for item in view.labels.values()}


@pytest.mark.parametrize("name, fast", [("gates", {}), ("schedules", {}), ("xor", {"epochs": 40, "every": 10}),
                                        ("torch-3-3-2-2", {})])
def test_lesson_plots_relabel_live(qtbot, chinese, name, fast):
    lesson = get_lesson(name)
    view = demo_view(lesson, run_demo(lesson, **fast))
    qtbot.addWidget(view)
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(3)] if view.table is not None else []
    plot = view.body.getPlotItem() if hasattr(view.body, "getPlotItem") else None
    english = (view.caption.text(), plot.titleLabel.text if plot else "",
               plot.getAxis("bottom").labelText if plot else "")
    chinese("zh_CN")
    if plot is not None and name != "gates":
        assert plot.getAxis("bottom").labelText == "轮次"
        assert plot.titleLabel.text != english[1]
    if english[0]:
        assert view.caption.text() != english[0]
    if headers:
        assert view.table.horizontalHeaderItem(0).text() == "参数"
    chinese("en")
    if headers:
        assert [view.table.horizontalHeaderItem(c).text() for c in range(3)] == headers
    assert (view.caption.text(), plot.titleLabel.text if plot else "",
            plot.getAxis("bottom").labelText if plot else "") == english


def test_a_session_built_from_a_source_is_rebuilt_at_the_same_index(qtbot, chinese):
    calls = []
    session = StepSession()

    def build():
        calls.append(i18n.language())
        return [i18n.language()] * 5
    session.set_source(build)
    session.set_index(3)
    chinese("zh_CN")
    assert session.index == 3 and session.current() == "zh_CN" and calls == ["en", "zh_CN"]
    session.clear()
    chinese("en")
    assert len(session) == 0 and calls == ["en", "zh_CN"]
