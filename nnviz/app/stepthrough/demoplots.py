"""Small plots of what a lesson's demo computed (``nnviz.lessons.demos.run_demo``), one per demo kind.

``demo_view(lesson, result)`` → a widget for the lesson's dock, or ``None`` when the lesson has no
plot here (the step-through, the apple graph and the optimizer race have views of their own).
Every builder reads the demo dict exactly as the demo module returns it. Its texts (titles, axes,
legends, the caption) are written by functions the view runs again after a language switch.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from nnviz.app.plots.style import style_plot
from nnviz.app.theme import TEST_COLOR, TRAIN_COLOR, class_color
from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _
from nnviz.i18n.names import title as display_name

#: Demo kinds shown elsewhere: the step-through panel (step, mnist), AppleGraphView, RaceView.
NO_PLOT = ("step", "mnist", "apple", "race")
FG, BG = QColor(40, 40, 40), QColor("white")
#: One colour per curve where curves are not classes (schedules, initialisers).
SERIES = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"]


def _pen(colour, width: float = 2.0, dash: bool = False):
    pen = pg.mkPen(colour, width=width)
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _plot(layout: pg.GraphicsLayoutWidget | None, row=None, col=None):
    """A styled PlotItem on ``layout`` (or a fresh PlotWidget's); :func:`_label` writes its texts."""
    if layout is None:
        widget = pg.PlotWidget(background=BG)
        item = widget.getPlotItem()
    else:
        widget, item = layout, layout.addPlot(row=row, col=col)
    style_plot(item, FG, BG)
    item.setMenuEnabled(False)
    for side in ("left", "bottom"):  # "(x0.001)" beside plain learning rates and losses only confuses
        item.getAxis(side).enableAutoSIPrefix(False)
    return widget, item


def _label(item: pg.PlotItem, title: str, bottom: str, left: str) -> None:
    item.setTitle(title, color=FG.name(), size="9pt")
    item.setLabel("bottom", bottom, color=FG.name())
    item.setLabel("left", left, color=FG.name())


def _legend(item: pg.PlotItem, offset=(-5, 5)):
    return item.addLegend(offset=offset, labelTextColor=FG, brush=pg.mkBrush(255, 255, 255, 220),
                          labelTextSize="8pt", verSpacing=-6)


def _rename(legend: pg.LegendItem, curve, text: str) -> None:
    """The legend's entry of ``curve`` reads ``text`` now."""
    label = legend.getLabel(curve)
    if label is not None:
        label.setText(text)
        legend.updateSize()


class DemoPlot(QWidget):
    """A plot (or table) over a caption; ``curves`` / ``lines`` / ``table`` hold what it draws.

    ``caption`` is a function giving the caption's text (or a fixed text); every function given to
    :meth:`on_language` writes texts, now and after each language switch (:meth:`retranslate_ui`)."""

    def __init__(self, body: QWidget, caption=None, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.body = body
        lay.addWidget(body, 1)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self._caption = caption
        lay.addWidget(self.caption)
        self._writers: list = []
        self.curves: dict = {}
        self.lines: dict = {}
        self.table: QTableWidget | None = None

    def on_language(self, write) -> None:
        self._writers.append(write)

    def ready(self) -> "DemoPlot":
        """Write every text now and after each language switch; returns the view."""
        retranslate(self)
        return self

    def retranslate_ui(self) -> None:
        for write in self._writers:
            write()
        text = self._caption() if callable(self._caption) else (self._caption or "")
        self.caption.setText(text)
        self.caption.setVisible(bool(text))


def _square(item: pg.PlotItem, corners: np.ndarray, outputs: np.ndarray, lo=0.0, hi=1.0):
    """The input points coloured by the output (class 0 / class 1 colours) on a fixed square."""
    item.setXRange(lo - 0.15, hi + 0.15, padding=0)
    item.setYRange(lo - 0.15, hi + 0.15, padding=0)
    item.plot([lo, hi, hi, lo, lo], [lo, lo, hi, hi, lo], pen=_pen((180, 180, 180), 1))
    brushes = [pg.mkBrush(class_color(int(o))) for o in outputs]
    item.addItem(pg.ScatterPlotItem(corners[:, 0], corners[:, 1], size=13, brush=brushes, pen=pg.mkPen(FG)))


def gates_view(result: dict, parent=None) -> DemoPlot:
    """2×2 small multiple: AND, NAND, OR with their lines; XOR with the NAND and OR lines."""
    layout = pg.GraphicsLayoutWidget()
    layout.setBackground(BG)
    view = DemoPlot(layout, lambda: _(
        "XOR: no single line separates it (the best line gets {right} of 4 right); the NAND and OR lines "
        "together do: XOR = AND(NAND, OR).").format(right=result["best_single_line"]), parent)
    corners, table, segs = result["corners"], result["table"], result["lines_on_square"]
    colours = {"and": class_color(2), "nand": class_color(3), "or": class_color(4)}
    # the gates' names and formulas stay as they are in every language
    panels = [("and", "AND", ["and"]), ("nand", "NAND", ["nand"]), ("or", "OR", ["or"]),
              ("xor", "XOR = AND(NAND, OR)", ["nand", "or"])]
    for k, (gate, title, drawn) in enumerate(panels):
        _w, item = _plot(layout, row=k // 2, col=k % 2)
        _label(item, title, "x₁", "x₂")
        _square(item, corners, table[gate])
        for g in drawn:
            (xa, ya), (xb, yb) = segs[g]
            line = item.plot([xa, xb], [ya, yb], pen=_pen(colours[g], 2.5, dash=gate == "xor" and g == "or"))
            view.lines[(gate, g)] = line
    return view.ready()


def _deep_boundary(sizes, seed: int, threshold: float, n: int = 81):
    """The identity network's own level set net(x) = threshold on [-1, 1]², as isocurve segments."""
    from nnviz.core.network import build_mlp

    net = build_mlp(list(sizes), activation="identity", bias_init="uniform", seed=seed)
    g = np.linspace(-1.0, 1.0, n)
    X, Y = np.meshgrid(g, g)  # Z[i, j]: y = g[i], x = g[j]
    Z = net.forward(np.stack([X.ravel(), Y.ravel()], axis=1)).reshape(n, n)
    step = g[1] - g[0]
    # isocurve puts sample [i, j] at index position (i + 0.5, j + 0.5): undo that half cell
    curves = [np.asarray(c) - 0.5 for c in pg.functions.isocurve(Z, threshold, connected=True) if len(c) > 1]
    return net, [(g[0] + c[:, 1] * step, g[0] + c[:, 0] * step) for c in curves]


def linear_view(result: dict, lesson=None, parent=None) -> DemoPlot | None:
    """The collapsed map's line over sample points, and the deep identity net's level set on it."""
    if "boundary" not in result or result["boundary"] is None:
        return None
    seed = int(getattr(lesson, "params", {}).get("seed", 0)) if lesson is not None else 0
    w1, w2, b0 = result["boundary_coef"]
    threshold = float(result["b"][0] - b0)
    net, deep = _deep_boundary(result["sizes"], seed, threshold)
    widget, item = _plot(None)
    view = DemoPlot(widget, lambda: _(
        "Without a non-linearity the deep network's boundary (dashed) lies on the collapsed map's line: "
        "largest difference {error}.").format(error=f"{result['max_error']:.1e}"), parent)
    x = np.random.default_rng(seed).uniform(-1, 1, size=(200, 2))
    side = (net.forward(x).ravel() > threshold).astype(int)
    _square(item, np.empty((0, 2)), np.empty(0), -1.0, 1.0)
    item.addItem(pg.ScatterPlotItem(x[:, 0], x[:, 1], size=5, pen=None,
                                    brush=[pg.mkBrush(class_color(int(s))) for s in side]))
    legend = _legend(item)
    (xa, ya), (xb, yb) = result["boundary"]
    view.lines["collapsed"] = item.plot([xa, xb], [ya, yb], pen=_pen(FG, 4), name="x·W + b")
    view.lines["deep"] = [item.plot(cx, cy, pen=_pen(class_color(3), 2, dash=True), name="deep" if k == 0 else None)
                          for k, (cx, cy) in enumerate(deep)]
    sizes = "-".join(map(str, result["sizes"]))

    def write():
        _label(item, _("{sizes} identity network vs its one linear map").format(sizes=sizes), "x₁", "x₂")
        _rename(legend, view.lines["collapsed"], _("x·W + b (one map)"))
        if view.lines["deep"]:
            _rename(legend, view.lines["deep"][0], _("deep network"))
    view.on_language(write)
    return view.ready()


def init_view(result: dict, parent=None) -> DemoPlot:
    """log₁₀ of the activation std per layer for each initialiser (sigmoid, ReLU), and the zeros
    case's spread between hidden neurons (0: identical)."""
    layout = pg.GraphicsLayoutWidget()
    layout.setBackground(BG)
    spread, n_steps = float(np.max(result["zeros_spread"])), len(result["zeros_spread"])
    view = DemoPlot(layout, lambda: _("Zeros: every hidden neuron stays identical (spread {spread} after "
                                      "{steps} steps).").format(spread=f"{spread:g}", steps=n_steps), parent)
    stats = result["stats"]
    schemes = list(dict.fromkeys(s for _s, s in stats))
    legend = pg.LegendItem(labelTextColor=FG, labelTextSize="8pt", verSpacing=-6)
    items, named = {}, []
    for col, act in enumerate(("sigmoid", "relu")):
        _w, item = _plot(layout, row=0, col=col)
        items[act] = item
        for k, sch in enumerate(schemes):
            if (act, sch) not in stats:
                continue
            layers = stats[(act, sch)]
            ls = np.array([l["layer"] for l in layers], dtype=float)
            std = np.log10(np.array([max(l["std"], 1e-300) for l in layers]))
            c = SERIES[k % len(SERIES)]
            view.curves[(act, sch)] = curve = item.plot(ls, std, pen=_pen(c), symbol="o", symbolSize=5,
                                                        symbolBrush=c, symbolPen=None)
            if act == "relu":
                legend.addItem(curve, sch)
                named.append((curve, sch))
    _w, spread_item = _plot(layout, row=1, col=0)
    steps = np.arange(1, len(result["zeros_spread"]) + 1)
    view.curves["zeros"] = spread_item.plot(steps, result["zeros_spread"], pen=_pen(class_color(3), 3))
    view.curves["xavier"] = spread_item.plot(steps, result["xavier_spread"], pen=_pen(SERIES[2]))
    legend.addItem(view.curves["zeros"], "zeros")
    named.append((view.curves["zeros"], "zeros"))
    layout.addItem(legend, row=1, col=1)
    layout.ci.layout.setRowStretchFactor(0, 3)
    layout.ci.layout.setRowStretchFactor(1, 2)

    def write():
        for act, item in items.items():
            _label(item, _("{activation} activations").format(activation=display_name("activation", act)),
                   _("layer"), _("log₁₀ std"))
        _label(spread_item, _("hidden neurons' spread"), _("step"), _("max |Δw|"))
        for curve, sch in named:
            _rename(legend, curve, display_name("init", sch))
    view.on_language(write)
    return view.ready()


def schedules_view(result: dict, parent=None) -> DemoPlot:
    widget, item = _plot(None)
    view = DemoPlot(widget, parent=parent)
    legend = _legend(item)
    for k, (name, lr) in enumerate(result["curves"].items()):
        view.curves[name] = item.plot(result["epochs"], lr, pen=_pen(SERIES[k % len(SERIES)]), name=name)

    def write():
        _label(item, _("Learning-rate schedules (η₀ = {lr})").format(lr=f"{result['base_lr']:g}"),
               _("epoch"), _("learning rate"))
        for name, curve in view.curves.items():
            _rename(legend, curve, display_name("schedule", name))
    view.on_language(write)
    return view.ready()


def train_view(result: dict, parent=None) -> DemoPlot:
    """The training loss over epochs (log scale when it falls a long way), accuracy if recorded."""
    loss = np.asarray(result["loss"], dtype=float)
    widget, item = _plot(None)
    view = DemoPlot(widget, lambda: _("loss {first} → {last} over {epochs} epochs").format(
        first=f"{loss[0]:.4g}", last=f"{loss[-1]:.4g}", epochs=int(result["epochs"][-1])), parent)
    pos = loss[loss > 0]
    log = len(pos) == len(loss) and pos.max() / pos.min() > 20
    if log:
        item.setLogMode(y=True)
    legend = _legend(item)
    view.curves["loss"] = item.plot(result["epochs"], loss, pen=_pen(TRAIN_COLOR), symbol="o", symbolSize=4,
                                    symbolBrush=TRAIN_COLOR, symbolPen=None, name="train loss")
    if "accuracy" in result:
        acc = pg.ViewBox()
        item.showAxis("right")
        item.scene().addItem(acc)
        item.getAxis("right").linkToView(acc)
        item.getAxis("right").setLogMode(False, False)  # accuracy stays linear under a log loss axis
        item.getAxis("right").enableAutoSIPrefix(False)
        style_plot(item, FG, BG)  # the right axis was made after the first styling
        acc.setXLink(item)
        item.vb.sigResized.connect(lambda: acc.setGeometry(item.vb.sceneBoundingRect()))
        acc.setGeometry(item.vb.sceneBoundingRect())
        curve = pg.PlotDataItem(result["epochs"], result["accuracy"], pen=_pen(TEST_COLOR))
        acc.addItem(curve)
        acc.setYRange(0.0, 1.0)
        legend.addItem(curve, "accuracy")
        view.curves["accuracy"] = curve

    def write():
        _label(item, _("Training loss"), _("epoch"), _("loss (log)") if log else _("loss"))
        _rename(legend, view.curves["loss"], _("train loss"))
        if "accuracy" in view.curves:
            item.getAxis("right").setLabel(_("accuracy"), color=FG.name())
            _rename(legend, view.curves["accuracy"], _("accuracy"))
    view.on_language(write)
    return view.ready()


def _table(rows: list[list[str]], columns: int) -> QTableWidget:
    table = QTableWidget(len(rows), columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = QTableWidgetItem(text)
            if c > 0:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, cell)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _table_view(rows, headers: list[str], caption, parent) -> DemoPlot:
    """A table whose column headers (marked texts) and caption are written in the current language."""
    table = _table(rows, len(headers))
    view = DemoPlot(table, caption, parent)
    view.table = table
    view.on_language(lambda: table.setHorizontalHeaderLabels([_(h) for h in headers]))
    return view.ready()


def params_view(result: dict, parent=None) -> DemoPlot:
    """Every named parameter with its shape and count; the per-layer sum below."""
    rows = [[r["name"], " × ".join(map(str, r["shape"])), str(r["count"])] for r in result["rows"]]
    return _table_view(rows, [N_("parameter"), N_("shape"), N_("count")],
                       lambda: _("per layer: {sum} = {total} parameters").format(
                           sum=" + ".join(map(str, result["counts"])), total=result["total"]), parent)


def gradcheck_view(result: dict, parent=None) -> DemoPlot:
    """Backprop's gradient beside the finite difference, per parameter."""
    rows = [[r.name, f"{r.backprop:+.8f}", f"{r.numeric:+.8f}", f"{r.rel_error:.1e}"] for r in result["rows"]]
    return _table_view(rows, [N_("parameter"), N_("backprop"), N_("numeric"), N_("rel. error")],
                       lambda: _("largest relative error {error}").format(
                           error=f"{result['max_rel_error']:.1e}"), parent)


def demo_view(lesson, result: dict, parent=None) -> QWidget | None:
    """The plot of ``result`` (from ``run_demo(lesson)``), or ``None`` if this lesson has none here."""
    kind = lesson.demo
    if kind in NO_PLOT:
        return None
    if kind == "linear":
        return linear_view(result, lesson, parent)
    builders = {"gates": gates_view, "init": init_view, "schedules": schedules_view, "train": train_view,
                "params": params_view, "gradcheck": gradcheck_view}
    return builders[kind](result, parent) if kind in builders else None
