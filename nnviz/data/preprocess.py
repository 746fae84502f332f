"""Turn any picture of a digit into a 28×28 image the way MNIST's makers did.

MNIST's digits were cropped to their ink, scaled so the longer side is 20 px (keeping the
aspect ratio, anti-aliased), and placed in a 28×28 field so that their centre of mass sits at
the field's centre. A network trained on MNIST expects exactly that, so a drawing or a photo
goes through the same steps here (each can be switched off to see why it matters):

1. ``crop``   — cut to the bounding box of the ink (off: the whole picture is the box);
2. ``resize`` — longer side of the box to 20 px by area averaging (off: the picture is reduced
   to 28 px as a whole, so a small drawing stays small);
3. ``centre`` — shift so the centre of mass is at :data:`CENTRE` (off: the box stays where it
   was in the picture);
4. the model's input scaling (:func:`scale_inputs`, the same as :meth:`Dataset.inputs`).

Convention: pixel ``(r, c)`` has its centre at row ``r``, column ``c`` (0-based, row 0 at the
top), and the centre of mass is ``Σ v·r / Σ v``. MNIST's own test images have their centre of
mass at (13.99, 14.01) on average in these coordinates (± 0.29), so :data:`CENTRE` is (14, 14),
not the geometric centre (13.5, 13.5). Images here are float arrays with ink bright: 0 is
background, 255 full ink (MNIST's ``uint8`` values).
"""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import N_, DataError

SIZE = 28           #: side of the field
BOX = 20            #: longer side of the digit after resizing
CENTRE = (14.0, 14.0)  #: where the centre of mass goes (row, col), MNIST's own
INK_LEVEL = 16.0    #: a picture whose ink is fainter than this (of 255) counts as empty


class NoInkError(DataError):
    """The picture holds no ink (blank canvas, empty or uniform image)."""


# -- steps ------------------------------------------------------------------------------------
def ink_image(grey: np.ndarray) -> np.ndarray:
    """A grey picture (0..255, any polarity) as ink-bright float32 on a zero background.

    The border pixels tell the background: if they are mostly light, the picture is dark ink
    on light paper and is inverted. The background level is subtracted and the ink stretched
    so its darkest stroke is 255 (a pencil photo reads like MNIST's full-contrast digits).
    Raises :class:`NoInkError` when nothing stands out from the background.
    """
    g = np.asarray(grey, dtype=np.float32)
    if g.ndim != 2 or g.size == 0:
        raise DataError(N_("a picture must be a 2-D grey image, got shape {shape}"), shape=g.shape)
    border = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
    background = float(np.median(border))
    ink = background - g if background > 127.5 else g - background
    np.clip(ink, 0, None, out=ink)
    peak = float(ink.max())
    if peak < INK_LEVEL:
        raise NoInkError(N_("no ink: the picture is blank (nothing differs from its background)"))
    ink *= np.float32(255.0 / peak)
    ink[ink < np.float32(0.1 * 255)] = 0  # paper grain and JPEG noise are not ink
    return ink


def bounding_box(img: np.ndarray) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` of the non-zero pixels (bottom/right exclusive)."""
    rows = np.flatnonzero(img.any(axis=1))
    cols = np.flatnonzero(img.any(axis=0))
    if not len(rows):
        raise NoInkError(N_("no ink: the picture is blank"))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def centre_of_mass(img: np.ndarray) -> tuple[float, float]:
    """``(row, col)`` of the intensity-weighted mean position (pixel centres at integers)."""
    img = np.asarray(img, dtype=np.float64)
    total = img.sum()
    if total <= 0:
        raise NoInkError(N_("no ink: the picture is blank"))
    r = (img.sum(axis=1) @ np.arange(img.shape[0])) / total
    c = (img.sum(axis=0) @ np.arange(img.shape[1])) / total
    return float(r), float(c)


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix: each output pixel is the mean of the input it covers (exact
    fractional overlaps), so resizing is area averaging in both directions."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    px = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, px + 1) - np.maximum(lo, px), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize_area(img: np.ndarray, height: int, width: int) -> np.ndarray:
    """``img`` resized to ``height × width`` by area averaging (anti-aliased, sums preserved
    per area)."""
    img = np.asarray(img, dtype=np.float64)
    # einsum's own loop, not BLAS: a multi-threaded BLAS on a busy machine turns this tiny
    # product into a long wait for its threads
    rows = np.einsum("ij,jk->ik", _area_weights(img.shape[0], height), img)
    return np.einsum("ij,kj->ik", rows, _area_weights(img.shape[1], width))


def to_mnist(img: np.ndarray, *, crop: bool = True, resize: bool = True,
             centre: bool = True) -> np.ndarray:
    """An ink-bright picture (0..255, see :func:`ink_image`) as a 28×28 float32 MNIST image.

    Raises :class:`NoInkError` for a blank picture.
    """
    img = np.asarray(img, dtype=np.float64)
    if img.ndim != 2 or img.size == 0:
        raise DataError(N_("a picture must be a 2-D grey image, got shape {shape}"),
                        shape=img.shape)
    if float(img.max(initial=0)) <= 0:
        raise NoInkError(N_("no ink: the picture is blank"))
    H, W = img.shape
    top, bottom, left, right = bounding_box(img) if crop else (0, H, 0, W)
    box = img[top:bottom, left:right]
    h, w = box.shape
    factor = BOX / max(h, w) if resize else SIZE / max(H, W)
    nh = min(SIZE, max(1, round(h * factor)))
    nw = min(SIZE, max(1, round(w * factor)))
    small = resize_area(box, nh, nw)
    if centre:
        cr, cc = centre_of_mass(small)
        r0, c0 = round(CENTRE[0] - cr), round(CENTRE[1] - cc)
    else:  # where the box's centre was in the picture, on the 28-px field
        r0 = round((top + bottom) / 2 * SIZE / H - nh / 2)
        c0 = round((left + right) / 2 * SIZE / W - nw / 2)
    r0 = min(max(r0, 0), SIZE - nh)  # clipped: the digit never leaves the field
    c0 = min(max(c0, 0), SIZE - nw)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    out[r0:r0 + nh, c0:c0 + nw] = np.clip(small, 0, 255)
    return out


def scale_inputs(x: np.ndarray, scaling: str = "unit", dtype=np.float32) -> np.ndarray:
    """0..255 pixels to network inputs, as :meth:`nnviz.data.base.Dataset.inputs` does:
    ``"unit"`` x/255, ``"seed"`` x/255·0.99 + 0.01, ``"none"`` as they are."""
    from nnviz.data.base import Dataset

    probe = Dataset("pixels", np.zeros((0, 1)), np.zeros(0), np.zeros((0, 1)), np.zeros(0),
                    scaling=scaling)
    return probe.inputs(x, dtype=dtype)


def preprocess(picture: np.ndarray, *, scaling: str = "unit", crop: bool = True,
               resize: bool = True, centre: bool = True, polarity: bool = False) -> np.ndarray:
    """A picture → one network input row (1, 784): :func:`to_mnist` then :func:`scale_inputs`.

    ``polarity``: first run :func:`ink_image` (pictures from files: any polarity, any contrast);
    a canvas already gives ink-bright 0..255 images.
    """
    img = ink_image(picture) if polarity else picture
    return scale_inputs(to_mnist(img, crop=crop, resize=resize, centre=centre).reshape(1, -1),
                        scaling)
