"""Picture files (PNG, JPEG, BMP, SVG, anything Qt reads) as small grey NumPy arrays.

Only ``QtGui.QImage``/``QImageReader`` are used, which need no ``QApplication``, so the
headless ``nnviz classify`` can decode pictures too.

A picture is never decoded at full size when it is big: its declared size is read first,
and it is decoded scaled to at most :data:`MAX_SIDE` pixels on its long side (JPEG decodes
scaled, an SVG is rendered at that size). A format that can only decode at full size (PNG,
BMP, GIF…) may use at most :data:`MAX_DECODE_BYTES` for it; a bigger one is refused as too
big before anything is allocated; it is then shrunk in bands of rows. So any picture costs
well under 300 MB.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from nnviz.core.errors import DataError
from nnviz.core.filekind import check_file
from nnviz.i18n import N_

#: Suffixes taken from a folder (single files of any name are tried anyway).
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm", ".pbm", ".svg")

#: The long side of a decoded picture, at most (a digit becomes 20×20 pixels in the end).
MAX_SIDE = 512
#: Memory a picture may take while it is decoded at full size (the decoder's own image).
MAX_DECODE_BYTES = 128 * 1024 ** 2
#: Formats drawn at any size (their declared size costs nothing).
VECTOR_FORMATS = (b"svg", b"svgz")

TOO_BIG = N_("{path}: the picture is too big ({width}×{height} pixels, about {mb} MB to "
             "decode); nnviz reads pictures up to {max_mb} MB decoded: make it smaller")
NOT_A_PICTURE = N_("{path}: not a picture nnviz can read ({reason}); use PNG, JPEG, BMP or SVG")
NO_MEMORY = N_("{path}: the picture is too big to decode in the memory that is free; make it "
               "smaller")


class ImageFileError(DataError):
    """A file that cannot be read as a picture."""


def _grey_band(part: QImage, alpha: bool) -> np.ndarray:
    rgba = part.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = rgba.height(), rgba.width()
    bpl = rgba.bytesPerLine()
    buf = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=bpl * h)
    p = buf.reshape(h, bpl)[:, :w * 4].reshape(h, w, 4).astype(np.float32)
    g = p[..., 0] * 0.299 + p[..., 1] * 0.587 + p[..., 2] * 0.114
    if alpha:
        a = p[..., 3] / 255.0
        g = g * a + 255.0 * (1.0 - a)
    return g


def qimage_to_grey(image: QImage, max_side: int | None = None) -> np.ndarray:
    """A ``QImage`` as float32 (h, w) grey values 0..255; transparency counts as white paper.

    With ``max_side``, a bigger image is shrunk by averaging blocks of pixels so that its long
    side is at most ``max_side``. The image is converted in bands of rows, so no full-size copy
    of it is ever made.
    """
    h, w = image.height(), image.width()
    if h == 0 or w == 0:
        return np.zeros((h, w), np.float32)
    f = 1 if not max_side else max(1, -(-max(h, w) // max_side))
    out = np.empty((-(-h // f), -(-w // f)), np.float32)
    alpha = image.hasAlphaChannel()
    band = f * max(1, 256 // f)  # rows per band: whole blocks
    for top in range(0, h, band):
        g = _grey_band(image.copy(0, top, w, min(band, h - top)), alpha)
        if f > 1:
            bh, bw = -(-g.shape[0] // f) * f, -(-w // f) * f
            g = np.pad(g, ((0, bh - g.shape[0]), (0, bw - w)), mode="edge")
            g = g.reshape(bh // f, f, bw // f, f).mean(axis=(1, 3))
        out[top // f:top // f + len(g)] = g
    return out


def grey_to_qimage(grey: np.ndarray) -> QImage:
    """A (h, w) array of 0..255 as an 8-bit grey ``QImage`` (a copy that owns its pixels)."""
    arr = np.ascontiguousarray(np.clip(np.rint(grey), 0, 255).astype(np.uint8))
    h, w = arr.shape
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def _bytes_per_pixel(fmt: QImage.Format) -> float:
    if fmt == QImage.Format.Format_Invalid:
        return 4.0
    return max(1, QImage(1, 1, fmt).depth()) / 8.0


def decodes_scaled(reader: QImageReader) -> bool:
    """Whether ``reader`` decodes straight at a smaller size (SVG, JPEG); any other format is
    decoded whole, and Qt would scale it through a full 32-bit copy."""
    fmt = bytes(reader.format()).lower()
    return fmt in VECTOR_FORMATS or (fmt in (b"jpeg", b"jpg") and reader.supportsOption(
        QImageIOHandler.ImageOption.ScaledSize))


def decode_cost(reader: QImageReader, size: QSize) -> int:
    """Bytes the decoder allocates for a picture of declared ``size`` read by ``reader``."""
    fmt = bytes(reader.format()).lower()
    if fmt in VECTOR_FORMATS:
        return 0
    pixels = size.width() * size.height()
    if decodes_scaled(reader):
        pixels //= 64  # libjpeg decodes at down to 1/8 of each side
    return int(pixels * _bytes_per_pixel(reader.imageFormat()))


def read_picture(path: str | Path, max_side: int = MAX_SIDE) -> QImage:
    """Decode a picture file; a format that can (SVG, JPEG) decodes scaled down to at most
    ``max_side`` pixels on its long side, any other at its size (at most
    :data:`MAX_DECODE_BYTES`).

    Raises :class:`ImageFileError` naming the file when it is not a file, not a picture or
    too big to decode.
    """
    path = check_file(path, ImageFileError)
    reader = QImageReader(str(path))
    size = reader.size()  # read from the header; nothing is decoded yet
    if size.isValid() and not size.isEmpty():
        cost = decode_cost(reader, size)
        if cost > MAX_DECODE_BYTES:
            raise ImageFileError(TOO_BIG, path=str(path), width=size.width(),
                                 height=size.height(), mb=round(cost / 1024 ** 2),
                                 max_mb=MAX_DECODE_BYTES // 1024 ** 2)
        if max(size.width(), size.height()) > max_side and decodes_scaled(reader):
            reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    try:
        image = reader.read()
    except MemoryError:
        raise ImageFileError(NO_MEMORY, path=str(path)) from None
    if image.isNull():
        reason = reader.errorString()
        if "limit" in reason.lower() or "too large" in reason.lower():
            raise ImageFileError(NO_MEMORY, path=str(path))
        raise ImageFileError(NOT_A_PICTURE, path=str(path), reason=reason)
    return image


def read_grey(path: str | Path, max_side: int = MAX_SIDE) -> np.ndarray:
    """Decode a picture file to float32 (h, w) grey values 0..255, at most ``max_side`` pixels
    on its long side (see :func:`read_picture`)."""
    try:
        return qimage_to_grey(read_picture(path, max_side), max_side)
    except MemoryError:
        raise ImageFileError(NO_MEMORY, path=str(path)) from None


def picture_files(folder: str | Path) -> list[Path]:
    """The picture files directly inside ``folder``, sorted by name."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
