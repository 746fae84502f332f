"""The window's small dialogs: confirm, download, errors, the loading progress, About."""
from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressDialog, QWidget

from nnviz import __version__


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def no_dialogs() -> bool:
    """The self-test and benchmarks run without modal dialogs."""
    return bool(os.environ.get("NNVIZ_NO_DIALOGS"))


def confirm_discard(parent: QWidget) -> bool:
    """Ask before a trained network is thrown away; True to go on."""
    box = QMessageBox(QMessageBox.Question, _tr("Start a new network?"),
                      _tr("This change needs a new network. The trained weights will be lost "
                          "(save them first with File → Save model)."),
                      QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Discard


def ask_download(parent: QWidget, name: str, folder: str) -> bool:
    if no_dialogs():
        return False
    box = QMessageBox(QMessageBox.Question, _tr("Download {0}?").format(name),
                      _tr("{0} is not on this computer yet. nnviz can download it (checked with "
                          "SHA-256) into\n{1}\n\nOr put the files there yourself, or set "
                          "NNVIZ_DATA_DIR to a folder that holds them.").format(name, folder),
                      QMessageBox.Yes | QMessageBox.Cancel, parent)
    box.button(QMessageBox.Yes).setText(_tr("Download"))
    return box.exec() == QMessageBox.Yes


def show_error(parent, title: str, message: str) -> None:
    """A warning dialog (or, without dialogs, the status bar and ``parent.last_error``)."""
    if no_dialogs():
        parent.statusBar().showMessage(f"{title}: {message}", 15000)
        parent.last_error = (title, message)
        return
    QMessageBox.warning(parent, title, message)


def ask_label_column(parent: QWidget, path: str) -> tuple[bool, str | None]:
    """Which column of a CSV file holds the labels: ``(ok, label)``, ``label`` None to let nnviz
    guess (the last column, or the first when it looks like labels), else a 1-based number as
    text (what ``--label-column`` takes)."""
    from nnviz.core.errors import NNVizError
    from nnviz.data.csvdata import first_row

    if no_dialogs():
        return True, None
    try:
        first = first_row(path)
    except NNVizError:
        return True, None  # loading it says what is wrong
    guess = _tr("Let nnviz decide (the last column, or the first when it looks like labels)")
    items = [guess] + [_tr("column {0}: {1}").format(i + 1, cell[:40] or "—") for i, cell in enumerate(first)]
    choice, ok = QInputDialog.getItem(parent, _tr("Label column"),
                                      _tr("Which column holds the labels (the answers to learn)?\n"
                                          "The first row of the file:"), items, 0, False)
    if not ok:
        return False, None
    i = items.index(choice)
    return True, (None if i == 0 else str(i))


def ask_max_edges(parent: QWidget, current: int) -> int | None:
    n, ok = QInputDialog.getInt(parent, _tr("Edges drawn per layer"),
                                _tr("Draw at most this many of the strongest connections per layer\n"
                                    "(more is slower to draw):"), int(current), 10, 100000, 100)
    return int(n) if ok else None


def about(parent: QWidget) -> None:
    QMessageBox.about(parent, _tr("About nnviz"),
                      _tr("<b>nnviz {0}</b><br>Watch a neural network learn: every weight, "
                          "activation and gradient on screen, computed by a small exact NumPy "
                          "engine.").format(__version__))


class LoadProgress:
    """The progress dialog of one background load (cancel asks the model to stop)."""

    def __init__(self, parent: QWidget, text: str, on_cancel):
        dlg = QProgressDialog(text, _tr("Cancel"), 0, 0, parent)
        dlg.setWindowTitle(_tr("Dataset"))
        dlg.setWindowModality(Qt.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setMinimumWidth(380)
        dlg.canceled.connect(on_cancel)
        self.dialog = dlg

    def update(self, done, total, name) -> None:
        if total:
            self.dialog.setMaximum(1000)
            self.dialog.setValue(int(1000 * min(1.0, done / total)))
            self.dialog.setLabelText(_tr("Downloading {0}: {1:.1f} of {2:.1f} MB").format(
                name, done / 1e6, total / 1e6))

    def close(self) -> None:
        self.dialog.canceled.disconnect()
        self.dialog.reset()
        self.dialog.deleteLater()
