"""The gradient check dialog: backprop against central differences, one row per parameter."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from nnviz.app.translation import retranslate
from nnviz.i18n import _, message
from nnviz.lessons.fmt import num

#: Relative error → colour: agreement to many digits is green, a likely bug red.
BANDS = ((1e-7, QColor(198, 239, 206)), (1e-4, QColor(255, 235, 156)), (float("inf"), QColor(255, 199, 206)))


def error_colour(rel: float) -> QColor:
    for limit, colour in BANDS:
        if rel < limit:
            return colour
    return BANDS[-1][1]


class GradCheckDialog(QDialog):
    """Fills itself when ``step_mode.gradientsReady`` brings the rows (computed off the UI thread)."""

    def __init__(self, step_mode, parent=None):
        super().__init__(parent)
        self.rows = None
        self.error = None
        lay = QVBoxLayout(self)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.resize(640, 480)
        step_mode.gradientsReady.connect(self.show_rows)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Gradient check"))
        self.table.setHorizontalHeaderLabels([_("parameter"), _("backprop"), _("central difference"),
                                              _("relative error")])
        self._caption()

    def _caption(self) -> None:
        if self.error is not None:
            self.caption.setText(_("The gradient check failed: {error}").format(error=message(self.error)))
        elif self.rows is None:
            self.caption.setText(_("Computing backprop and central differences on a copy of the network…"))
        else:
            worst = max((r.rel_error for r in self.rows), default=0.0)
            self.caption.setText(_("{n} parameters checked on the shown sample; largest relative error "
                                   "{worst} (green < 1e-7, yellow < 1e-4, red: look closer).").format(
                                       n=len(self.rows), worst=f"{worst:.2e}"))

    def show_rows(self, rows) -> None:
        if isinstance(rows, Exception):
            self.error = rows
            self._caption()
            return
        self.rows, self.error = rows, None
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r.name, num(r.backprop, 6), num(r.numeric, 6), f"{r.rel_error:.2e}"]
            tips = ["", repr(r.backprop), repr(r.numeric), repr(r.rel_error)]
            for k, (text, tip) in enumerate(zip(cells, tips)):
                it = QTableWidgetItem(text)
                it.setToolTip(tip)
                if k:
                    it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if k == 3:
                    it.setBackground(QBrush(error_colour(r.rel_error)))
                self.table.setItem(i, k, it)
        self._caption()
