"""Random distortions of training images, drawn fresh for every batch, so a network trained on
MNIST also reads digits people draw (bigger, slanted, thicker, off-centre).

Each image gets one affine warp (rotation, scale, shear and shift together, sampled
bilinearly, vectorised over the batch) and a random stroke thickness (grey dilation or
erosion, blended by a random amount so the change is less than one pixel). Everything is drawn
from the ``numpy.random.Generator`` passed in, so a seed gives the same images every run.

Coordinates: ``(row, col)`` with row 0 at the top, the centre of an ``h × w`` image at
``((h - 1) / 2, (w - 1) / 2)``; a positive rotation turns the picture anticlockwise as it is
seen, like :func:`numpy.rot90`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

from nnviz.core.errors import N_, DataError
from nnviz.data.files import short

#: Images warped at once: bounds the float32 temporaries (about 20 arrays of chunk × pixels).
_CHUNK = 2048


@dataclass(frozen=True)
class AugmentOptions:
    """Ranges of the random distortions (each drawn uniformly per image).

    rotation : degrees, ± this.
    scale : the factor lies in ``[1 - scale, 1 + scale]``.
    shear : horizontal shear factor (x += shear · y), ± this.
    shift : pixels, ± this in each direction.
    thickness : stroke change in [-thickness, +thickness]; 1 = a full 3×3 dilation
        (negative: erosion).
    """

    rotation: float = 12.0
    scale: float = 0.12
    shear: float = 0.2
    shift: float = 2.0
    thickness: float = 0.6

    @classmethod
    def from_dict(cls, d: dict | None) -> "AugmentOptions":
        d = dict(d or {})
        valid = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - valid)
        if unknown:
            raise DataError(N_("unknown augmentation option(s) {unknown}; valid: {valid}"),
                            unknown=', '.join(unknown), valid=', '.join(sorted(valid)))
        try:
            opts = cls(**{k: float(v) for k, v in d.items()})
        except (TypeError, ValueError):
            raise DataError(N_("augmentation options must be numbers, got {d}"), d=d) from None
        if min(asdict(opts).values()) < 0 or opts.scale >= 1:
            raise DataError(N_("augmentation ranges must be ≥ 0 (scale below 1), got {opts}"),
                            opts=asdict(opts))
        return opts


def affine_matrices(n: int, rng: np.random.Generator, opts: AugmentOptions) -> np.ndarray:
    """``n`` random 2×3 matrices mapping an output pixel (about the centre) to its source."""
    angle = np.deg2rad(rng.uniform(-opts.rotation, opts.rotation, n))
    scale = rng.uniform(1 - opts.scale, 1 + opts.scale, n)
    shear = rng.uniform(-opts.shear, opts.shear, n)
    shift = rng.uniform(-opts.shift, opts.shift, (n, 2))
    return compose(angle, scale, shear, shift)


def compose(angle, scale, shear, shift) -> np.ndarray:
    """2×3 inverse-map matrices (``[[dr/dr, dr/dc, r0], [dc/dr, dc/dc, c0]]``) for arrays of
    anticlockwise ``angle`` (radians), ``scale``, ``shear`` and ``shift`` (rows, cols)."""
    angle, scale, shear = (np.atleast_1d(np.asarray(a, dtype=np.float64)) for a in (angle, scale, shear))
    shift = np.asarray(shift, dtype=np.float64).reshape(-1, 2)
    n = len(angle)
    cos, sin = np.cos(angle), np.sin(angle)
    # forward map in (x = col, y = row) about the centre: shear, scale, rotate, shift
    fwd = np.zeros((n, 2, 2))
    fwd[:, 0, 0], fwd[:, 0, 1] = cos, sin            # x' = cos·x + sin·y (y points down)
    fwd[:, 1, 0], fwd[:, 1, 1] = -sin, cos           # y' = -sin·x + cos·y
    fwd = fwd * scale[:, None, None]
    sh = np.zeros((n, 2, 2))
    sh[:, 0, 0] = sh[:, 1, 1] = 1.0
    sh[:, 0, 1] = shear
    fwd = fwd @ sh
    inv_xy = np.linalg.inv(fwd)
    # into (row, col) order: swap both axes
    inv = inv_xy[:, ::-1, ::-1]
    out = np.zeros((n, 2, 3))
    out[:, :, :2] = inv
    out[:, :, 2] = -np.einsum("nij,nj->ni", inv, shift)
    return out


def warp(images: np.ndarray, matrices: np.ndarray) -> np.ndarray:
    """Bilinear inverse warp of ``images`` (n, h, w) by ``matrices`` (n, 2, 3); outside is 0.

    Returns float32 (n, h, w).
    """
    n, h, w = images.shape
    cr, cc = (h - 1) / 2.0, (w - 1) / 2.0
    rr, cc_ = np.meshgrid(np.arange(h, dtype=np.float32) - cr, np.arange(w, dtype=np.float32) - cc,
                          indexing="ij")
    rr, cc_ = rr.ravel(), cc_.ravel()
    m = matrices.astype(np.float32)
    src_r = m[:, 0, 0, None] * rr + m[:, 0, 1, None] * cc_ + (m[:, 0, 2, None] + np.float32(cr))
    src_c = m[:, 1, 0, None] * rr + m[:, 1, 1, None] * cc_ + (m[:, 1, 2, None] + np.float32(cc))
    # a source far outside lands on the zero border with weight 1 (clipped to -1 or h)
    np.clip(src_r, -1, h, out=src_r)
    np.clip(src_c, -1, w, out=src_c)
    r0, c0 = np.floor(src_r), np.floor(src_c)
    fr, fc = src_r - r0, src_c - c0
    # the image sits at [1:h+1, 1:w+1] of a zero frame, so every neighbour index is valid
    wp = w + 3
    padded = np.zeros((n, h + 3, wp), dtype=np.float32)
    padded[:, 1:h + 1, 1:w + 1] = images
    idx = (r0.astype(np.intp) + 1) * wp + (c0.astype(np.intp) + 1)
    idx += (np.arange(n, dtype=np.intp) * ((h + 3) * wp))[:, None]
    flat = padded.ravel()
    top = flat[idx]
    top += fc * (flat[idx + 1] - top)
    idx += wp
    bottom = flat[idx]
    bottom += fc * (flat[idx + 1] - bottom)
    top += fr * (bottom - top)
    return top.reshape(n, h, w)


def _dilate(images: np.ndarray, sign: float) -> np.ndarray:
    """3×3 cross grey dilation (``sign`` 1) or erosion (``sign`` -1) of float (n, h, w)."""
    pick = np.maximum if sign > 0 else np.minimum
    out = images.copy()
    if sign < 0:  # outside the image counts as background for erosion
        out[:, 0, :] = out[:, -1, :] = out[:, :, 0] = out[:, :, -1] = 0
    pick(out[:, 1:], images[:, :-1], out=out[:, 1:])
    pick(out[:, :-1], images[:, 1:], out=out[:, :-1])
    pick(out[:, :, 1:], images[:, :, :-1], out=out[:, :, 1:])
    pick(out[:, :, :-1], images[:, :, 1:], out=out[:, :, :-1])
    return out


def thickness(images: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Strokes thicker (``amount`` > 0) or thinner (< 0), per image, |amount| ≤ 1 of a pixel."""
    amount = np.asarray(amount, dtype=np.float32).reshape(-1, 1, 1)
    img = images.astype(np.float32, copy=False)
    out = img.copy()
    if (amount > 0).any():
        out += np.maximum(amount, 0) * (_dilate(img, 1) - img)
    if (amount < 0).any():
        out += np.maximum(-amount, 0) * (_dilate(img, -1) - img)
    return out


def augment_images(x: np.ndarray, rng: np.random.Generator, shape: tuple[int, int],
                   opts: AugmentOptions | None = None) -> np.ndarray:
    """Randomly distorted copies of the flattened images ``x`` (n, h·w), same shape and dtype."""
    opts = opts or AugmentOptions()
    x = np.asarray(x)
    n = len(x)
    h, w = shape
    if x.ndim != 2 or x.shape[1] != h * w:
        raise DataError(N_("augmentation needs images of {h}x{w} = {value} pixels a row, got "
                           "{shape}"),
                        h=h, w=w, value=h * w, shape=x.shape)
    out = np.empty_like(x)
    hi = float(np.iinfo(x.dtype).max) if np.issubdtype(x.dtype, np.integer) else None
    for s in range(0, n, _CHUNK):
        part = x[s:s + _CHUNK].reshape(-1, h, w)
        k = len(part)
        mats = affine_matrices(k, rng, opts)
        amount = rng.uniform(-opts.thickness, opts.thickness, k)
        img = warp(thickness(part, amount), mats).reshape(k, h * w)
        if hi is not None:
            img = np.clip(np.rint(img), 0, hi)
        out[s:s + k] = img
    return out


class Augmenter:
    """``augmenter(x_raw_batch, rng)`` → distorted batch; the hook :class:`~nnviz.core.training.Trainer`
    calls on the raw training inputs of every batch (before the input scaling)."""

    def __init__(self, shape: tuple[int, int], options: AugmentOptions | dict | None = None):
        self.shape = tuple(shape)
        self.options = options if isinstance(options, AugmentOptions) else AugmentOptions.from_dict(options)

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return augment_images(x, rng, self.shape, self.options)

    def __repr__(self) -> str:
        return f"Augmenter({self.shape}, {self.options})"


def augmenter_for(data, options: dict | None = None) -> Augmenter:
    """An :class:`Augmenter` for an image dataset; a clear error for other data."""
    shape = getattr(data, "image_shape", None)
    if not shape:
        raise DataError(N_("augmentation distorts images, but {data} is not an image dataset"),
                        data=short(getattr(data, 'name', 'this data')))
    return Augmenter(shape, options)
