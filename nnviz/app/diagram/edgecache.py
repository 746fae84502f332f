"""The diagram's edges frame after frame, with as little Python per frame as possible (issue 19).

A frame picks the strongest weights and biases of every layer and puts each drawn edge in a bin
(sign × width), exactly as :class:`~nnviz.app.diagram.layout.EdgePlan` does, but:

* the selection and the bins take a few NumPy calls for the whole network (a layer with no more
  weights than are drawn keeps all of them, in order, without a partition);
* an edge is known by its *key* (its flat index in the network's weights, or in its biases), and
  a bin's path is a function of the keys in it, in order (and, for an image input, of the size
  of a pixel, see :func:`~nnviz.app.diagram.layout._from_border`): :class:`EdgeCache` remembers
  the last frame's keys per bin and reports only the bins whose keys changed, so only those get
  a new path (a slowly learning network keeps most of them);
* the segments' end points are computed only on a frame where some bin changed, and per layer
  only when its drawn edges changed.

The segments of a bin come in the same order as in ``EdgePlan`` (a stable sort by bin of the
layers' edges, in the order :func:`~nnviz.app.diagram.layout.strongest` returns them), so the
paths, and the pictures, are the same to the bit.
"""
from __future__ import annotations

import numpy as np

from nnviz.app.diagram.layout import N_BINS, N_WIDTHS, EdgePlan, _from_border, edge_bins, strongest

_ALL_BINS = list(range(N_BINS))
#: Largest layer whose edges' end points are all computed at once (32 bytes each).
FULL_TABLE_ROWS = 400_000


class LivePlan(EdgePlan):
    """An :class:`EdgePlan` made by :class:`EdgeCache` (the same ``wmax``, ``weight_index``,
    ``bias_index``, ``drawn``, ``segments`` and ``pairs``)."""

    def __init__(self, layout, wmax: float, weight_index, bias_index, binned):
        # (no super().__init__: everything is computed already)
        self.layout = layout
        self.wmax = wmax
        self.weight_index, self.bias_index = weight_index, bias_index
        self._binned_xy = binned          # {bias: (x, y, starts, ends)}, segments sorted by bin
        self._segments = None

    def pairs(self, k: int, bias: bool = False) -> tuple[np.ndarray, np.ndarray]:
        x, y, starts, ends = self._binned_xy[bias]
        a, b = 2 * starts[k], 2 * ends[k]
        return x[a:b], y[a:b]


class _Group:
    """The last frame's weight edges or bias edges: keys, bins, end points, bins' ranges."""

    __slots__ = ("sig", "keys", "bins", "xy", "sorted_keys", "binned")

    def __init__(self, sig, keys, bins, xy, sorted_keys, binned):
        self.sig, self.keys, self.bins, self.xy = sig, keys, bins, xy
        self.sorted_keys, self.binned = sorted_keys, binned


class EdgeCache:
    """The edges of one network layout across frames: :meth:`plan` gives the new plan and the
    bins whose path changed."""

    def __init__(self, layout):
        self.layout = layout
        sizes = layout.sizes
        L = layout.n_layers
        self._w_off = np.cumsum([0] + [sizes[l] * sizes[l + 1] for l in range(L)])[:-1].tolist()
        self._b_off = np.cumsum([0] + [sizes[l + 1] for l in range(L)])[:-1].tolist()
        self._image = layout.image_box if layout.image_shape is not None else None
        self._aranges: dict[int, np.ndarray] = {}
        self._mags: dict[int, np.ndarray] = {}   # |w| of every big layer's weights
        self._all_keys: dict = {}                # (bias, sizes) -> the keys when every edge is drawn
        self._geom: dict = {}             # (bias, layer) -> [pixel, end points per edge, rows known (None: all)]
        self._groups = {False: None, True: None}

    def reset(self) -> None:
        """Forget what was drawn (the items were cleared): the next plan changes every bin."""
        self._groups = {False: None, True: None}

    def _arange(self, n: int) -> np.ndarray:
        a = self._aranges.get(n)
        if a is None:
            a = self._aranges[n] = np.arange(n)
        return a

    def plan(self, weights, max_edges: int, pixel: float | None):
        """``(LivePlan, {False: weight bins changed, True: bias bins changed})`` for ``weights``
        ((W, b) per layer, as for :class:`EdgePlan`)."""
        arrays = [np.ravel(W) for W, _ in weights] + [np.ravel(b) for _, b in weights]
        L = len(weights)
        idx, vals, big = [], [], []
        for k, a in enumerate(arrays):
            if a.size <= max_edges:
                idx.append(self._arange(a.size))
                vals.append(a)
            else:
                mag = self._mags.get(k)
                if mag is None or mag.shape != a.shape or mag.dtype != a.dtype:
                    mag = self._mags[k] = np.empty_like(a)
                np.abs(a, out=mag)      # (a buffer kept: a new one costs page faults every frame)
                i = strongest(a, max_edges, mag)
                idx.append(i)
                vals.append(a[i])
                big.append((len(vals) - 1, mag))
        allv = np.concatenate(vals) if vals else np.empty(0)
        mag = np.abs(allv)
        top = float(mag.max()) if mag.size else 0.0
        wmax = _largest(top, vals, big)
        if len({v.dtype for v in vals}) > 1:   # each in its own precision, as EdgePlan does
            bins = np.concatenate([edge_bins(v, wmax) for v in vals])
        elif np.isfinite(top):                 # edge_bins, with |w| known and nothing to zero
            bins = np.minimum((mag * (N_WIDTHS / wmax)).astype(np.intp), N_WIDTHS - 1)
            bins += N_WIDTHS * (allv > 0)
        else:
            bins = edge_bins(allv, wmax)
        n_w = sum(v.size for v in vals[:L])
        changed = {}
        binned = {}
        for bias, sl, offs in ((False, slice(0, L), self._w_off), (True, slice(L, 2 * L), self._b_off)):
            gi = idx[sl]
            gb = bins[n_w:] if bias else bins[:n_w]
            changed[bias], binned[bias] = self._update(bias, gi, gb, offs, pixel)
        return LivePlan(self.layout, wmax, idx[:L], idx[L:], binned), changed

    def _update(self, bias: bool, idx, bins, offs, pixel):
        sig = (tuple(i.size for i in idx), pixel if (self._image is not None and not bias) else None)
        if all(i is self._aranges.get(i.size) for i in idx):   # every edge drawn: the same keys
            keys = self._all_keys.get((bias, sig[0]))
            if keys is None:
                keys = self._all_keys[(bias, sig[0])] = self._keys(idx, offs)
        else:
            keys = self._keys(idx, offs)
        prev = self._groups[bias]
        same_keys = prev is not None and prev.sig == sig and (prev.keys is keys or np.array_equal(prev.keys, keys))
        if same_keys:
            if np.array_equal(prev.bins, bins):
                return [], prev.binned
            d = prev.bins != bins
            changed = sorted(set(prev.bins[d].tolist()) | set(bins[d].tolist()))
            xy = prev.xy
        else:
            xy = self._xy(bias, idx, pixel)
            changed = None
        order = np.argsort(bins, kind="stable")
        counts = np.bincount(bins, minlength=N_BINS)
        ends = np.cumsum(counts)
        starts = ends - counts
        sorted_keys = keys[order]
        xs = xy[order]                                    # segment, end, (x, y)
        binned = (xs[:, :, 0].ravel(), xs[:, :, 1].ravel(), starts.tolist(), ends.tolist())
        if changed is None:
            if prev is None or prev.sig != sig:
                changed = _ALL_BINS
            else:
                ps, pe = prev.binned[2], prev.binned[3]
                changed = [k for k in _ALL_BINS
                           if not np.array_equal(prev.sorted_keys[ps[k]:pe[k]], sorted_keys[binned[2][k]:binned[3][k]])]
        self._groups[bias] = _Group(sig, keys, bins, xy, sorted_keys, binned)
        return changed, binned

    @staticmethod
    def _keys(idx, offs) -> np.ndarray:
        return np.concatenate([i + o for i, o in zip(idx, offs)]) if idx else np.empty(0, np.intp)

    def _xy(self, bias: bool, idx, pixel) -> np.ndarray:
        """End points (segment, end, (x, y)) of the edges ``idx`` of every layer, in key order,
        read from a table per layer: at first (and after the pixel size changed, for the edges
        from an image) only the rows drawn are computed; the next time new rows are needed, every
        row is (a few ms once for 784 × 100, instead of ~25 NumPy calls every frame)."""
        parts = []
        for layer, i in enumerate(idx):
            image = self._image is not None and layer == 0 and not bias
            t = self._geom.get((bias, layer))
            if t is None or (image and t[0] != pixel):
                n = self.layout.n_units(layer) * (1 if bias else self.layout.n_units(layer - 1))
                t = self._geom[(bias, layer)] = [pixel, np.empty((n, 2, 2)), np.zeros(n, bool)]
                t[1][i] = self._ends(bias, layer, i, image, pixel)
                t[2][i] = True
            elif t[2] is not None and not t[2][i].all():
                if len(t[1]) <= FULL_TABLE_ROWS:         # the second time: the whole table
                    t[1][:] = self._ends(bias, layer, np.arange(len(t[1])), image, pixel)
                    t[2] = None
                else:                                    # (a huge layer: only the new rows)
                    new = i[~t[2][i]]
                    t[1][new] = self._ends(bias, layer, new, image, pixel)
                    t[2][new] = True
            parts.append(t[1][i])
        return np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else np.empty((0, 2, 2))

    def _ends(self, bias: bool, layer: int, i: np.ndarray, image: bool, pixel) -> np.ndarray:
        layout = self.layout
        if bias:
            src = np.broadcast_to(layout.bias_positions[layer], (i.size, 2))
            dst = layout.positions(layer)[i]
        else:
            n_out = layout.n_units(layer)
            src, dst = layout.positions(layer - 1)[i // n_out], layout.positions(layer)[i % n_out]
            if image:
                src = _from_border(src, dst, self._image, pixel)
        xy = np.empty((i.size, 2, 2))
        xy[:, 0], xy[:, 1] = src, dst
        return xy


def _largest(m: float, vals, big) -> float:
    """:func:`~nnviz.app.diagram.layout.largest_weight` of the layers from ``m``, the largest |w|
    drawn: that is the largest of its layer (the strongest are drawn), unless NaNs were drawn in
    its place."""
    if np.isnan(m):   # as EdgePlan: the largest of the others (max(m, nan) keeps m)
        m = 0.0
        bigs = {j for j, _ in big}
        small = [v for k, v in enumerate(vals) if k not in bigs and v.size]
        for a in ([np.abs(np.concatenate(small))] if small else []) + [mag for _, mag in big]:
            m = max(m, float(np.nanmax(a)))
    return m if np.isfinite(m) and m > 0 else 1.0
