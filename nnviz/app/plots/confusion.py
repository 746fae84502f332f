"""The confusion matrix: a k×k heatmap of true against predicted classes."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.plots.area import TimedPlotWidget
from nnviz.app.plots.style import fmt_acc, style_plot
from nnviz.app.theme import DEEP_POSITIVE, ColourScale, theme_colors
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class ConfusionMatrixView(QWidget):
    """A k×k heatmap ``C[true, predicted]``: rows are true classes, columns predicted ones.

    Cells are coloured by the share of their row (so rare classes stay readable) and, for
    k ≤ 10, show their counts.
    """

    MAX_TEXT = 10
    #: the user clicked the cell (true, predicted) of a shown matrix
    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bg, fg = theme_colors(self)
        self._fg = fg
        self._k = 0
        self._matrix: np.ndarray | None = None
        self.plot_widget = TimedPlotWidget(background=bg)  # (the frame drawer reads its paint time)
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        style_plot(self.plot, fg, bg, grid=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        vb.invertY(True)
        vb.setAspectLocked(True)
        vb.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(hideOverlappingLabels=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(ColourScale(0.0, 1.0, [(0.0, bg), (1.0, DEEP_POSITIVE)]).table(256))
        self.image.setLevels((0.0, 1.0))
        self.plot.addItem(self.image)
        self.plot_widget.scene().sigMouseClicked.connect(self._scene_clicked)
        self.texts: list[pg.TextItem] = []
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setContentsMargins(0, 3, 0, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.plot_widget, 1)
        self.setMinimumSize(200, 200)
        self.clear()
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.plot.setLabel("left", _("true"))
        self.plot.setLabel("bottom", _("predicted"))
        self.setToolTip(_(
            "Confusion matrix of the test set: row = the true class, column = the class the "
            "network predicted. The diagonal holds the correct answers; a bright cell off the "
            "diagonal shows two classes the network mixes up. Colour = share of the row."))
        self._set_title()

    def _build_texts(self, k: int) -> None:
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        if k > self.MAX_TEXT:
            return
        font = QFont()
        font.setPointSizeF(max(6.5, font.pointSizeF() * (0.95 if k <= 6 else 0.8)))
        for i in range(k):
            for j in range(k):
                t = pg.TextItem("", anchor=(0.5, 0.5))
                t.setFont(font)
                t.setPos(j + 0.5, i + 0.5)
                self.plot.addItem(t)
                self.texts.append(t)

    def set_matrix(self, C, class_names=None) -> None:
        """Show the counts ``C[true, predicted]`` with ``class_names`` on both axes."""
        C = np.asarray(C, dtype=float)
        if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
            return
        k = C.shape[0]
        names = [str(n) for n in (class_names or [])]
        if len(names) != k:
            names = [str(i) for i in range(k)]
        if k != self._k:
            self._k = k
            self._build_texts(k)
            ticks = [(i + 0.5, n if len(n) <= 8 else n[:7] + "…") for i, n in enumerate(names)]
            if k > 20:  # too many to label every one
                ticks = ticks[::max(1, k // 10)]
            self.plot.getAxis("left").setTicks([ticks])
            fm = QFontMetrics(self.plot.getAxis("left").style.get("tickFont") or QFont())
            self.plot.getAxis("left").setWidth(
                max(fm.horizontalAdvance(t) for _, t in ticks) + fm.height() + 14)
            self.plot.getAxis("bottom").setTicks([ticks])
            self.plot.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
        self._matrix = C.copy()
        rows = C.sum(axis=1, keepdims=True)
        share = np.divide(C, rows, out=np.zeros_like(C), where=rows > 0)
        self.image.setImage(share, levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(0, 0, k, k))  # after setImage: the rect scales the pixel size
        dark, light = QColor("white"), QColor(self._fg)
        for t, c, s in zip(self.texts, C.ravel(), share.ravel()):
            t.setText(f"{int(round(c))}")
            t.setColor(dark if s > 0.55 else light)
        self._set_title()

    def _set_title(self) -> None:
        C = self._matrix
        if C is None:
            self.title.setText(_("confusion matrix: after the first epoch"))
            return
        total = C.sum()
        acc = np.trace(C) / total if total else float("nan")
        self.title.setText(_("test set: {n} samples · accuracy {accuracy}").format(
            n=int(total), accuracy=fmt_acc(acc)))

    def matrix(self) -> np.ndarray | None:
        return None if self._matrix is None else self._matrix.copy()

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        """The (true, predicted) cell under a point of the plot's scene, or None."""
        if self._matrix is None:
            return None
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        col, row = math.floor(p.x()), math.floor(p.y())
        k = self._matrix.shape[0]
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def _scene_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(ev.scenePos())
        if cell is not None:
            self.cellClicked.emit(*cell)

    def cell_texts(self) -> list[str]:
        """The numbers written in the cells, row by row."""
        return [t.toPlainText() for t in self.texts]

    def clear(self) -> None:
        self._matrix = None
        for t in self.texts:
            t.setText("")
        self.image.clear()
        self._set_title()
