""""My digits": the learner's own drawings with the labels they gave, to teach a network.

A small set of 28×28 images (``uint8``, ink bright, as :func:`nnviz.data.preprocess.to_mnist`
makes them) and their labels 0–9. Saved as a plain ``.npz`` (``images`` uint8 (n, 28, 28),
``labels`` uint8 (n,)), written atomically and read with ``allow_pickle=False``.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError, NNVizError
from nnviz.data.files import regular_file, short

SIDE = 28
N_CLASSES = 10
#: The most digits a my-digits file may hold (each is drawn by hand; 20 000 are 16 MB).
MAX_DIGITS = 20_000


class MyDigitsError(DataError):
    """A my-digits file or entry that cannot be used (the message says why)."""


def _as_image(image) -> np.ndarray:
    img = np.asarray(image, dtype=np.float64)
    if img.size != SIDE * SIDE:
        raise MyDigitsError(N_("a digit must be a 28×28 image, got shape {shape}"),
                            shape=str(img.shape)[:60])
    if not np.all(np.isfinite(img)):
        raise MyDigitsError(N_("a digit image must hold finite values (0..255)"))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8).reshape(SIDE, SIDE)


def _as_label(label) -> int:
    try:
        k = int(label)
    except (TypeError, ValueError):
        raise MyDigitsError(N_("a digit's label must be a whole number 0–9, got {label}"),
                            label=short(label)) from None
    if not 0 <= k < N_CLASSES or k != label:
        raise MyDigitsError(N_("a digit's label must be a whole number 0–9, got {label}"),
                            label=short(label))
    return k


class MyDigits:
    """The learner's labelled drawings, in the order they were added."""

    def __init__(self, images=None, labels=None):
        self._images: list[np.ndarray] = []
        self._labels: list[int] = []
        if images is not None:
            imgs = np.asarray(images)
            labs = np.asarray(labels if labels is not None else [])
            if len(imgs) != len(labs):
                raise MyDigitsError(N_("{n_images} images but {n_labels} labels"),
                                    n_images=len(imgs), n_labels=len(labs))
            for img, lab in zip(imgs, labs):
                self.add(img, int(lab))

    def __len__(self) -> int:
        return len(self._labels)

    def add(self, image, label) -> int:
        """Add a 28×28 image (0..255) labelled ``label``; returns its index."""
        img, k = _as_image(image), _as_label(label)
        self._images.append(img)
        self._labels.append(k)
        return len(self._labels) - 1

    def remove(self, index: int) -> None:
        if not 0 <= int(index) < len(self):
            raise MyDigitsError(N_("there is no digit {index} (the set holds {n})"),
                                index=short(index), n=len(self))
        del self._images[int(index)], self._labels[int(index)]

    def clear(self) -> None:
        self._images, self._labels = [], []

    def items(self) -> list[tuple[np.ndarray, int]]:
        """``[(image uint8 (28, 28), label)]`` (copies)."""
        return [(img.copy(), k) for img, k in zip(self._images, self._labels)]

    @property
    def images(self) -> np.ndarray:
        """uint8 (n, 28, 28)."""
        return (np.stack(self._images) if self._images
                else np.zeros((0, SIDE, SIDE), np.uint8))

    @property
    def labels(self) -> np.ndarray:
        """int64 (n,)."""
        return np.array(self._labels, dtype=np.int64)

    def counts(self) -> np.ndarray:
        """How many digits of each class (10,)."""
        return np.bincount(self.labels, minlength=N_CLASSES)

    # -- files -------------------------------------------------------------------------------
    def save(self, path) -> Path:
        """Write the set to ``path`` (a ``.npz``) atomically; returns the path written."""
        from nnviz.core.model_io import atomic_write

        arrays = {"images": self.images, "labels": self.labels.astype(np.uint8)}
        try:
            return atomic_write(path, lambda f: np.savez_compressed(f, **arrays))
        except OSError as exc:
            raise MyDigitsError(N_("cannot save {path}: {reason}"), path=str(path),
                                reason=exc.strerror or str(exc)) from None
        except NNVizError as exc:  # e.g. the folder does not exist
            raise MyDigitsError(exc.template, **exc.values) from None

    @classmethod
    def load(cls, path) -> "MyDigits":
        """Read a set saved by :meth:`save`; a clear :class:`MyDigitsError` for anything else.

        The arrays' declared shapes are read first (nothing large is allocated for a file that
        claims more than :data:`MAX_DIGITS` digits), then the arrays with
        :func:`nnviz.core.npzfile.read_npz` (sizes checked, nothing unpickled).
        """
        from nnviz.core.npzfile import read_npz

        path = Path(path)
        try:
            regular_file(path)
        except DataError as exc:
            raise MyDigitsError(exc.template, **exc.values) from None
        if not zipfile.is_zipfile(path):
            raise MyDigitsError(N_("{path}: not a my-digits file (not an .npz archive, or "
                                   "truncated)"), path=str(path))
        shapes = _declared(path)
        missing = [k for k in ("images", "labels") if k not in shapes]
        if missing:
            raise MyDigitsError(N_("{path}: not a my-digits file (no {missing})"), path=str(path),
                                missing=", ".join(missing))
        for key, (shape, dtype) in shapes.items():
            if dtype.hasobject:
                raise MyDigitsError(N_("{path}: holds pickled Python objects, which nnviz "
                                       "refuses to load"), path=str(path))
            if len(shape) and shape[0] > MAX_DIGITS:
                raise MyDigitsError(N_("{path}: declares {n} digits; a my-digits file holds at "
                                       "most {max}"), path=str(path), n=shape[0], max=MAX_DIGITS)
        shape, dtype = shapes["images"]
        if len(shape) != 3 or tuple(shape[1:]) != (SIDE, SIDE) or dtype != np.uint8:
            raise MyDigitsError(N_("{path}: images must be uint8 of shape (n, 28, 28), got "
                                   "{dtype} {shape}"), path=str(path), dtype=str(dtype),
                                shape=str(tuple(shape))[:60])
        arrays = read_npz(path, MyDigitsError, keys=("images", "labels"))
        images, labels = arrays["images"], arrays["labels"]
        if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
            raise MyDigitsError(N_("{path}: needs one whole-number label per image, got {dtype} "
                                   "{shape} for {n} images"), path=str(path),
                                dtype=str(labels.dtype), shape=str(labels.shape)[:60],
                                n=len(images))
        if len(labels) and (labels.min() < 0 or labels.max() >= N_CLASSES):
            raise MyDigitsError(N_("{path}: labels must be 0–9"), path=str(path))
        mine = cls()
        mine._images = [np.array(img) for img in images]
        mine._labels = [int(k) for k in labels]
        return mine


def _declared(path: Path) -> dict:
    """``{name: (shape, dtype)}`` of a ``.npz`` archive's arrays, from their headers only."""
    out = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                key = info.filename.removesuffix(".npy")
                if key not in ("images", "labels"):
                    continue
                with zf.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                            else np.lib.format.read_array_header_2_0)
                    shape, _fortran, dtype = read(f)
                out[key] = (tuple(shape), dtype)
    except Exception as exc:  # noqa: BLE001 - zip/EOF/header errors: one clear line
        if "pickle" in str(exc).lower():
            raise MyDigitsError(N_("{path}: holds pickled Python objects, which nnviz refuses "
                                   "to load"), path=str(path)) from None
        raise MyDigitsError(N_("{path}: not a my-digits file, or it is damaged ({reason})"),
                            path=str(path), reason=str(exc)[:120]) from None
    return out
