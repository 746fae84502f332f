"""The diagram, the plots and the output view in Chinese and back in English, on the same
objects; the legend per step phase; pyqtgraph's menus through nnviz's catalog."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from nnviz import i18n
from nnviz.app.diagram import NetworkDiagram
from nnviz.app.diagram.stepdisplay import diagram_caption, step_tooltip
from nnviz.app.output import OutputView
from nnviz.app.plots import ConfusionMatrixView, MetricsPlots
from nnviz.app.stepthrough import StepSession
from nnviz.app.translation import apply_language
from nnviz.i18n.names import layer_title
from nnviz.lessons.catalog import get_lesson
from nnviz.lessons.demos import run_demo

from test_diagram import ACTS, SIZES, make_snapshot  # the same network and snapshots


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def zh(qtbot):
    """Chinese during the test, English again afterwards whatever happens."""
    if "zh_CN" not in i18n.available_languages():
        pytest.skip("no compiled Chinese catalog")
    try:
        yield lambda lang: apply_language(lang, QApplication.instance())
    finally:
        apply_language("en", QApplication.instance())


@pytest.fixture
def diagram(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1000, 700)
    d.set_network(SIZES, ACTS, input_names=["x1", "x2"], output_names=["blue"])
    d.show()
    qtbot.waitExposed(d)
    return d


def captions(d):
    return [t.toPlainText() for t in d.scene.captions]


def legend_texts(legend):
    return [a[1] for chunk in legend._chunks() for a in chunk if a[0] == "text"]


# -- layer names ----------------------------------------------------------------------------------
def test_layer_names_are_names_layer_title(diagram, zh):
    n = len(SIZES) - 1
    for lang in ("en", "zh_CN", "en"):
        zh(lang)
        want = [layer_title(layer, n) for layer in range(-1, n)]
        assert diagram.texts.names == want
        assert [c.splitlines()[0] for c in captions(diagram)] == want
    assert want == ["input", "hidden 1", "hidden 2", "output"]


def test_names_given_as_the_default_follow_the_language(qtbot, zh):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.set_network([3, 5, 2], ["relu", "softmax"], names=["input", "hidden 1", "output"])
    zh("zh_CN")
    assert d.texts.layer_name(0) == layer_title(0, 2)
    d.set_network([3, 5, 2], ["relu", "softmax"], names=["in", "mid", "out"])   # the caller's own
    assert d.texts.layer_name(0) == "mid"


# -- the diagram, live ----------------------------------------------------------------------------
def test_diagram_in_chinese_and_back(diagram, zh, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=6))
    en_caps, en_legend = captions(diagram), legend_texts(diagram.legend)
    en_tip, en_edit = diagram.legend.toolTip(), diagram.editor.spin.toolTip()
    diagram._hover_key = ("w", 1, 0, 2)
    diagram.retranslate_ui()
    en_hover = diagram.hover_text
    assert en_hover.startswith("Weight from hidden 1 · neuron 1 to hidden 2 · neuron 3")
    editor = diagram.request_edit("b", 0, (1,))
    en_title = editor.label.text()

    zh("zh_CN")
    caps = captions(diagram)
    assert caps != en_caps and all(has_cjk(c) for c in caps)
    assert caps[1].splitlines()[1] == "4 · tanh"            # counts and activation names stay
    assert has_cjk(" ".join(legend_texts(diagram.legend))) and "weight w:" not in legend_texts(diagram.legend)
    assert has_cjk(diagram.legend.toolTip()) and has_cjk(diagram.editor.spin.toolTip())
    assert has_cjk(diagram.hover_text) and "W[0, 2]" in diagram.hover_text
    assert has_cjk(editor.label.text())
    assert has_cjk(diagram.texts.describe(("bias", 0), None))
    assert all(has_cjk(diagram.scene.captions[i].toolTip()) for i in range(len(SIZES)))

    zh("en")
    assert captions(diagram) == en_caps and legend_texts(diagram.legend) == en_legend
    assert diagram.legend.toolTip() == en_tip and diagram.editor.spin.toolTip() == en_edit
    assert diagram.hover_text == en_hover and editor.label.text() == en_title


def test_chinese_captions_fit_the_view(diagram, zh, qtbot):
    zh("zh_CN")
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=6))
    for w, h in ((520, 360), (1000, 700)):
        diagram.resize(w, h)
        qtbot.waitUntil(lambda: abs(diagram.view.width() - w) < 2)
        diagram.fit()
        vp = diagram.view.viewport().rect().adjusted(-1, -1, 1, 1)
        for t in diagram.scene.captions + diagram.scene.names:
            assert vp.contains(diagram.item_view_rect(t).toRect()), (w, h, t.toPlainText())


# -- the legend per step phase --------------------------------------------------------------------
@pytest.fixture
def stepped(qtbot):
    rec = run_demo(get_lesson("network-2-2-1"))["record"]
    session = StepSession()
    session.set_record(rec, select=(1, 0))
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(700, 500)
    d.set_network([2, 2, 1], ["sigmoid", "sigmoid"])
    d.update_snapshot(make_snapshot([2, 2, 1]))

    def show(phase):
        k = next(i for i, p in enumerate(session.steps) if p.phase == phase)
        session.set_index(k)
        state = session.display()
        state["W_before"] = [s.params["W"] for s in rec.layers]
        state["b_before"] = [s.params["b"] for s in rec.layers]
        d.show_step(state)
        return state
    return d, show


def test_the_legend_names_what_each_phase_shows(stepped, zh):
    d, show = stepped
    live = " ".join(legend_texts(d.legend))
    assert "weight w:" in live and "activation a (sigmoid):" in live
    show("forward")
    assert "weight w:" in legend_texts(d.legend)
    show("backward")
    texts = " ".join(legend_texts(d.legend))
    assert "∂L/∂w" in texts and "δ = ∂L/∂z" in texts and "weight w" not in texts and "activation a" not in texts
    assert "∂L/∂b" in texts and "|∂L/∂w|" in texts
    assert "∂L/∂w" in d.legend.toolTip()
    state = show("update")
    texts = " ".join(legend_texts(d.legend))
    assert "w′ − w" in texts and "b′ − b" in texts and "∂L/∂w:" not in texts and "weight w" not in texts
    zh("zh_CN")                       # the phase's legend in Chinese, the symbols kept
    texts = " ".join(legend_texts(d.legend))
    assert has_cjk(texts) and "w′ − w" in texts
    tip = step_tooltip(("w", 1, 0, 0), state, d._step_old)
    assert has_cjk(tip) and layer_title(1, 2) in tip
    assert has_cjk(diagram_caption("backward"))
    zh("en")
    d.end_step()
    assert " ".join(legend_texts(d.legend)) == live


def test_step_tooltips_name_layers_as_the_diagram(stepped):
    d, show = stepped
    state = show("backward")
    assert step_tooltip(("n", 0, 1), state, d._step_old).startswith("hidden 1, neuron 1")
    assert step_tooltip(("w", 1, 0, 0), state, d._step_old).startswith("W[0,0] of output")
    assert step_tooltip(("b", 1, 0), state, d._step_old).startswith("b[0] of output = ")


# -- plots and the output view --------------------------------------------------------------------
def axis_label(plot, side):
    return plot.getAxis(side).labelText


def test_metrics_plots_in_chinese_and_back(qtbot, zh):
    w = MetricsPlots()
    qtbot.addWidget(w)
    w.add_loss_points([(1, 0.9), (2, 0.8)])
    w.add_epochs([dict(epoch=1, train_loss=0.9, train_acc=0.5, test_loss=1.0, test_acc=0.4)])
    en = (w.log_check.text(), axis_label(w.loss_plot, "left"), axis_label(w.acc_plot, "bottom"),
          [lab.text for _, lab in w.loss_legend.items], w.readout.text())
    assert en[3] == ["train (per batch)", "train", "test"]
    zh("zh_CN")
    assert has_cjk(w.log_check.text()) and has_cjk(w.log_check.toolTip())
    assert has_cjk(axis_label(w.loss_plot, "left")) and has_cjk(axis_label(w.acc_plot, "bottom"))
    assert all(has_cjk(lab.text) for _, lab in w.loss_legend.items + w.acc_legend.items)
    assert has_cjk(w.readout.text())
    w.show_nearest(1.0)
    assert has_cjk(w.readout.text())
    zh("en")
    w._hover_index = None
    w.retranslate_ui()
    assert (w.log_check.text(), axis_label(w.loss_plot, "left"), axis_label(w.acc_plot, "bottom"),
            [lab.text for _, lab in w.loss_legend.items], w.readout.text()) == en


def test_confusion_and_output_in_chinese_and_back(qtbot, zh):
    c = ConfusionMatrixView()
    o = OutputView()
    for x in (c, o):
        qtbot.addWidget(x)
    en = (c.title.text(), axis_label(c.plot, "left"), o.empty_label.text(),
          o.sample_view.bars_plot.getAxis("bottom").labelText, o.plane_view.show_test_check.text())
    zh("zh_CN")
    assert has_cjk(c.title.text()) and has_cjk(axis_label(c.plot, "left")) and has_cjk(c.toolTip())
    c.set_matrix(np.array([[3, 1], [0, 4]]), ["a", "b"])
    assert has_cjk(c.title.text()) and "8" in c.title.text()
    assert has_cjk(o.empty_label.text()) and has_cjk(o.plane_view.show_test_check.text())
    assert has_cjk(o.sample_view.bars_plot.getAxis("left").labelText)
    c.clear()
    zh("en")
    assert (c.title.text(), axis_label(c.plot, "left"), o.empty_label.text(),
            o.sample_view.bars_plot.getAxis("bottom").labelText, o.plane_view.show_test_check.text()) == en


# -- pyqtgraph's own menus ------------------------------------------------------------------------
def menu_texts(plot):
    vb_menu = plot.getViewBox().menu
    texts = [a.text() for a in vb_menu.actions()]
    texts += [a.text() for a in plot.ctrlMenu.actions()]
    ui = vb_menu.ctrl[0]
    texts += [ui.autoRadio.text(), ui.manualRadio.text(), ui.invertCheck.text(), ui.label.text()]
    texts += [plot.ctrl.logYCheck.text(), plot.ctrl.xGridCheck.text()]
    texts += [plot.scene().contextMenu[0].text()] if plot.scene() is not None else []
    return texts


def test_a_menu_built_after_the_switch_is_chinese(qtbot, zh):
    zh("zh_CN")
    w = pg.PlotWidget()
    qtbot.addWidget(w)
    texts = menu_texts(w.getPlotItem())
    assert "显示全部" in texts and "X 轴" in texts and "绘图选项" not in texts   # (the title is not an action)
    assert w.getPlotItem().ctrlMenu.title() == "绘图选项"
    assert "自动" in texts and "手动" in texts and "Y 取对数" in texts and "导出…" in texts
    assert not {"View All", "Auto", "Manual", "Log Y", "Export..."} & set(texts)


def test_menus_built_before_a_switch_follow_it(qtbot, zh):
    w = MetricsPlots()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    en = menu_texts(w.loss_plot)
    assert "View All" in en and "Transforms" in en and "Export..." in en
    zh("zh_CN")
    texts = menu_texts(w.loss_plot)
    assert "显示全部" in texts and "变换" in texts and "导出…" in texts and "X 轴" in texts
    assert not {"View All", "Transforms", "Auto", "Export..."} & set(texts)
    assert "显示全部" in menu_texts(w.acc_plot)
    w.loss_plot.setContextMenuActionVisible("Grid", False)     # pyqtgraph finds it by its translation
    assert not next(a for a in w.loss_plot.ctrlMenu.actions() if a.text() == "网格").isVisible()
    zh("en")
    assert menu_texts(w.loss_plot) == en
