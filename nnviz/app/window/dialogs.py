"""The window's small dialogs: confirm, download, errors, the CSV options, the loading
progress, About."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressDialog, QWidget

from nnviz import __version__
from nnviz.app.translation import retranslate
from nnviz.i18n import _, message


def no_dialogs() -> bool:
    """The self-test and benchmarks run without modal dialogs."""
    return bool(os.environ.get("NNVIZ_NO_DIALOGS"))


def confirm_discard(parent: QWidget) -> bool:
    """Ask before a trained network is thrown away; True to go on."""
    box = QMessageBox(QMessageBox.Question, _("Start a new network?"),
                      _("This change needs a new network. The trained weights will be lost "
                        "(save them first with File → Save model)."),
                      QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Discard


def ask_download(parent: QWidget, name: str, folder: str) -> bool:
    if no_dialogs():
        return False
    box = QMessageBox(QMessageBox.Question, _("Download {name}?").format(name=name),
                      _("{name} is not on this computer yet. nnviz can download it (checked with "
                        "SHA-256) into\n{folder}\n\nOr put the files there yourself, or set "
                        "NNVIZ_DATA_DIR to a folder that holds them.").format(name=name,
                                                                              folder=folder),
                      QMessageBox.Yes | QMessageBox.Cancel, parent)
    box.button(QMessageBox.Yes).setText(_("Download"))
    return box.exec() == QMessageBox.Yes


def show_error(parent, title: str, text: str) -> None:
    """A warning dialog (or, without dialogs, the status bar and ``parent.last_error``)."""
    if no_dialogs():
        parent.statusBar().showMessage(_("{title}: {message}").format(title=title, message=text),
                                       15000)
        parent.last_error = (title, text)
        return
    QMessageBox.warning(parent, title, text)


def show_exception(parent, title: str, exc: BaseException) -> None:
    """:func:`show_error` with an error's message in the current language
    (:func:`nnviz.i18n.message`: an NNVizError's template is translated, then filled in)."""
    show_error(parent, title, message(exc))


def ask_label_column(parent: QWidget, path: str) -> tuple[bool, str | None]:
    """Which column of a CSV file holds the labels: ``(ok, label)``, ``label`` None to let nnviz
    guess, else a 1-based number as text (what ``--label-column`` takes). See
    :func:`ask_csv_options` for the encoding and the delimiter too."""
    ok, options = ask_csv_options(parent, path)
    return ok, (options or {}).get("label")


def ask_csv_options(parent: QWidget, path: str) -> tuple[bool, dict]:
    """The CSV dialog: the label column, the encoding and the delimiter (each "auto" by
    default). Returns ``(ok, options)``; ``options`` holds only what was chosen, as
    :func:`nnviz.data.load_dataset` takes it (``label``, ``encoding``, ``delimiter``)."""
    if no_dialogs():
        return True, {}
    from nnviz.app.window.csvdialog import CsvDialog

    dlg = CsvDialog(parent, path)
    if not dlg.exec():
        return False, {}
    return True, dlg.options()


def ask_max_edges(parent: QWidget, current: int) -> int | None:
    n, ok = QInputDialog.getInt(parent, _("Edges drawn per layer"),
                                _("Draw at most this many of the strongest connections per layer\n"
                                  "(more is slower to draw):"), int(current), 10, 100000, 100)
    return int(n) if ok else None


def about(parent: QWidget) -> None:
    QMessageBox.about(parent, _("About nnviz"),
                      _("<b>nnviz {version}</b><br>Watch a neural network learn: every weight, "
                        "activation and gradient on screen, computed by a small exact NumPy "
                        "engine.").format(version=__version__))


class LoadProgress:
    """The progress dialog of one background load (cancel asks the model to stop)."""

    def __init__(self, parent: QWidget, text: str, on_cancel):
        dlg = QProgressDialog(text, _("Cancel"), 0, 0, parent)
        dlg.setWindowModality(Qt.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setMinimumWidth(380)
        dlg.canceled.connect(on_cancel)
        self.dialog = dlg
        self._progress = None
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.dialog.setWindowTitle(_("Dataset"))
        self.dialog.setCancelButtonText(_("Cancel"))
        if self._progress is not None:
            self.update(*self._progress)

    def update(self, done, total, name) -> None:
        if total:
            self._progress = (done, total, name)
            self.dialog.setMaximum(1000)
            self.dialog.setValue(int(1000 * min(1.0, done / total)))
            self.dialog.setLabelText(_("Downloading {name}: {done} of {total} MB").format(
                name=name, done=f"{done / 1e6:.1f}", total=f"{total / 1e6:.1f}"))

    def close(self) -> None:
        self.dialog.canceled.disconnect()
        self.dialog.reset()
        self.dialog.deleteLater()
