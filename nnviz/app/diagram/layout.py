"""Where everything of the network diagram is, and what is under a point: NumPy only, no Qt.

Coordinates are data units: x grows to the right (one unit from a layer to the next), y grows
*up*. Column 0 holds the inputs, column ``layer + 1`` the neurons of dense layer ``layer``; the
API speaks of layers (``-1``: the input units), never of columns.

A bias node sits under every column but the last: the node under column ``layer`` is the
constant +1 input of dense layer ``layer``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DX = 1.0              # distance between two columns
DY_MAX = 0.5          # largest distance between two neurons of a column
R_MAX = 0.06          # largest neuron radius
HEAT_MAX_UNITS = 256  # more neurons than this: no per-neuron heatmaps (too small to read)
#: Strongest weights drawn per layer by default: long antialiased lines are what a frame's paint
#: time grows with, and a few hundred per layer still read as a picture, not a grey mesh.
DEFAULT_MAX_EDGES = 300
#: More drawn edges than this: the thin ones are drawn fainter.
DENSE_EDGES = 600
N_WIDTHS = 4          # edge widths; bins are ``4 * (w > 0) + width``: 0-3 negative, 4-7 positive
N_BINS = 2 * N_WIDTHS
MIN_SPOT_PX, MAX_SPOT_PX = 3.0, 44.0
HIT_EDGE_PX = 4.0     # how close (pixels) the mouse must be to an edge to hit it


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in data coordinates (``bottom`` < ``top``)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


def can_show_heatmaps(sizes, image_shape=None) -> bool:
    """Per-neuron pictures over the input plane: for 2 plain inputs and not too many neurons."""
    return image_shape is None and len(sizes) >= 2 and sizes[0] == 2 and sum(sizes[1:]) <= HEAT_MAX_UNITS


class DiagramLayout:
    """Positions and sizes of a dense network ``sizes`` (e.g. [2, 4, 4, 1]).

    ``image_shape`` (h, w) draws the inputs as one picture whose pixels are the input units;
    ``heatmaps`` leaves room right of every neuron for its picture over the input plane."""

    def __init__(self, sizes, image_shape=None, heatmaps: bool = False):
        self.sizes = [int(s) for s in sizes]
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ValueError("a network needs at least an input and an output layer")
        self.n_layers = L = len(self.sizes) - 1
        self.image_shape = None if image_shape is None else (int(image_shape[0]), int(image_shape[1]))
        if self.image_shape is not None and self.image_shape[0] * self.image_shape[1] != self.sizes[0]:
            raise ValueError(f"an image of {self.image_shape} is not {self.sizes[0]} inputs")
        self.heatmaps = bool(heatmaps)
        img = self.image_shape is not None
        many = max(self.sizes[1:] + ([] if img else [self.sizes[0]]))
        self.height = H = max(0.75 * L * DX, 1.35 if (img or many > 16) else 1.0)
        self._pos, self._radius, self._heat = [], [], []
        bias = []
        top, bottom, left, right = -np.inf, np.inf, np.inf, -np.inf
        self.image_box = self.inset_box = None
        for col, n in enumerate(self.sizes):
            x = col * DX
            if col == 0 and img:
                h, w = self.image_shape
                S = 0.4 * H
                self.image_box = Box(x - S / 2, H / 2 - S, x + S / 2, H / 2)
                self.inset_box = Box(x - S / 2, -H / 2, x + S / 2, -H / 2 + S)
                ps = S / max(h, w)
                rr, cc = np.divmod(np.arange(n), w)
                self._pos.append(np.column_stack([x - S / 2 + (cc + 0.5) * ps, H / 2 - (rr + 0.5) * ps]))
                self._radius.append(ps / 2)
                self._heat.append(0.0)
                bias.append((x, H / 2 - S - 0.07 * H))
                top, bottom, left = max(top, H / 2), min(bottom, -H / 2), min(left, x - S / 2)
                continue
            has_bias = col < L
            dy = min(H / (n + has_bias), DY_MAX)
            ys = ((n - 1) / 2 - np.arange(n)) * dy
            heat = self.heatmaps and col > 0
            r = min((0.2 if heat else 0.4) * dy, R_MAX)
            hs = 0.0
            if heat:
                hs = min(0.85 * dy, 0.3 * DX) if col < L else min(0.8 * H / n, 0.42 * DX, 2.0 * dy)
            self._pos.append(np.column_stack([np.full(n, x), ys]))
            self._radius.append(r)
            self._heat.append(hs)
            if has_bias:
                by = -(n + 1) / 2 * dy
                bias.append((x, by))
                bottom = min(bottom, by - max(r, 0.02))
            top = max(top, ys[0] + max(r, hs / 2))
            bottom = min(bottom, ys[-1] - max(r, hs / 2))
            left = min(left, x - r)
            right = max(right, x + max(r, hs))
        right = max(right, L * DX + self._radius[-1])
        self.bbox = Box(left, bottom, right, top)
        self.bias_positions = np.array(bias, dtype=float)   # (L, 2)
        # the neurons drawn as circles: every layer, and the inputs unless they are an image
        self.spot_layers = list(range(0 if img else -1, L))
        self.spot_xy = np.concatenate([self.positions(l) for l in self.spot_layers])
        self.spot_layer = np.concatenate([np.full(self.n_units(l), l) for l in self.spot_layers])
        self.spot_index = np.concatenate([np.arange(self.n_units(l)) for l in self.spot_layers])
        starts = np.cumsum([0] + [self.n_units(l) for l in self.spot_layers])
        self.spot_slices = {l: slice(int(a), int(b)) for l, a, b in zip(self.spot_layers, starts, starts[1:])}

    # -- per layer (-1: the inputs) --------------------------------------------------------
    def n_units(self, layer: int) -> int:
        return self.sizes[layer + 1]

    def positions(self, layer: int) -> np.ndarray:
        """(n, 2) centres of the units of ``layer`` (-1: the inputs; image pixels' centres)."""
        return self._pos[layer + 1]

    def radius(self, layer: int) -> float:
        return self._radius[layer + 1]

    def heat_side(self, layer: int) -> float:
        """Side of the heatmap right of every neuron of ``layer`` (0 without heatmaps)."""
        return self._heat[layer + 1]

    def column_x(self, layer: int) -> float:
        return (layer + 1) * DX

    def heat_box(self, layer: int, j: int) -> Box:
        x, y = self.positions(layer)[j]
        hs = self.heat_side(layer)
        return Box(x, y - hs / 2, x + hs, y + hs / 2)

    # -- sizes in pixels -------------------------------------------------------------------
    def spot_pixel_sizes(self, scale: float) -> np.ndarray:
        """Diameter in pixels of every spot (in ``spot_xy`` order) at ``scale`` pixels per unit."""
        return np.concatenate([np.full(self.n_units(l), np.clip(2 * self.radius(l) * scale, MIN_SPOT_PX,
                                                                  MAX_SPOT_PX)) for l in self.spot_layers])

    def bias_pixel_sizes(self, scale: float) -> np.ndarray:
        """Side in pixels of every bias node (18-26, as big as the neurons beside it)."""
        s = np.array([max(18.0, min(26.0, 2 * self._radius[c] * scale)) for c in range(self.n_layers)])
        if self.image_shape is not None:
            s[0] = 18.0
        return s

    def fit(self, width: float, height: float, margins) -> tuple[float, Box]:
        """Pixels per data unit and the data rectangle to show so that the drawing fills a
        ``width`` × ``height`` pixel view with ``margins`` (left, right, top, bottom) pixels
        kept free for texts, keeping the aspect ratio."""
        ml, mr, mt, mb = margins
        bb = self.bbox
        s = min((width - ml - mr) / max(bb.width, 1e-9), (height - mt - mb) / max(bb.height, 1e-9))
        s = max(s, 1e-3)
        return s, Box(bb.left - ml / s, bb.bottom - mb / s, bb.right + mr / s, bb.top + mt / s)


# -- edges ------------------------------------------------------------------------------------
def strongest(values: np.ndarray, n: int, magnitude: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``n`` largest ``|values|`` (all of them, in order, when there are ≤ n);
    ``magnitude``: ``|values|`` when the caller has it already.

    A big layer first keeps the candidates above a threshold read off a strided sample (a little
    below the n-th largest, so that a few times n pass), then partitions only those: the same
    indices as one ``argpartition`` of the whole layer, several times faster (an exact fallback
    when too few pass or a value is not finite)."""
    values = np.ravel(values)
    if values.size <= n:
        return np.arange(values.size)
    a = np.abs(values) if magnitude is None else magnitude
    if a.size >= 16 * max(n, 256):
        step = a.size // 2048
        sample = a[::step]
        rank = min(sample.size - 1, int(2 * n * sample.size / a.size) + 8)   # from the top
        t = np.partition(sample, sample.size - 1 - rank)[sample.size - 1 - rank]
        if np.isfinite(t) and np.isfinite(a.max()):   # (argpartition counts NaN as the largest)
            cand = np.flatnonzero(a >= t)
            if cand.size >= n:
                return cand[np.argpartition(a[cand], cand.size - n)[-n:]]
    return np.argpartition(a, values.size - n)[-n:]


def largest_weight(weights) -> float:
    """The largest ``|w|`` or ``|b|`` of all layers (1 when there is none or it is not finite)."""
    m = 0.0
    for W, b in weights:
        for a in (W, b):
            if np.size(a):
                m = max(m, float(np.nanmax(np.abs(a))))
    return m if np.isfinite(m) and m > 0 else 1.0


def _largest(mags) -> float:
    """:func:`largest_weight` from the layers' ``(|W|, |b|)`` (flat)."""
    m = 0.0
    for pair in mags:
        for a in pair:
            if a.size:
                top = a.max()
                m = max(m, float(top if not np.isnan(top) else np.nanmax(a)))
    return m if np.isfinite(m) and m > 0 else 1.0


def _from_border(src: np.ndarray, dst: np.ndarray, box: Box, pixel: float | None) -> np.ndarray:
    """``src`` (inside ``box``) moved along each segment to where it leaves the box: the part
    inside lies under the opaque picture, and painting it would cost as much as any.

    With ``pixel`` (data units per screen pixel) the new start stays a whole number of pixels
    along the line's longer axis from the old one, at least one pixel inside the box: Qt's
    antialiased 1-px lines are placed by the start's fraction of a pixel, so the visible part is
    drawn on exactly the same pixels as the whole line was."""
    d = dst - src
    t = np.ones(len(src))
    for axis, lo, hi in ((0, box.left, box.right), (1, box.bottom, box.top)):
        step = d[:, axis]
        with np.errstate(divide="ignore", invalid="ignore"):
            t_out = np.where(step > 0, (hi - src[:, axis]) / step, np.where(step < 0, (lo - src[:, axis]) / step, 1.0))
        t = np.minimum(t, t_out)
    t = np.clip(t, 0.0, 1.0)
    if pixel:
        n = np.max(np.abs(d), axis=1) / pixel             # pixels along the longer axis
        t = np.maximum(np.floor(t * n) - 1.0, 0.0) / np.where(n > 0, n, 1.0)
    return src + t[:, None] * d


def edge_bins(w: np.ndarray, wmax: float) -> np.ndarray:
    """Bin of every weight: ``4 * (w > 0) + width`` with width 0-3 in quarters of ``wmax``
    (non-finite weights count as 0)."""
    w = np.where(np.isfinite(w), w, 0.0)
    return np.minimum((np.abs(w) * (N_WIDTHS / wmax)).astype(np.intp), N_WIDTHS - 1) + N_WIDTHS * (w > 0)


def density_is_high(sizes, max_edges: int) -> bool:
    """Whether more than :data:`DENSE_EDGES` weight edges are drawn at most."""
    return sum(min(a * b, max_edges) for a, b in zip(sizes, sizes[1:])) > DENSE_EDGES


class EdgePlan:
    """The edges drawn for one set of weights: the strongest ``max_edges`` per layer of weights
    and of biases, each in its bin; ``pairs(bin)`` gives the segments to draw (those from an
    image input start where they leave the picture; ``pixel``: data units per screen pixel, see
    :func:`_from_border`)."""

    def __init__(self, layout: DiagramLayout, weights, max_edges: int, pixel: float | None = None):
        self.layout = layout
        flats = [(np.ravel(W), np.ravel(b)) for W, b in weights]
        mags = [(np.abs(w), np.abs(b)) for w, b in flats]
        self.wmax = _largest(mags)
        self.weight_index, self.bias_index = [], []      # flat indices into W and b, per layer
        parts = {False: [], True: []}
        image = layout.image_box if layout.image_shape is not None else None
        for layer, ((flat, bf), (mw, mb)) in enumerate(zip(flats, mags)):
            n_out = layout.n_units(layer)
            idx = strongest(flat, max_edges, mw)
            self.weight_index.append(idx)
            src, dst = layout.positions(layer - 1)[idx // n_out], layout.positions(layer)[idx % n_out]
            if layer == 0 and image is not None:
                src = _from_border(src, dst, image, pixel)
            parts[False].append((edge_bins(flat[idx], self.wmax), src, dst))
            bidx = strongest(bf, max_edges, mb)
            self.bias_index.append(bidx)
            src = np.broadcast_to(layout.bias_positions[layer], (bidx.size, 2))
            parts[True].append((edge_bins(bf[bidx], self.wmax), src, layout.positions(layer)[bidx]))
        self._pairs = {bias: self._binned(p) for bias, p in parts.items()}
        self._segments = None

    @staticmethod
    def _binned(parts):
        """Per bin, x and y of the segments' end points in pairs (x0, x1, x0', x1', ...)."""
        if not parts:
            return [(np.empty(0), np.empty(0))] * N_BINS
        bins = np.concatenate([p[0] for p in parts])
        order = np.argsort(bins, kind="stable")
        ends = np.cumsum(np.bincount(bins, minlength=N_BINS))
        xy = np.empty((bins.size, 2, 2))                 # segment, end, (x, y)
        xy[:, 0] = np.concatenate([p[1] for p in parts])[order]
        xy[:, 1] = np.concatenate([p[2] for p in parts])[order]
        x, y = xy[:, :, 0].ravel(), xy[:, :, 1].ravel()  # x0, x1, x0', x1', ... by bin
        return [(x[2 * a:2 * b], y[2 * a:2 * b]) for a, b in zip(np.r_[0, ends[:-1]], ends)]

    def pairs(self, k: int, bias: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """x and y of the end points, in pairs, of the segments of bin ``k`` (weights or biases)."""
        return self._pairs[bias][k]

    def drawn(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` of the weights of ``layer`` drawn."""
        n_out = self.layout.n_units(layer)
        idx = self.weight_index[layer]
        return idx // n_out, idx % n_out

    def segments(self):
        """Every drawn segment, for hit testing: ``(is_bias, layer, i, j, x0, y0, x1, y1)`` arrays."""
        if self._segments is None:
            cols = [[] for _ in range(8)]
            for layer in range(len(self.weight_index)):
                i, j = self.drawn(layer)
                bj = self.bias_index[layer]
                a = np.concatenate([self.layout.positions(layer - 1)[i],
                                    np.broadcast_to(self.layout.bias_positions[layer], (bj.size, 2))])
                b = self.layout.positions(layer)[np.concatenate([j, bj])]
                for c, v in enumerate((np.r_[np.zeros(i.size, bool), np.ones(bj.size, bool)],
                                       np.full(i.size + bj.size, layer), np.r_[i, np.zeros(bj.size, np.intp)],
                                       np.r_[j, bj], a[:, 0], a[:, 1], b[:, 0], b[:, 1])):
                    cols[c].append(v)
            self._segments = tuple(np.concatenate(c) if c else np.empty(0) for c in cols)
        return self._segments


# -- hit testing ------------------------------------------------------------------------------
def segment_distance(px, py, x0, y0, x1, y1) -> np.ndarray:
    """Distance of the point (px, py) to every segment (x0, y0)-(x1, y1)."""
    dx, dy = x1 - x0, y1 - y0
    ll = dx * dx + dy * dy
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
    return np.hypot(x0 + t * dx - px, y0 + t * dy - py)


def image_cell(box: Box, shape, x: float, y: float) -> int | None:
    """Flat index ``row * w + col`` of the pixel of an image (row 0 at the top) under (x, y)."""
    if not box.contains(x, y):
        return None
    h, w = shape
    c = min(int((x - box.left) / box.width * w), w - 1)
    r = min(int((box.top - y) / box.height * h), h - 1)
    return r * w + c


def hit_test(layout: DiagramLayout, x: float, y: float, pixel: float, spot_px, bias_px,
             heat_layers=(), inset_shown: bool = False, plan: EdgePlan | None = None):
    """What is under the data point (x, y) when one pixel is ``pixel`` data units, as a key:

    ``("n", layer, j)`` a neuron (layer -1: an input), ``("bias", layer)`` the +1 node of
    ``layer``, ``("heat", layer, j)`` a neuron's heatmap (``heat_layers``: the layers whose
    heatmaps are shown), ``("pix", j)`` an input pixel, ``("inset", i)`` a pixel of the shown
    incoming weights, ``("w", layer, i, j)`` / ``("b", layer, j)`` a drawn edge of ``plan``;
    None for nothing. Neurons win over bias nodes, heatmaps, pictures and edges."""
    d = np.hypot(layout.spot_xy[:, 0] - x, layout.spot_xy[:, 1] - y) / pixel
    k = int(np.argmin(d))
    if d[k] <= max(spot_px[k] / 2 + 2, 5):
        return ("n", int(layout.spot_layer[k]), int(layout.spot_index[k]))
    d = np.max(np.abs(layout.bias_positions - [x, y]), axis=1) / pixel
    k = int(np.argmin(d))
    if d[k] <= bias_px[k] / 2 + 2:
        return ("bias", k)
    for layer in heat_layers:
        for j in range(layout.n_units(layer)):
            if layout.heat_box(layer, j).contains(x, y):
                return ("heat", layer, j)
    if layout.image_shape is not None:
        for box, kind, shown in ((layout.image_box, "pix", True), (layout.inset_box, "inset", inset_shown)):
            cell = image_cell(box, layout.image_shape, x, y) if shown else None
            if cell is not None:
                return (kind, cell)
    if plan is not None:
        is_bias, layers, ii, jj, x0, y0, x1, y1 = plan.segments()
        if len(x0):
            d = segment_distance(x, y, x0, y0, x1, y1) / pixel
            m = int(np.argmin(d))
            if d[m] <= HIT_EDGE_PX:
                if is_bias[m]:
                    return ("b", int(layers[m]), int(jj[m]))
                return ("w", int(layers[m]), int(ii[m]), int(jj[m]))
    return None


def weights_match(sizes, weights) -> bool:
    """Whether ``weights`` ((W, b) per layer) have the shapes of a network ``sizes``."""
    if weights is None or len(weights) != len(sizes) - 1:
        return False
    return all(np.shape(W) == (sizes[k], sizes[k + 1]) and np.size(b) == sizes[k + 1]
               for k, (W, b) in enumerate(weights))
