"""The sample the network is looking at (an image, when the data has one) and its output bars."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.plots import style_plot
from nnviz.app.theme import CORRECT_COLOR, POSITIVE, WRONG_COLOR, qcolor, theme_colors
from nnviz.app.translation import retranslate
from nnviz.i18n import _

BAR_WIDTH = 0.7
#: Class names longer than this are cut under the bars (with "…").
MAX_TICK_CHARS = 6


def output_bars(out, n_classes: int | None) -> np.ndarray:
    """The bar heights for the network's output ``out``: one sigmoid output of two-class data
    becomes (P(class 0), P(class 1)), so both classes get a bar; anything else is shown as is."""
    out = np.asarray(out, dtype=float).reshape(-1)
    if n_classes == 2 and out.size == 1:
        return np.array([1.0 - out[0], out[0]])
    return out


def true_label(ds, snap) -> int | None:
    """The shown sample's class: its training label, else read from the target; None for
    regression."""
    if ds.n_classes is None:
        return None
    i = int(snap.sample_index)
    if 0 <= i < len(ds.y_train):
        return int(np.asarray(ds.y_train[i]).reshape(-1)[0])
    if snap.target is not None:
        t = np.ravel(snap.target)
        return int(np.argmax(t)) if t.size > 1 else int(t[0] > 0.5)
    return None


class SampleView(QWidget):
    """The shown sample as a grey image (ink black, paper white) beside one bar per output,
    the predicted class's bar blue, the true class's bar outlined green; a caption under both."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._ds = None
        self._bar_k = 0
        bg, fg = theme_colors(self)
        self._fg = fg
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(bg)
        self.image_box: pg.ViewBox = self.graphics.addViewBox(row=0, col=0, lockAspect=True,
                                                               invertY=True, enableMouse=False)
        self.image_box.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        grey = np.linspace(255, 0, 256).astype(np.uint8)  # 0 = white paper, 1 = black ink
        self.image.setLookupTable(np.column_stack([grey, grey, grey]))
        self.image_box.addItem(self.image)
        self.frame = pg.QtWidgets.QGraphicsRectItem(0, 0, 28, 28)
        self.frame.setPen(pg.mkPen(QColor(fg.red(), fg.green(), fg.blue(), 90), width=0))
        self.image_box.addItem(self.frame)

        self.bars_plot: pg.PlotItem = self.graphics.addPlot(row=0, col=1)
        style_plot(self.bars_plot, fg, bg)
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.hideButtons()
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.graphics.ci.layout.setColumnStretchFactor(0, 2)
        self.graphics.ci.layout.setColumnStretchFactor(1, 3)
        # prebuilt brushes and pens (the bars pick from them, never made per frame)
        self._bar_brush = pg.mkBrush("#9fb3c8")
        self._bar_pred_brush = pg.mkBrush(qcolor(POSITIVE))
        self._bar_pen = pg.mkPen(None)
        self._bar_true_pen = pg.mkPen(CORRECT_COLOR, width=3)
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=self._bar_brush, pen=self._bar_pen)
        self.bars_plot.addItem(self.bars)

        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.caption.font())
        font.setBold(True)
        self.caption.setFont(font)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.graphics, 1)
        v.addWidget(self.caption)
        self._last = None             # the snapshot the caption describes
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.bars_plot.setLabel("left", _("output value"))
        self.bars_plot.setLabel("bottom", _("class"))
        self.graphics.setToolTip(_(
            "Left: the sample the network is looking at. Right: the network's output for each "
            "class; the tallest (blue) bar is its answer, the green outline marks the true class."))
        # the captions' templates, translated once per switch (draw runs with every frame)
        self._captions = dict(
            regression=_("output {output} · target {target}"),
            predicted=_("sample {sample} · predicted {predicted}"),
            right=_("sample {sample} · true {true} · predicted {predicted} ✓"),
            wrong=_("sample {sample} · true {true} · predicted {predicted} ✗"))
        if self._last is not None and self._ds is not None:
            self.draw(self._last)

    # -- data -------------------------------------------------------------------------------
    def set_data(self, ds) -> None:
        """Room for ``ds``'s image (if it has one) and one bar per class (one for regression)."""
        self._ds = ds
        k = ds.n_classes if ds.n_classes else 1
        self.image.clear()
        self.image_box.setVisible(ds.image_shape is not None)
        if ds.image_shape is None:
            self.graphics.ci.layout.setColumnStretchFactor(0, 0)
        else:
            self.graphics.ci.layout.setColumnStretchFactor(0, 2)
            h, w = ds.image_shape
            self.frame.setRect(0, 0, w, h)
            self.image_box.setRange(xRange=(0, w), yRange=(0, h), padding=0.02)
        self._setup_bars(k, list(ds.class_names or []))
        self.caption.setText("")

    def _setup_bars(self, k: int, names: list[str]) -> None:
        self._bar_k = k
        x = np.arange(k, dtype=float)
        if k:
            self.bars.setOpts(x=x, height=np.zeros(k), width=BAR_WIDTH,
                              brushes=[self._bar_brush] * k, pens=[self._bar_pen] * k)
        else:  # (pyqtgraph cannot take empty pen lists)
            self.bars.setOpts(x=x, height=np.zeros(0), brushes=None, pens=None,
                              brush=self._bar_brush, pen=self._bar_pen)
        if len(names) != k:
            names = [str(i) for i in range(k)]
        short = [(i, n if len(n) <= MAX_TICK_CHARS else n[:MAX_TICK_CHARS - 1] + "…")
                 for i, n in enumerate(names)]
        self.bars_plot.getAxis("bottom").setTicks([short])
        self.bars_plot.setXRange(-0.6, k - 0.4, padding=0)
        self.bars_plot.setYRange(0, 1.0, padding=0.03)

    # -- snapshots --------------------------------------------------------------------------
    def draw(self, snap) -> None:
        """The sample ``snap.x`` (as an image) and the network's output ``snap.a[-1]``."""
        ds = self._ds
        if ds is None:
            return
        if ds.image_shape is not None and snap.x is not None:
            h, w = ds.image_shape
            x = np.asarray(snap.x, dtype=np.float32)
            if x.size == h * w:
                hi = 1.0 if float(x.max(initial=0.0)) <= 1.0 + 1e-6 else 255.0
                self.image.setImage(x.reshape(h, w), levels=(0.0, hi), autoLevels=False)
        if not snap.a:
            return
        self._last = snap
        k = ds.n_classes
        out = output_bars(snap.a[-1], k)
        names = list(ds.class_names or [])
        if out.size != self._bar_k:
            self._setup_bars(out.size, names if k == out.size else [])
        if k is not None:
            self._draw_classes(snap, out, names)
        else:
            self.bars.setOpts(height=out, brushes=[self._bar_pred_brush] * out.size,
                              pens=[self._bar_pen] * out.size)
            t = snap.target
            self.caption.setText(self._captions["regression"].format(
                output=", ".join(f"{v:.3g}" for v in out),
                target="—" if t is None else ", ".join(f"{v:.3g}" for v in np.ravel(t))))
            self.caption.setStyleSheet("")
        lo, hi = float(min(0.0, out.min(initial=0.0))), float(max(1.0, out.max(initial=0.0)))
        self.bars_plot.setYRange(lo, hi, padding=0.03)

    def _draw_classes(self, snap, out: np.ndarray, names: list[str]) -> None:
        true = true_label(self._ds, snap)
        pred = int(np.argmax(out))
        brushes = [self._bar_pred_brush if i == pred else self._bar_brush for i in range(out.size)]
        pens = [self._bar_true_pen if i == true else self._bar_pen for i in range(out.size)]
        self.bars.setOpts(height=out, brushes=brushes, pens=pens)
        name = (lambda i: names[i] if 0 <= i < len(names) else str(i))
        if true is None:
            text = self._captions["predicted"].format(sample=snap.sample_index, predicted=name(pred))
            color = self._fg
        else:
            ok = pred == true
            text = self._captions["right" if ok else "wrong"].format(
                sample=snap.sample_index, true=name(true), predicted=name(pred))
            color = CORRECT_COLOR if ok else WRONG_COLOR
        self.caption.setText(text)
        self.caption.setStyleSheet(f"color: {color.name()};")

    # -- inspection (tests, status bar) -------------------------------------------------------
    def bar_heights(self) -> np.ndarray:
        """The bars' heights, one per output (empty before the first snapshot's data)."""
        h = self.bars.opts.get("height")
        return np.asarray([] if h is None else h, dtype=float)

    def highlighted_bar(self) -> int | None:
        """The bar drawn as the network's answer, or None."""
        brushes = self.bars.opts.get("brushes") or []
        hits = [i for i, b in enumerate(brushes) if b is self._bar_pred_brush]
        return hits[0] if len(hits) == 1 else None

    def outlined_bar(self) -> int | None:
        """The bar outlined as the true class, or None."""
        pens = self.bars.opts.get("pens") or []
        hits = [i for i, p in enumerate(pens) if p is self._bar_true_pen]
        return hits[0] if len(hits) == 1 else None

    def clear(self) -> None:
        """Forget the data: no image, no bars, no caption."""
        self._ds = self._last = None
        self.image.clear()
        self._setup_bars(0, [])
        self.caption.setText("")
