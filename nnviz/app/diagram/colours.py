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
    return _lut_words(scale)[idx].view(np.uint8).reshape(idx.shape + (4,))


def index(scale, values) -> np.ndarray:
    """``scale.index(values)``: the colour step 0..N_STEPS-1 of every value (NaN: the middle)."""
    v = np.subtract(values, scale.lo, dtype=np.float64)
    np.copyto(v, (scale.hi - scale.lo) / 2, where=np.isnan(v))
    v *= (theme.N_STEPS - 1) / (scale.hi - scale.lo)
    np.rint(v, out=v)
    np.clip(v, 0, theme.N_STEPS - 1, out=v)
    return v.astype(np.intp)
