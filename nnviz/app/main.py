"""Start the Qt application (placeholder window until the main-window issue lands)."""
from __future__ import annotations

import os
import sys


def run_app(args=None) -> int:
    os.environ.setdefault("LANG", "C.UTF-8")
    if getattr(args, "self_test", False):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    win = QMainWindow()
    win.setWindowTitle(QApplication.translate("MainWindow", "nnviz — watch a neural network learn"))
    label = QLabel(QApplication.translate("MainWindow", "The network view is coming soon. "
                                          "Meanwhile, try `nnviz presets` in a terminal."))
    label.setMargin(24)
    win.setCentralWidget(label)
    win.resize(900, 600)
    win.show()
    if getattr(args, "self_test", False):
        QTimer.singleShot(200, app.quit)
    return app.exec()
