"""Shared window fixtures for the app tests."""
import pytest
from PySide6.QtCore import QSettings

from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow


@pytest.fixture
def open_window(qtbot, tmp_path):
    """``open_window(width, height)``: a shown main window on the default toy problem (settings
    in a temporary ini file), its first snapshot drawn; closed after the test."""
    opened = []

    def _open(width=1300, height=800):
        w = MainWindow(DEFAULT_SETTINGS.replace(epochs=100000),
                       qsettings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), restore=False)
        qtbot.addWidget(w)
        w.resize(width, height)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(lambda: w.model.last_snapshot is not None, timeout=5000)
        opened.append(w)
        return w

    yield _open
    for w in opened:
        w.close()


@pytest.fixture
def english():
    """English before and after the test, whatever it switched to (the catalog is global)."""
    from nnviz.app.translation import apply_language

    apply_language("en")
    try:
        yield
    finally:
        apply_language("en")


@pytest.fixture
def show_plots(qtbot):
    """``show_plots(width, height)``: a shown loss and accuracy plots widget, closed after the test."""
    from nnviz.app.plots.metrics import MetricsPlots

    def _show(width=600, height=500):
        w = MetricsPlots()
        qtbot.addWidget(w)
        w.resize(width, height)
        w.show()
        qtbot.waitExposed(w)
        return w

    return _show
