"""The diagram's per-frame colouring, done in few NumPy passes (the same colours as
:meth:`nnviz.app.theme.ColourScale.rgba` and :meth:`~nnviz.app.theme.ColourScale.index`).

Every frame colours ~100 neurons, an input image and, on a 2-D problem, a 40×40 heatmap per
neuron on the UI thread while the worker waits (see nnviz.app.window.frame): the general
versions index an (256, 4) table row by row and go through ``np.nan_to_num`` (~10 µs of Python
per call); here the table is read as one 32-bit word per colour and NaN is replaced in place.
"""
from __future__ import annotations

import numpy as np

from nnviz.app import theme

_words: dict[int, np.ndarray] = {}


def _lut_words(scale) -> np.ndarray:
    w = _words.get(id(scale))
    if w is None:
        w = _words[id(scale)] = np.ascontiguousarray(scale.lut).view(np.uint32).reshape(-1)
    return w


def rgba(scale, values, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """``scale.rgba(values, lo, hi)``: RGBA uint8 of shape ``values.shape + (4,)``."""
    lo = scale.lo if lo is None else lo
    hi = scale.hi if hi is None else hi
    # float64: a diverging net's values overflow float32; C order: read as 4 bytes per colour below
    k = np.subtract(values, lo, dtype=np.float64, order="C")
    k *= 255.0 / (hi - lo)
    np.clip(k, 0, 255, out=k)
    np.copyto(k, 127.5, where=np.isnan(k))
    idx = k.astype(np.uint8)
    return np.take(_lut_words(scale), idx, mode="wrap").view(np.uint8).reshape(idx.shape + (4,))   # (take: faster than [idx])


def index(scale, values) -> np.ndarray:
    """``scale.index(values)``: the colour step 0..N_STEPS-1 of every value (NaN: the middle)."""
    v = np.subtract(values, scale.lo, dtype=np.float64)
    np.copyto(v, (scale.hi - scale.lo) / 2, where=np.isnan(v))
    v *= (theme.N_STEPS - 1) / (scale.hi - scale.lo)
    np.rint(v, out=v)
    np.clip(v, 0, theme.N_STEPS - 1, out=v)
    return v.astype(np.intp)


def rgba_layers(scales, values) -> np.ndarray:
    """``rgba(scales[k], values[k])`` of several arrays of one shape (e.g. every layer's
    heatmaps), stacked along the first axis, in one pass: one conversion for all, one table
    look-up per run of layers on the same scale (the float scratch is kept between calls)."""
    n = [len(v) for v in values]
    shape = (sum(n),) + np.shape(values[0])[1:]
    k = _scratch.get(shape)
    if k is None:
        _scratch.clear()
        k = _scratch[shape] = np.empty(shape, dtype=np.float64)
    runs, a = [], 0
    for scale, v, m in zip(scales, values, n):
        part = k[a:a + m]
        np.subtract(v, scale.lo, out=part, dtype=np.float64)
        part *= 255.0 / (scale.hi - scale.lo)
        if runs and runs[-1][0] is scale:
            runs[-1][2] = a + m
        else:
            runs.append([scale, a, a + m])
        a += m
    np.clip(k, 0, 255, out=k)
    if np.isnan(np.add.reduce(k, axis=None)):   # (clipped: the sum is NaN only with a NaN)
        np.copyto(k, 127.5, where=np.isnan(k))
    idx = k.astype(np.uint8)
    out = np.empty(shape, dtype=np.uint32)
    for scale, a, b in runs:
        np.take(_lut_words(scale), idx[a:b], out=out[a:b], mode="wrap")   # (uint8 into 256: never wraps)
    return out.view(np.uint8).reshape(shape + (4,))


_scratch: dict = {}


class SpotIndex:
    """:func:`index` of every neuron drawn as a spot at once (each layer on its own scale; a
    layer without values keeps the neutral middle step). ``scales[k]`` belongs to ``layers[k]``
    of sizes ``sizes[k]``; ``offsets[k]`` is added to its steps (where its brushes start)."""

    def __init__(self, sizes, scales, offsets, neutral: int):
        ends = np.cumsum(sizes)
        self.slices = [slice(int(e - n), int(e)) for e, n in zip(ends, sizes)]
        rep = lambda f: np.repeat([f(s) for s in scales], sizes).astype(np.float64)   # noqa: E731
        self._lo = rep(lambda s: s.lo)
        self._half = rep(lambda s: (s.hi - s.lo) / 2)
        self._factor = rep(lambda s: (theme.N_STEPS - 1) / (s.hi - s.lo))
        self._offset = np.repeat(offsets, sizes).astype(np.intp)
        self._buf = np.zeros(int(ends[-1]) if len(ends) else 0)
        self.neutral = neutral

    def ids(self, values) -> np.ndarray:
        """Steps of all spots from ``values[k]`` (flat, the layer's size) or None per layer."""
        missing = []
        for sl, v in zip(self.slices, values):
            if v is None:
                missing.append(sl)
            else:
                self._buf[sl] = v
        v = np.subtract(self._buf, self._lo)
        np.copyto(v, self._half, where=np.isnan(v))
        v *= self._factor
        np.rint(v, out=v)
        np.clip(v, 0, theme.N_STEPS - 1, out=v)
        ids = v.astype(np.intp)
        ids += self._offset
        for sl in missing:
            ids[sl] = self.neutral
        return ids
