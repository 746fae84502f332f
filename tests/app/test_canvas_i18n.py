"""The digit canvas in both languages, its headline's precision, and its dock on a small screen."""
import numpy as np
import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QScreen

from nnviz.app.canvas import DigitPanel, MistakesBrowser
from nnviz.app.canvas.views import ProbabilityBars
from nnviz.app.translation import apply_language


@pytest.fixture
def chinese():
    """Switch to Chinese inside the test; English again afterwards, whatever happens."""
    try:
        yield lambda: apply_language("zh_CN")
    finally:
        apply_language("en")


def test_the_panel_and_the_browser_switch_language_in_place(qtbot, chinese):
    panel = DigitPanel(model=lambda imgs: np.tile(np.eye(10)[3], (len(imgs), 1)))
    browser = MistakesBrowser()
    qtbot.addWidget(panel)
    qtbot.addWidget(browser)
    clear, crop, teach = panel.clear_button, panel.steps["crop"], panel.teach.teach_button
    assert clear.text() == "Clear" and crop.text() == "Crop to the ink"
    assert panel.model_label.text() == "Model: a function"
    chinese()
    assert clear.text() == "清空" and crop.text() == "裁到笔迹" and teach.text() == "教网络"
    assert panel.model_label.text() == "模型：一个函数" and panel.sees_label.text() == "网络看到的输入"
    assert panel.teach.prompt.text() == "认错了？它是：" and panel.teach.count_label.text() == "我的数字：0"
    assert browser.status.text() == "还没有模型" and browser.show_label.text() == "显示"
    assert panel.bars.headline() == "手写数字"
    apply_language("en")
    assert panel.clear_button is clear and clear.text() == "Clear" and crop.text() == "Crop to the ink"
    assert teach.text() == "Teach the network" and panel.model_label.text() == "Model: a function"
    assert browser.status.text() == "No model yet" and panel.bars.headline() == "Draw a digit"


def test_the_headline_agrees_with_the_bars(qtbot, chinese):
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    p = np.full(10, 0.004 / 9)
    p[7] = 0.996
    bars.set_probabilities(p)
    assert bars.headline() == "99.6% sure"          # not "100% sure"
    p = np.full(10, 0.0004 / 9)
    p[7] = 0.9996
    bars.set_probabilities(p)
    assert bars.headline() == "100.0% sure"         # as the bar beside it says, "100.0%"
    bars.resize(260, 320)
    bars.grab()                                      # (paints without error)
    chinese()
    assert bars.headline() == "把握 100.0%"


def test_the_draw_a_digit_dock_needs_no_horizontal_scroll_bar_on_a_small_screen(qtbot, tmp_path, monkeypatch, chinese):
    """From a fresh start at 1366×768 (and 1280×800) with the settings, step, lesson and digit
    docks open, the dock shows the prediction and the ten bars: no horizontal scroll bar, the
    bars whole inside the visible part, in English and in Chinese."""
    from nnviz.app.window.mainwindow import MainWindow

    for lang in ("en", "zh_CN"):
        apply_language(lang)
        for size in ((1366, 768), (1280, 800)):
            avail = QRect(0, 0, *size)
            monkeypatch.setattr(QScreen, "availableGeometry", lambda self, r=avail: QRect(r))
            w = MainWindow(qsettings=QSettings(str(tmp_path / f"{lang}{size[0]}.ini"), QSettings.IniFormat),
                           restore=False)
            qtbot.addWidget(w)
            w.resize(*size)
            w.show()
            qtbot.waitExposed(w)
            ui = w.step_ui
            ui._show_dock(ui.dock, 0.42)
            ui._show_dock(ui.lesson_dock, 0.42)
            w.digits.show_canvas()
            panel = w.digits.panel
            panel.load_test_digit(0)
            qtbot.wait(100)
            scroll = w.digits._built.scroll
            bar = scroll.horizontalScrollBar()
            assert not bar.isVisible() and bar.maximum() == 0, (lang, size)
            view = scroll.viewport()
            top_left = panel.bars.mapTo(view, panel.bars.rect().topLeft())
            bottom_right = panel.bars.mapTo(view, panel.bars.rect().bottomRight())
            assert view.rect().contains(top_left) and view.rect().contains(bottom_right), (lang, size)
            assert panel.bars.height() >= 200 and panel.bars.width() >= 130
            assert panel.canvas.isVisible() and panel.canvas.width() >= 150
            w.close()


def test_the_docks_selector_actions_and_browser_switch_language(qtbot, tmp_path, chinese):
    from nnviz.app.window.mainwindow import MainWindow

    w = MainWindow(qsettings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    d = w.digits
    d.show_canvas()
    browser = d.browser          # built lazily: it takes part in switches from then on
    selector, step = d.selector, d.step_button
    chinese()
    assert d.dock.windowTitle() == "手写数字" and d.mistakes_dock.windowTitle() == "识别错误的数字"
    assert d.show_action.text() == "手写数字" and d.mistakes_action.toolTip() == "画布的模型识别错误的测试数字"
    assert [selector.itemText(i) for i in range(3)] == ["自带模型", "正在训练的网络", "打开模型文件…"]
    assert [selector.itemData(i) for i in range(3)] == ["shipped", "live", "file"]
    assert step.text() == "单步执行这个数字" and browser.show_label.text() == "显示"
    assert d.panel.model_label.text().startswith("模型：自带模型")
    assert d.panel.teach.teach_button.toolTip().startswith("“教网络”")   # (the toy network cannot be taught)
    apply_language("en")
    assert d.selector is selector and selector.itemText(0) == "Shipped model"
    assert d.dock.windowTitle() == "Draw a digit" and step.text() == "Step through this digit"
    assert d.panel.model_label.text().startswith("Model: the shipped one")
    w.close()
