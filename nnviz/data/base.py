"""The one shape every dataset takes, whatever it came from.

A :class:`Dataset` holds raw arrays (MNIST stays ``uint8``) and knows how to turn a slice of
them into the float inputs and targets the network sees, so a batch is scaled only when it is
used (no float64 copy of MNIST, eight times its size).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, DataError
from nnviz.data.files import short

#: How raw inputs become network inputs. ``"none"``: as stored (already float);
#: ``"unit"``: ``x / 255``; ``"seed"``: ``x / 255 * 0.99 + 0.01`` (the seed notes' MNIST scaling).
SCALINGS = ("none", "unit", "seed")

#: More distinct labels than this is not a classification (a network with that many outputs
#: and its k × k confusion matrix would not fit): it is a regression target or an ID column.
MAX_CLASSES = 1000


@dataclass
class Dataset(CompactState):
    """Train and test arrays plus what they mean.

    Attributes
    ----------
    name : str
        Short name shown to the user (``"mnist"``, ``"circle"``, a file name...).
    x_train, x_test : ndarray, shape (n, d)
        Raw inputs, one row per sample (images flattened to 784 columns).
    y_train, y_test : ndarray
        Class labels as ``int64`` of shape (n,) for classification, or float targets of
        shape (n, k) for regression.
    n_classes : int or None
        Number of classes, ``None`` for regression.
    scaling : str
        One of :data:`SCALINGS`, applied by :meth:`inputs`.
    image_shape : tuple or None
        ``(28, 28)`` for images, so views can draw a sample as a picture.
    class_names, feature_names : list of str
        Labels for the UI (class 0 is ``class_names[0]``).
    label_column : str or None
        For a CSV file: the column the labels came from and why it was taken.
    file_format : str or None
        For a CSV file: its encoding, delimiter and decimal mark, and which were detected.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int | None = None
    scaling: str = "none"
    image_shape: tuple[int, int] | None = None
    class_names: list[str] = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)
    description: str = ""
    label_column: str | None = None   # which CSV column held the labels, and why
    file_format: str | None = None    # a CSV file's encoding, delimiter, decimal mark

    def __post_init__(self) -> None:
        if self.scaling not in SCALINGS:
            raise DataError(N_("unknown scaling {scaling}; valid: {scalings}"),
                            scaling=short(self.scaling), scalings=', '.join(SCALINGS))
        for part, x, y in (("train", self.x_train, self.y_train), ("test", self.x_test, self.y_test)):
            if x.ndim != 2:
                raise DataError(N_("{name}: {part} inputs must be 2-D (samples × features), got "
                                   "shape {shape}"),
                                name=self.name, part=part, shape=x.shape)
            if len(x) != len(y):
                raise DataError(
                    N_("{name}: {part} has {x} inputs but {y} labels/targets"), name=self.name,
                    part=part, x=len(x), y=len(y))
        if self.x_test.size and self.x_test.shape[1] != self.x_train.shape[1]:
            raise DataError(N_("{name}: train has {shape} features, test has {shape2}"),
                            name=self.name, shape=self.x_train.shape[1],
                            shape2=self.x_test.shape[1])
        if self.n_classes is not None and self.n_classes > MAX_CLASSES:
            raise DataError(N_("{name}: {n_classes} different labels, more than the {max_classes} "
                               "classes nnviz can show; is the label column a number to predict "
                               "(use task 'regression') or an ID (choose another label column)?"),
                            name=self.name, n_classes=self.n_classes, max_classes=MAX_CLASSES)
        if self.n_classes is not None and not self.class_names:
            self.class_names = [str(i) for i in range(self.n_classes)]

    # -- sizes -------------------------------------------------------------------------
    @property
    def n_features(self) -> int:
        """Number of network inputs."""
        return int(self.x_train.shape[1])

    @property
    def n_outputs(self) -> int:
        """Number of network outputs: one per class, 1 for binary labels is not assumed."""
        if self.n_classes is not None:
            return int(self.n_classes)
        return int(self.y_train.shape[1]) if self.y_train.ndim == 2 else 1

    @property
    def is_classification(self) -> bool:
        return self.n_classes is not None

    # -- conversion --------------------------------------------------------------------
    def inputs(self, x: np.ndarray, dtype=np.float32) -> np.ndarray:
        """Scale raw inputs ``x`` (any rows of ``x_train``/``x_test``) to floats of ``dtype``."""
        if self.scaling == "none":
            return np.asarray(x, dtype=dtype)
        out = np.asarray(x, dtype=dtype) * dtype(1.0 / 255.0)
        if self.scaling == "seed":
            out *= dtype(0.99)
            out += dtype(0.01)
        return out

    def targets(self, y: np.ndarray, dtype=np.float32, off: float = 0.0, on: float = 1.0,
                n_outputs: int | None = None) -> np.ndarray:
        """Turn labels into target rows: one-hot (``off``/``on``) for classes, floats for regression.

        With ``n_outputs == 1`` and two classes the target is the label itself as a single column
        (for a sigmoid output), mapped to ``off``/``on``.
        """
        if self.n_classes is None:
            y = np.asarray(y, dtype=dtype)
            return y.reshape(len(y), -1)
        n_out = self.n_classes if n_outputs is None else n_outputs
        y = np.asarray(y, dtype=np.int64)
        if n_out == 1:
            return np.where(y == 1, on, off).astype(dtype).reshape(-1, 1)
        t = np.full((len(y), n_out), off, dtype=dtype)
        t[np.arange(len(y)), y] = on
        return t

    def summary(self) -> dict:
        """Plain facts for ``nnviz data info`` and the UI."""
        info = {
            "name": self.name,
            "train_samples": int(len(self.x_train)),
            "test_samples": int(len(self.x_test)),
            "features": self.n_features,
            "task": "classification" if self.is_classification else "regression",
            "scaling": self.scaling,
            "dtype": str(self.x_train.dtype),
        }
        if self.is_classification:
            info["classes"] = self.n_classes
            info["class_names"] = list(self.class_names)
            info["train_label_counts"] = np.bincount(
                np.asarray(self.y_train, dtype=np.int64), minlength=self.n_classes).tolist()
        if self.label_column:
            info["label_column"] = self.label_column
        if self.file_format:
            info["csv_format"] = self.file_format
        if self.image_shape:
            info["image_shape"] = list(self.image_shape)
        if self.description:
            info["description"] = self.description
        return info
