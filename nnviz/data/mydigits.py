""""My digits": the learner's own drawings with the labels they gave, to teach a network.

A small set of 28×28 images (``uint8``, ink bright, as :func:`nnviz.data.preprocess.to_mnist`
makes them) and their labels 0–9. Saved as a plain ``.npz`` (``images`` uint8 (n, 28, 28),
``labels`` uint8 (n,)), written atomically and read with ``allow_pickle=False``.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nnviz.core.errors import DataError, NNVizError

SIDE = 28
N_CLASSES = 10


class MyDigitsError(DataError):
    """A my-digits file or entry that cannot be used (the message says why)."""


def _as_image(image) -> np.ndarray:
    img = np.asarray(image, dtype=np.float64)
    if img.size != SIDE * SIDE:
        raise MyDigitsError(f"a digit must be a {SIDE}×{SIDE} image, got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise MyDigitsError("a digit image must hold finite values (0..255)")
    return np.clip(np.rint(img), 0, 255).astype(np.uint8).reshape(SIDE, SIDE)


def _as_label(label) -> int:
    try:
        k = int(label)
    except (TypeError, ValueError):
        raise MyDigitsError(f"a digit's label must be a whole number 0–9, got {label!r}") from None
    if not 0 <= k < N_CLASSES or k != label:
        raise MyDigitsError(f"a digit's label must be a whole number 0–9, got {label!r}")
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
                raise MyDigitsError(f"{len(imgs)} images but {len(labs)} labels")
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
            raise MyDigitsError(f"there is no digit {index} (the set holds {len(self)})")
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
            raise MyDigitsError(f"cannot save {path}: {exc.strerror or exc}") from None
        except NNVizError as exc:  # e.g. the folder does not exist
            raise MyDigitsError(str(exc)) from None

    @classmethod
    def load(cls, path) -> "MyDigits":
        """Read a set saved by :meth:`save`; a clear :class:`MyDigitsError` for anything else."""
        path = Path(path)
        if not path.is_file():
            raise MyDigitsError(f"{path}: no such file")
        if not zipfile.is_zipfile(path):
            raise MyDigitsError(f"{path}: not a my-digits file (not an .npz archive, or truncated)")
        try:
            with np.load(path, allow_pickle=False) as z:
                if not hasattr(z, "files"):
                    raise MyDigitsError(f"{path}: not a my-digits file (a single array, not an .npz)")
                missing = [k for k in ("images", "labels") if k not in z.files]
                if missing:
                    raise MyDigitsError(f"{path}: not a my-digits file (no {', '.join(missing)})")
                images, labels = np.asarray(z["images"]), np.asarray(z["labels"])
        except MyDigitsError:
            raise
        except ValueError as exc:
            if "pickle" in str(exc).lower():
                raise MyDigitsError(f"{path}: holds pickled Python objects, which nnviz refuses to load") from None
            raise MyDigitsError(f"{path}: not a my-digits file ({exc})") from None
        except Exception as exc:  # noqa: BLE001 - zip/EOF/OS errors: one clear line
            raise MyDigitsError(f"{path}: not a my-digits file, or it is damaged ({exc})") from None
        if images.ndim != 3 or images.shape[1:] != (SIDE, SIDE) or images.dtype != np.uint8:
            raise MyDigitsError(f"{path}: images must be uint8 of shape (n, 28, 28), got "
                                f"{images.dtype} {images.shape}")
        if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
            raise MyDigitsError(f"{path}: needs one whole-number label per image, got "
                                f"{labels.dtype} {labels.shape} for {len(images)} images")
        if len(labels) and (labels.min() < 0 or labels.max() >= N_CLASSES):
            raise MyDigitsError(f"{path}: labels must be 0–9")
        return cls(images, labels)
