"""The app's one palette and its colour scales, shared by the network diagram, the output view
and the plots.

Negative numbers are orange and positive ones blue everywhere (neuron activations, weights,
decision regions, regression targets), as in TensorFlow Playground, so that a colour means the
same thing in every view. Class 0 and class 1 take the same two colours.

Colours are kept as ``(r, g, b)`` tuples (NumPy maths) and turned into ``QColor`` only where a
widget needs one.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QColor, QPalette

RGB = tuple[int, int, int]

NEGATIVE: RGB = (245, 147, 34)     # orange: negative values, class 0
POSITIVE: RGB = (8, 119, 189)      # blue: positive values, class 1
ZERO: RGB = (255, 255, 255)        # white: 0 on a diverging scale, the low end of a sequential one
DEEP_POSITIVE: RGB = (31, 95, 168)  # a darker blue: white digits stay readable on it (confusion matrix)

BACKGROUND: RGB = (250, 250, 248)  # the diagram's paper
TEXT: RGB = (40, 40, 40)
BIAS_NODE: RGB = (225, 225, 225)

#: Class colours: class 0 orange and class 1 blue (the palette's two ends), then a categorical set.
CLASS_COLORS = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf"]
#: Training curves: train blue, test orange (the usual choice of ML plots).
TRAIN_COLOR = QColor("#1f77b4")
TEST_COLOR = QColor("#ff7f0e")
#: A right or wrong answer.
CORRECT_COLOR = QColor("#2ca02c")
WRONG_COLOR = QColor("#d62728")

#: Prebuilt colours (and brushes) per scale: enough steps that neighbours look alike.
N_STEPS = 64


def rgb(colour) -> RGB:
    """``(r, g, b)`` of a ``QColor``, a ``"#rrggbb"`` string or an RGB tuple."""
    if isinstance(colour, tuple):
        return tuple(int(c) for c in colour[:3])
    c = QColor(colour)
    return c.red(), c.green(), c.blue()


def qcolor(colour) -> QColor:
    """A ``QColor`` of an RGB tuple, a ``"#rrggbb"`` string or a ``QColor``."""
    return QColor(*rgb(colour)) if isinstance(colour, tuple) else QColor(colour)


def blend(colour, background, t: float) -> QColor:
    """An opaque ``colour`` faded towards ``background`` (t = 1: the colour, 0: the background).

    Faint lines and tints are drawn as opaque mixtures rather than with alpha: Qt's raster engine
    paints translucent antialiased lines several times slower than opaque ones."""
    return QColor(*(int(round(b + (c - b) * t)) for c, b in zip(rgb(colour), rgb(background))))


def class_color(i: int) -> QColor:
    """The colour of class ``i`` (beyond the ten listed: hues around the wheel)."""
    if i < len(CLASS_COLORS):
        return QColor(CLASS_COLORS[i])
    return QColor.fromHsv(int(i % 12) * 30, 200, 200)


def theme_colors(widget) -> tuple[QColor, QColor]:
    """(background, foreground) for a plot inside ``widget``, following the Qt palette."""
    pal = widget.palette()
    return pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)


class ColourScale:
    """A colour map over ``[lo, hi]``, linear in RGB between ``stops`` ((position 0..1, rgb) pairs).

    ``lut`` is its 256-entry RGBA table (for images), ``colours``/``brushes`` its
    :data:`N_STEPS` prebuilt steps (for items whose colour is picked per frame)."""

    def __init__(self, lo: float, hi: float, stops):
        self.lo, self.hi = float(lo), float(hi)
        self.stops = [(float(s), rgb(c)) for s, c in stops]
        self.lut = np.empty((256, 4), dtype=np.uint8)
        self.lut[:, :3] = self.table(256)
        self.lut[:, 3] = 255
        self.colours = [QColor(*map(int, c)) for c in self.table(N_STEPS)]
        self.brushes = [QBrush(c) for c in self.colours]

    def table(self, n: int, lighten: float = 0.0) -> np.ndarray:
        """``n`` colours from the low to the high end, (n, 3) uint8; ``lighten`` (0..1) mixes
        every stop with white first (a paler scale, e.g. for a background under data points)."""
        pos = np.array([s for s, _ in self.stops])
        cols = np.array([c for _, c in self.stops], dtype=float)
        cols = cols + (255.0 - cols) * float(lighten)
        t = np.linspace(0.0, 1.0, int(n))
        return np.column_stack([np.round(np.interp(t, pos, cols[:, k])) for k in range(3)]).astype(np.uint8)

    def index(self, values) -> np.ndarray:
        """Step 0..N_STEPS-1 of every value (NaN → the middle, outside the range → clipped)."""
        v = np.nan_to_num(np.asarray(values, dtype=float), nan=(self.lo + self.hi) / 2)
        k = np.rint((v - self.lo) * ((N_STEPS - 1) / (self.hi - self.lo)))
        return np.clip(k, 0, N_STEPS - 1).astype(np.intp)

    def colour(self, value: float) -> QColor:
        return self.colours[int(self.index(np.array([value]))[0])]

    def rgba(self, values, lo: float | None = None, hi: float | None = None) -> np.ndarray:
        """``values`` (any shape) as RGBA uint8 (shape + (4,)) over ``[lo, hi]`` (default: the
        scale's range). Pre-coloured images paint far faster than indexed ones with a table."""
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        # in float64 (a diverging network can send values beyond float32's range); NaN → middle
        k = (np.asarray(values, dtype=np.float64) - lo) * (255.0 / (hi - lo))
        np.clip(k, 0, 255, out=k)
        k[k != k] = 127.5
        return self.lut[k.astype(np.uint8)]


#: Orange (−1) → white (0) → blue (+1): signed values (tanh, identity, inputs, weights).
DIVERGING = ColourScale(-1.0, 1.0, [(0.0, NEGATIVE), (0.5, ZERO), (1.0, POSITIVE)])
#: White (0) → blue (1): values that are never negative (sigmoid, softmax, ReLU, step).
SEQUENTIAL = ColourScale(0.0, 1.0, [(0.0, ZERO), (1.0, POSITIVE)])
#: Black (0) → white (1): an input image as it is.
GREY = ColourScale(0.0, 1.0, [(0.0, (0, 0, 0)), (1.0, (255, 255, 255))])

_SEQUENTIAL_ACTIVATIONS = {"sigmoid", "softmax", "relu", "step"}


def scale_for(activation: str) -> ColourScale:
    """The scale an activation's outputs are drawn with: :data:`SEQUENTIAL` for sigmoid, softmax,
    ReLU and step (ReLU values above 1 are drawn as 1), :data:`DIVERGING` otherwise."""
    return SEQUENTIAL if activation in _SEQUENTIAL_ACTIVATIONS else DIVERGING


def diverging_lut(n: int = 256, lighten: float = 0.0) -> np.ndarray:
    """:data:`DIVERGING` as ``n`` colours, (n, 3) uint8; ``lighten`` mixes the ends with white."""
    return DIVERGING.table(n, lighten)
