"""Picture files (PNG, JPEG, BMP, anything Qt reads) as grey NumPy arrays.

Only ``QtGui.QImage`` is used, which needs no ``QApplication``, so the headless
``nnviz classify`` can decode pictures too.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage, QImageReader

from nnviz.core.errors import DataError

#: Suffixes taken from a folder (single files of any name are tried anyway).
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm", ".pbm")


class ImageFileError(DataError):
    """A file that cannot be read as a picture."""


def qimage_to_grey(image: QImage) -> np.ndarray:
    """A ``QImage`` as float32 (h, w) grey values 0..255; transparency counts as white paper."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = rgba.height(), rgba.width()
    bpl = rgba.bytesPerLine()
    buf = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=bpl * h)
    px = buf.reshape(h, bpl)[:, :w * 4].reshape(h, w, 4).astype(np.float32)
    grey = px[..., 0] * 0.299 + px[..., 1] * 0.587 + px[..., 2] * 0.114
    if image.hasAlphaChannel():
        alpha = px[..., 3] / 255.0
        grey = grey * alpha + 255.0 * (1.0 - alpha)
    return grey


def grey_to_qimage(grey: np.ndarray) -> QImage:
    """A (h, w) array of 0..255 as an 8-bit grey ``QImage`` (a copy that owns its pixels)."""
    arr = np.ascontiguousarray(np.clip(np.rint(grey), 0, 255).astype(np.uint8))
    h, w = arr.shape
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def read_grey(path: str | Path) -> np.ndarray:
    """Decode a picture file to float32 (h, w) grey values 0..255.

    Raises :class:`ImageFileError` naming the file when it is missing or not a picture.
    """
    path = Path(path)
    if not path.is_file():
        raise ImageFileError(f"{path}: no such file")
    reader = QImageReader(str(path))
    image = reader.read()
    if image.isNull():
        raise ImageFileError(f"{path}: not a picture nnviz can read ({reader.errorString()}); "
                             f"use PNG, JPEG or BMP")
    return qimage_to_grey(image)


def picture_files(folder: str | Path) -> list[Path]:
    """The picture files directly inside ``folder``, sorted by name."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
