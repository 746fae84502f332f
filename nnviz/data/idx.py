"""Read MNIST-style IDX files (raw or gzip-compressed) without making float copies.

IDX format (all header integers big-endian ``uint32``):

* images: magic 2051, count, rows, cols, then ``count * rows * cols`` ``uint8`` pixels;
* labels: magic 2049, count, then ``count`` ``uint8`` labels.

The arrays come straight from the file bytes with :func:`numpy.frombuffer`, so they are
``uint8`` and **read-only** (copy a slice before changing it in place).
"""
from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError
from nnviz.core.memory import available_bytes, fmt_bytes
from nnviz.data.base import Dataset
from nnviz.data.files import open_regular, regular_file

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

#: Fashion-MNIST's class names (label 0 is "T-shirt/top").
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

DESCRIPTIONS = {
    "mnist": "MNIST handwritten digits 0-9, 28x28 grey images, 60 000 train / 10 000 test",
    "fashion-mnist": "Fashion-MNIST clothing pictures in 10 classes, 28x28 grey, 60 000 / 10 000",
}


#: Deflate's best ratio is about 1032 : 1; a gzip file claiming more than this is damaged.
MAX_GZIP_RATIO = 1100
#: The largest image side an IDX image file may declare (MNIST's is 28).
MAX_SIDE = 4096
_BLOCK = 1 << 22


def budget() -> int:
    """The most bytes one IDX file may unpack to: half of the memory that is free."""
    return available_bytes() // 2


def _kind(magic: int) -> str:
    return "image" if magic == IMAGES_MAGIC else "label"


def _check_magic(path: Path, head: bytes, magic: int, n_ints: int) -> tuple[int, ...]:
    """Check the magic number and return the ``n_ints`` header integers after it."""
    found = struct.unpack(">I", head[:4])[0] if len(head) >= 4 else None
    if found is not None and found != magic:
        if found == IMAGES_MAGIC:
            template = N_("{path}: wrong magic number {found} (expected {magic} for an IDX "
                          "{kind} file; it is an image file)")
        elif found == LABELS_MAGIC:
            template = N_("{path}: wrong magic number {found} (expected {magic} for an IDX "
                          "{kind} file; it is a label file)")
        else:
            template = N_("{path}: wrong magic number {found} (expected {magic} for an IDX "
                          "{kind} file; not an IDX file, or a damaged one)")
        raise DataError(template, path=str(path), found=found, magic=magic, kind=_kind(magic))
    size = 4 * (1 + n_ints)
    if len(head) < size:
        raise DataError(N_("{path}: only {n} bytes, too short for an IDX {kind} header ({size} "
                           "bytes)"), path=str(path), n=len(head), kind=_kind(magic), size=size)
    return struct.unpack(f">{n_ints}I", head[4:size])


def _read_exact(stream, n: int) -> bytes:
    out = b""
    while len(out) < n:
        block = stream.read(n - len(out))
        if not block:
            break
        out += block
    return out


def _read_idx(path: Path, magic: int, n_ints: int, payload) -> tuple[tuple[int, ...], np.ndarray]:
    """Header integers and the payload bytes (read-only uint8) of a raw or gzipped IDX file.

    Only the header is read before the checks: ``payload(header)`` gives the byte count the
    header declares (it raises for impossible headers), which must fit in :func:`budget`
    and, for a gzip file, in what its compressed size can hold; then the rest is streamed
    into one buffer of exactly that size.
    """
    path = Path(path)
    on_disk = regular_file(path)
    size = 4 * (1 + n_ints)
    with open_regular(path) as raw:
        try:
            gz = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if gz else raw
            header = _check_magic(path, _read_exact(stream, size), magic, n_ints)
            declared = payload(header)
            if declared > budget():
                raise DataError(N_("{path}: its header declares {size} of data, more than the "
                                   "memory that is free allows ({budget})"), path=str(path),
                                size=fmt_bytes(declared), budget=fmt_bytes(budget()))
            if gz and declared > MAX_GZIP_RATIO * on_disk + 4096:
                raise DataError(N_("{path}: its header declares {size} of data, more than a "
                                   "gzip file of {disk} can hold: the file is damaged or "
                                   "truncated; download it again"), path=str(path),
                                size=fmt_bytes(declared), disk=fmt_bytes(on_disk))
            if not gz and on_disk - size != declared:
                got, extra = max(0, on_disk - size), on_disk - size > declared
                buf = None
            else:
                buf = bytearray(declared)
                view, got = memoryview(buf), 0
                while got < declared:
                    n = stream.readinto(view[got:got + _BLOCK])
                    if not n:
                        break
                    got += n
                extra = got == declared and bool(stream.read(1))
        except (OSError, EOFError, zlib.error) as exc:
            if not gz:
                raise DataError(N_("{path}: cannot be read ({reason})"), path=str(path),
                                reason=getattr(exc, "strerror", None) or str(exc)) from None
            raise DataError(N_("{path}: damaged gzip file ({reason}); download it again"),
                            path=str(path), reason=str(exc)[:120]) from None
    if buf is None or got != declared or extra:
        return header, _Short(got, extra)
    data = np.frombuffer(buf, dtype=np.uint8)
    data.flags.writeable = False
    return header, data


class _Short:
    """What was found instead of the declared payload: ``got`` bytes, or more (``extra``)."""

    def __init__(self, got: int, extra: bool):
        self.got, self.extra = got, extra


def read_images(path: Path) -> tuple[np.ndarray, tuple[int, int]]:
    """Read an IDX image file.

    Returns
    -------
    images : ndarray of uint8, shape (count, rows * cols)
        One flattened image per row (read-only).
    image_shape : tuple of int
        ``(rows, cols)``.
    """
    def payload(header):
        count, rows, cols = header
        if rows == 0 or cols == 0 or rows > MAX_SIDE or cols > MAX_SIDE:
            raise DataError(N_("{path}: header says images are {rows}x{cols}; expected e.g. "
                               "28x28"), path=str(path), rows=rows, cols=cols)
        return count * rows * cols

    (count, rows, cols), data = _read_idx(path, IMAGES_MAGIC, 3, payload)
    if isinstance(data, _Short):
        expected = count * rows * cols
        if data.extra:
            raise DataError(N_("{path}: has extra bytes: header says {count} images of "
                               "{rows}x{cols} = {expected} bytes of pixels, the file has more; "
                               "download it again"), path=str(path), count=count, rows=rows,
                            cols=cols, expected=expected)
        raise DataError(N_("{path}: truncated: header says {count} images of {rows}x{cols} = "
                           "{expected} bytes of pixels, file has {got}; download it again"),
                        path=str(path), count=count, rows=rows, cols=cols, expected=expected,
                        got=data.got)
    return data.reshape(count, rows * cols), (rows, cols)


def read_labels(path: Path, n_classes: int | None = None) -> np.ndarray:
    """Read an IDX label file.

    Parameters
    ----------
    n_classes : int, optional
        When given, every label must be below it.

    Returns
    -------
    ndarray of uint8, shape (count,)
        Read-only.
    """
    (count,), labels = _read_idx(path, LABELS_MAGIC, 1, lambda header: header[0])
    if isinstance(labels, _Short):
        if labels.extra:
            raise DataError(N_("{path}: has extra bytes: header says {count} labels, the file "
                               "has more"), path=str(path), count=count)
        raise DataError(N_("{path}: truncated: header says {count} labels, file has {got}"),
                        path=str(path), count=count, got=labels.got)
    if n_classes is not None and count and int(labels.max()) >= n_classes:
        bad = int(np.argmax(labels >= n_classes))
        raise DataError(N_("{path}: label {label} at index {index} is out of range 0..{top}"),
                        path=str(path), label=int(labels[bad]), index=bad, top=n_classes - 1)
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
        raise DataError(N_("{images} has {n_images} images but {labels} has {n_labels} labels; "
                           "they must come from the same set"), images=str(images_path),
                        n_images=len(x), labels=str(labels_path), n_labels=len(y))
    return x, y, shape


def labels_path_for(images_path: Path) -> Path:
    """The label file that goes with an image file (same folder, ``.gz`` or not).

    ``train-images-idx3-ubyte.gz`` → ``train-labels-idx1-ubyte.gz`` (or without ``.gz``).
    """
    images_path = Path(images_path)
    stem = images_path.name.replace("images", "labels").replace("idx3", "idx1")
    if stem == images_path.name:
        raise DataError(N_("{images_path}: cannot tell the label file's name (expected a name "
                           "like train-images-idx3-ubyte.gz)"),
                        images_path=str(images_path))
    base = stem.removesuffix(".gz")
    for name in (stem, base, base + ".gz"):
        path = images_path.with_name(name)
        if path.is_file():
            return path
    raise DataError(N_("{images_path}: its label file {base}[.gz] is not beside it"),
                    images_path=str(images_path), base=base)


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
        raise DataError(N_("{folder}: missing {missing} (or the same without .gz)"),
                        folder=str(folder), missing=', '.join(missing))
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
        raise DataError(N_("{test_x_path}: images are {test_shape}x{test_shape2} but the training "
                           "images are {shape}x{shape2}"),
                        test_x_path=str(test_x_path), test_shape=test_shape[0],
                        test_shape2=test_shape[1], shape=shape[0], shape2=shape[1])
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
        raise DataError(N_("{name}: every label is 0; a classifier needs at least two classes"),
                        name=name)
    return n
