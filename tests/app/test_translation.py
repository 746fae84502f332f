"""The window's live switching: registered objects are retranslated while they live, then dropped."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from nnviz.app import translation
from nnviz.app.translation import apply_language, retranslate
from nnviz.i18n import _


class Plain:   # not a QObject: only its widget can tell it is gone
    def __init__(self):
        self.label = QLabel()
        self.calls = 0
        retranslate(self)

    def retranslate_ui(self):
        self.calls += 1
        self.label.setText(_("input"))


def test_a_registered_object_follows_every_switch_and_is_dropped_when_its_widget_is_deleted(qapp):
    try:
        p = Plain()
        assert p.calls == 1 and p.label.text() == "input"
        apply_language("zh_CN")
        assert p.calls == 2 and p.label.text() == "输入层"
        before = len(translation._registered)
        shiboken6.delete(p.label)
        apply_language("en")                       # no "already deleted" error: it is dropped
        assert len(translation._registered) == before - 1 and p.calls == 3
        apply_language("zh_CN")                    # and never called again
        assert p.calls == 3
    finally:
        apply_language("en")


def test_qt_and_pyqtgraph_strings_follow_the_language(qapp):
    try:
        apply_language("zh_CN")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text() == "取消"                           # Qt's own qtbase catalog
        assert QCoreApplication.translate("ViewBox", "View All") != "View All"   # pyqtgraph's, from ours
        assert QCoreApplication.translate("SomeoneElse", "View All") == "View All"  # only its contexts
        apply_language("en")
        box2 = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box2.buttons()[0].text() == "Cancel"
    finally:
        apply_language("en")
