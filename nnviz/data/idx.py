"""Read MNIST-style IDX files (raw or gzip-compressed) without making float copies.

IDX format (all header integers big-endian ``uint32``):

* images: magic 2051, count, rows, cols, then ``count * rows * cols`` ``uint8`` pixels;
* labels: magic 2049, count, then ``count`` ``uint8`` labels.

The arrays come straight from the file bytes with :func:`numpy.frombuffer`, so they are
``uint8`` and **read-only** (copy a slice before changing it in place).
"""
from __future__ import annotations

import gzip
import io
import struct
import zlib
from pathlib import Path

import numpy as np

from nnviz.core.errors import DataError
from nnviz.core.memory import available_bytes, fmt_bytes
from nnviz.data.base import Dataset

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

#: Fashion-MNIST's class names (label 0 is "T-shirt/top").
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

DESCRIPTIONS = {
    "mnist": "MNIST handwritten digits 0-9, 28x28 grey images, 60 000 train / 10 000 test",
    "fashion-mnist": "Fashion-MNIST clothing pictures in 10 classes, 28x28 grey, 60 000 / 10 000",
}


def read_bytes(path: Path) -> bytes | bytearray:
    """The file's content, gunzipped if it starts with the gzip signature."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, available_bytes() // 2)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"{path}: damaged gzip file ({exc}); download it again") from None
        except OverflowError:
            raise DataError(f"{path}: expands to more than {fmt_bytes(available_bytes() // 2)}, "
                            f"more than the memory that is free") from None
    return data


def _gunzip(data: bytes, limit: int) -> bytearray:
    """``gzip.decompress`` that stops (``OverflowError``) once the output passes ``limit``.

    Returns the growing buffer itself: turning 47 MB into ``bytes`` is one copy that holds the
    GIL for tens of milliseconds (the window's event loop stalls while the loader thread reads
    MNIST)."""
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
        while block := f.read(1 << 22):
            out += block
            if len(out) > limit:
                raise OverflowError
    return out


def _header(path: Path, data: bytes, magic: int, n_ints: int) -> tuple[int, ...]:
    """Check the magic number and return the ``n_ints`` header integers after it."""
    kind = "image" if magic == IMAGES_MAGIC else "label"
    found = struct.unpack(">I", data[:4])[0] if len(data) >= 4 else None
    if found is not None and found != magic:
        other = {IMAGES_MAGIC: "an image file", LABELS_MAGIC: "a label file"}.get(found)
        hint = f"it is {other}" if other else "not an IDX file, or a damaged one"
        raise DataError(f"{path}: wrong magic number {found} (expected {magic} for an "
                        f"IDX {kind} file; {hint})")
    size = 4 * (1 + n_ints)
    if len(data) < size:
        raise DataError(f"{path}: only {len(data)} bytes, too short for an IDX {kind} "
                        f"header ({size} bytes)")
    return struct.unpack(f">{n_ints}I", data[4:size])


def read_images(path: Path) -> tuple[np.ndarray, tuple[int, int]]:
    """Read an IDX image file.

    Returns
    -------
    images : ndarray of uint8, shape (count, rows * cols)
        One flattened image per row (read-only view of the file bytes).
    image_shape : tuple of int
        ``(rows, cols)``.
    """
    data = read_bytes(path)
    count, rows, cols = _header(path, data, IMAGES_MAGIC, 3)
    if rows == 0 or cols == 0:
        raise DataError(f"{path}: header says images are {rows}x{cols}; expected e.g. 28x28")
    expected = count * rows * cols
    got = len(data) - 16
    if got != expected:
        what = "truncated" if got < expected else "has extra bytes"
        raise DataError(f"{path}: {what}: header says {count} images of {rows}x{cols} "
                        f"= {expected} bytes of pixels, file has {got}; download it again")
    images = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    images.flags.writeable = False  # (gunzipped files arrive in a writable buffer)
    return images, (rows, cols)


def read_labels(path: Path, n_classes: int | None = None) -> np.ndarray:
    """Read an IDX label file.

    Parameters
    ----------
    n_classes : int, optional
        When given, every label must be below it.

    Returns
    -------
    ndarray of uint8, shape (count,)
        Read-only view of the file bytes.
    """
    data = read_bytes(path)
    (count,) = _header(path, data, LABELS_MAGIC, 1)
    got = len(data) - 8
    if got != count:
        what = "truncated" if got < count else "has extra bytes"
        raise DataError(f"{path}: {what}: header says {count} labels, file has {got}")
    labels = np.frombuffer(data, dtype=np.uint8, offset=8)
    labels.flags.writeable = False
    if n_classes is not None and count and int(labels.max()) >= n_classes:
        bad = int(np.argmax(labels >= n_classes))
        raise DataError(f"{path}: label {int(labels[bad])} at index {bad} is out of range "
                        f"0..{n_classes - 1}")
    return labels


def read_pair(images_path: Path, labels_path: Path,
              n_classes: int | None = None) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """Read matching image and label files.

    Returns
    -------
    x : ndarray of uint8, shape (n, rows * cols)
    y : ndarray of uint8, shape (n,)
    image_shape : tuple of int
    """
    x, shape = read_images(images_path)
    y = read_labels(labels_path, n_classes)
    if len(x) != len(y):
        raise DataError(f"{images_path} has {len(x)} images but {labels_path} has {len(y)} "
                        f"labels; they must come from the same set")
    return x, y, shape


def labels_path_for(images_path: Path) -> Path:
    """The label file that goes with an image file (same folder, ``.gz`` or not).

    ``train-images-idx3-ubyte.gz`` → ``train-labels-idx1-ubyte.gz`` (or without ``.gz``).
    """
    images_path = Path(images_path)
    stem = images_path.name.replace("images", "labels").replace("idx3", "idx1")
    if stem == images_path.name:
        raise DataError(f"{images_path}: cannot tell the label file's name (expected a name "
                        f"like train-images-idx3-ubyte.gz)")
    base = stem.removesuffix(".gz")
    for name in (stem, base, base + ".gz"):
        path = images_path.with_name(name)
        if path.is_file():
            return path
    raise DataError(f"{images_path}: its label file {base}[.gz] is not beside it")


def folder_files(folder: Path) -> list[Path]:
    """The 4 IDX files of a folder (train images, train labels, test images, test labels).

    Each may be ``.gz`` or gunzipped. Raises :class:`DataError` naming what is missing.
    """
    from nnviz.data.locate import FILES

    folder = Path(folder)
    found, missing = [], []
    for filename in FILES:
        for candidate in (filename, filename.removesuffix(".gz")):
            if (folder / candidate).is_file():
                found.append(folder / candidate)
                break
        else:
            missing.append(filename)
    if missing:
        raise DataError(f"{folder}: missing {', '.join(missing)} (or the same without .gz)")
    return found


def load_idx_folder(folder: Path, *, known: str | None = None, scaling: str = "unit",
                    files: list[Path] | None = None) -> Dataset:
    """Load a folder of 4 IDX files as a :class:`Dataset`.

    Parameters
    ----------
    folder : Path
        Folder holding ``train-images-idx3-ubyte[.gz]`` and the 3 others.
    known : str, optional
        ``"mnist"`` or ``"fashion-mnist"`` when the checksums said so: gives the name, the
        class names and a 10-class check. Otherwise the folder's name is used and the classes
        are counted from the labels.
    scaling : str
        ``"unit"`` (x / 255) or ``"seed"`` (x / 255 * 0.99 + 0.01).
    files : list of Path, optional
        The 4 files, if already found (see :func:`nnviz.data.locate.verified_files`).

    Returns
    -------
    Dataset
        ``x_train`` uint8 (n_train, rows*cols), ``y_train`` int64 (n_train,), same for test.
    """
    folder = Path(folder)
    train_x_path, train_y_path, test_x_path, test_y_path = files or folder_files(folder)
    n_classes = 10 if known else None
    x_train, y_train, shape = read_pair(train_x_path, train_y_path, n_classes)
    x_test, y_test, test_shape = read_pair(test_x_path, test_y_path, n_classes)
    if test_shape != shape:
        raise DataError(f"{test_x_path}: images are {test_shape[0]}x{test_shape[1]} but the "
                        f"training images are {shape[0]}x{shape[1]}")
    description = DESCRIPTIONS[known] if known else f"IDX images from {folder}"
    return _idx_dataset(known or folder.name, x_train, y_train, x_test, y_test, shape,
                        scaling, description, known)


def load_idx_file(images_path: Path, *, scaling: str = "unit", train_ratio: float = 0.8,
                  seed: int = 0) -> Dataset:
    """Load one IDX image file and its label file beside it, split by ``train_ratio``.

    The split uses a shuffle seeded by ``seed``; the pixel arrays stay ``uint8``.
    """
    from nnviz.data.csvdata import split_indices

    images_path = Path(images_path)
    x, y, shape = read_pair(images_path, labels_path_for(images_path))
    train, test = split_indices(len(x), train_ratio, seed)
    return _idx_dataset(images_path.name, x[train], y[train], x[test], y[test], shape, scaling,
                        f"IDX images from {images_path}")


def _idx_dataset(name: str, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                 y_test: np.ndarray, shape: tuple[int, int], scaling: str,
                 description: str, known: str | None = None) -> Dataset:
    """Wrap IDX arrays in a Dataset: int64 labels, class names for the known sets."""
    n_classes = 10 if known else _count_classes(name, y_train, y_test)
    return Dataset(
        name=name, x_train=x_train, y_train=y_train.astype(np.int64), x_test=x_test,
        y_test=y_test.astype(np.int64), n_classes=n_classes, scaling=scaling,
        image_shape=shape, class_names=list(FASHION_CLASSES) if known == "fashion-mnist" else [],
        feature_names=[f"p{i}" for i in range(shape[0] * shape[1])],
        description=description)


def _count_classes(name: str, *labels: np.ndarray) -> int:
    n = 1 + max((int(y.max()) for y in labels if len(y)), default=0)
    if n < 2:
        raise DataError(f"{name}: every label is 0; a classifier needs at least two classes")
    return n
