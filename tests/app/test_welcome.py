"""The first-run welcome: shown once, reopened from Help, three ways in, in the chosen language."""
import re

import pytest
from PySide6.QtCore import QSettings

from nnviz import i18n
from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow
from nnviz.app.translation import apply_language

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_NO_DIALOGS", raising=False)
    opened = []

    def _make(restore=True, name="w.ini"):
        w = MainWindow(DEFAULT_SETTINGS, qsettings=QSettings(str(tmp_path / name), QSettings.IniFormat),
                       restore=restore)
        qtbot.addWidget(w)
        w.resize(1300, 800)
        w.show()
        qtbot.waitExposed(w)
        qtbot.wait(30)  # the welcome waits for the event loop
        opened.append(w)
        return w

    yield _make
    for w in opened:
        if w.welcome is not None:
            w.welcome.close()
        w.close()
    apply_language("en")


def test_shown_once_on_the_first_start_then_from_help(make_window):
    w = make_window()
    assert w.welcome is not None and w.welcome.isVisible()
    assert w.qs.value("ui/welcomed", False, type=bool)
    w.welcome.close()
    w.close()
    again = make_window()                         # the same settings: not again
    assert again.welcome is None
    again.act_welcome.trigger()                   # Help → Welcome
    assert again.welcome.isVisible()
    assert again.act_welcome in again.help_menu.actions()


def test_not_shown_in_tests_or_without_dialogs(make_window, monkeypatch):
    assert make_window(restore=False, name="a.ini").welcome is None
    monkeypatch.setenv("NNVIZ_NO_DIALOGS", "1")
    assert make_window(name="b.ini").welcome is None


def test_the_three_ways_in(make_window, qtbot):
    w = make_window(restore=False)
    dlg = w.show_welcome()
    dlg.draw_button.click()
    assert not dlg.isVisible() and w.digits.dock.isVisible()
    w.show_welcome().play_button.click()
    qtbot.waitUntil(lambda: w.model.state == "running", timeout=5000)
    w.model.pause()
    qtbot.waitUntil(lambda: w.model.state == "paused", timeout=5000)
    w.model.confirm_discard = lambda: True
    w.show_welcome().lesson_button.click()
    assert w.step_ui.lesson_dock.isVisible()
    assert w.step_ui.lesson_panel.lesson.name == "network-2-2-1"


@pytest.mark.skipif("zh_CN" not in i18n.available_languages(), reason="no zh_CN catalog")
def test_the_welcome_follows_the_language_live(make_window):
    w = make_window(restore=False)
    dlg = w.show_welcome()
    assert dlg.windowTitle() == "Welcome to nnviz" and dlg.play_button.text() == "Play on a toy problem"
    apply_language("zh_CN")
    for text in (dlg.windowTitle(), dlg.heading.text(), dlg.intro.text(), dlg.lesson_button.text(),
                 dlg.play_button.text(), dlg.draw_button.text(), dlg.draw_text.text()):
        assert CJK.search(text), text
    apply_language("en")
    assert dlg.play_button.text() == "Play on a toy problem"
