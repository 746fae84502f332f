"""With Chinese loaded, every dock and dialog shows Chinese: the widget tree is walked in each
state a learner reaches (issue 17), and switching mid-training retranslates every open dock."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.app.translation import apply_language

from tests.app.i18n_walk import untranslated_places

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    apply_language("zh_CN")
    try:
        yield
    finally:
        apply_language("en")


def _offenders(extra: list[QWidget] = ()) -> list:
    found = []
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            found += [(type(top).__name__, w, t) for w, t in untranslated_places(top)]
    return found


def _check(label):
    bad = _offenders()
    assert not bad, f"{label}: English left with Chinese loaded ({len(bad)}):\n" + "\n".join(
        f"  {top} {w}: {t!r}" for top, w, t in bad[:40])


def test_every_dock_and_dialog_is_chinese(open_window, chinese, qtbot):
    win = open_window(1366, 768)
    win.model.confirm_discard = lambda: True
    win.model.play()
    qtbot.waitUntil(lambda: win.model.global_step > 5, timeout=10000)
    win.model.pause()
    qtbot.wait(200)
    _check("main window")

    from nnviz.lessons.catalog import get_lesson
    win.step_ui.open_lesson(get_lesson("network-2-2-1"))
    qtbot.waitUntil(lambda: win.step_ui.step_mode.session is not None and len(win.step_ui.step_mode.session) > 0,
                    timeout=10000)
    qtbot.wait(300)
    for _ in range(4):   # forward, loss, backward: each phase's panel and legend
        win.step_ui.step_mode.session.next()
        qtbot.wait(50)
        _check(f"step mode, phase {win.step_ui.step_mode.session.index}")

    for name in ("gates", "schedules", "optimizers", "init", "apple"):
        win.step_ui.open_lesson(get_lesson(name))
        qtbot.wait(700)
        _check(f"lesson {name}")

    dlg = win.step_ui.open_gradcheck()
    qtbot.wait(500)
    _check("gradient check")
    dlg.close()

    win.digits.show_canvas()
    qtbot.wait(300)
    _check("Draw a digit")
    win.digits.show_mistakes()
    qtbot.wait(1500)
    _check("mistakes browser")

    welcome = win.show_welcome()
    qtbot.wait(100)
    _check("welcome")
    welcome.close()


def test_the_csv_dialog_and_the_weight_editor_are_chinese(open_window, chinese, qtbot, tmp_path):
    from nnviz.app.window.csvdialog import CsvDialog

    encodings = {"utf-8", "utf-8-sig", "utf-16", "gbk", "latin-1", "cp1252", "gb18030", "utf-16-le", "utf-16-be"}
    for name, codec in (("d.csv", "utf-8"), ("bom.csv", "utf-16"), ("nobom.csv", "utf-16-le")):
        path = tmp_path / name
        path.write_bytes("x1;x2;y1\n1;2;3\n3;4;5\n".encode(codec))
        dlg = CsvDialog(None, str(path))
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.wait(50)
        bad = [(w, t) for w, t in untranslated_places(dlg) if t.lower() not in encodings]  # encodings' names
        assert not bad, (name, bad)


def test_switching_mid_training_retranslates_every_open_dock(open_window, qtbot):
    win = open_window(1366, 768)
    win.model.confirm_discard = lambda: True
    win.digits.show_canvas()
    from nnviz.lessons.catalog import get_lesson
    win.step_ui.open_lesson(get_lesson("schedules"))
    qtbot.wait(500)
    win.step_ui.step_mode.leave()
    win.model.play()
    qtbot.waitUntil(lambda: win.model.state == "running", timeout=5000)
    docks = [d for d in (win.controls_dock, win.plots_dock, win.output_dock, win.confusion_dock,
                         win.step_ui.lesson_dock, win.digits.dock) if d.isVisible()]
    titles_en = [d.windowTitle() for d in docks]
    try:
        step = win.model.global_step
        apply_language("zh_CN")
        assert win.model.state == "running"
        qtbot.waitUntil(lambda: win.model.global_step > step + 5, timeout=10000)   # it trains on
        assert all(CJK.search(d.windowTitle()) for d in docks), [d.windowTitle() for d in docks]
        bad = [(w, t) for d in docks for w, t in untranslated_places(d)]
        assert not bad, bad[:20]
    finally:
        apply_language("en")
    assert [d.windowTitle() for d in docks] == titles_en
    win.model.pause()
