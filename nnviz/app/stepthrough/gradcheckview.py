"""The gradient check dialog: backprop against central differences, one row per parameter."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

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
        self.setWindowTitle(self.tr("Gradient check"))
        self.rows = None
        lay = QVBoxLayout(self)
        self.caption = QLabel(self.tr("Computing backprop and central differences on a copy of the network…"))
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("parameter"), self.tr("backprop"),
                                              self.tr("central difference"), self.tr("relative error")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.resize(640, 480)
        step_mode.gradientsReady.connect(self.show_rows)

    def show_rows(self, rows) -> None:
        if isinstance(rows, Exception):
            self.caption.setText(self.tr("The gradient check failed: {0}").format(rows))
            return
        self.rows = rows
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
        worst = max((r.rel_error for r in rows), default=0.0)
        self.caption.setText(self.tr("{0} parameters checked on the shown sample; largest relative error "
                                     "{1:.2e} (green < 1e-7, yellow < 1e-4, red: look closer).").format(
                                         len(rows), worst))
