"""Your own data as a ``.npz`` archive of ``x_train, y_train, x_test, y_test`` arrays.

Read with :func:`nnviz.core.npzfile.read_npz`, so a damaged or hostile archive is refused
with a message before anything large is allocated, and Python objects are never unpickled.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from nnviz.core.errors import DataError
from nnviz.core.npzfile import read_npz
from nnviz.data.base import Dataset
from nnviz.data.files import regular_file

NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_npz(path: str | Path, *, scaling: str | None = None) -> Dataset:
    """Load a ``.npz`` archive with arrays ``x_train, y_train, x_test, y_test``.

    Optional string arrays ``class_names`` and ``feature_names`` are used when present.
    Object (pickled) arrays are refused, and every array's size is checked before it is read.
    ``x`` may be (n, d) or images (n, h, w), which are flattened. Integer or text ``y`` (n,)
    means classes: the distinct labels, sorted (``class_names[k]`` names label ``k`` when
    the labels are 0..len-1); float ``y`` means regression targets.
    """
    path = Path(path)
    regular_file(path)  # a FIFO, a device or a folder says what it is
    arrays = read_npz(path, DataError, keys=NPZ_KEYS + ("class_names", "feature_names"))
    missing = [k for k in NPZ_KEYS if k not in arrays]
    if missing:
        raise DataError(f"{path}: missing arrays {', '.join(missing)} (found: "
                        f"{', '.join(arrays) or 'none'}); expected {', '.join(NPZ_KEYS)}")
    return _npz_dataset(path, arrays, scaling)


def _npz_names(path: Path, a: dict, key: str) -> list[str]:
    arr = a.get(key)
    if arr is None:
        return []
    if arr.ndim != 1 or arr.dtype.kind not in "USiuf":
        raise DataError(f"{path}: {key} must be a list of names, got {arr.dtype} {arr.shape}")
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in arr.tolist()]


def _npz_classes(path: Path, y_train: np.ndarray, y_test: np.ndarray, given: list[str]):
    """Class indices of both splits and the class names (see :func:`load_npz`)."""
    both = np.concatenate([y_train, y_test])
    if both.dtype.kind in "iub":
        both = both.astype(np.int64)
        if given and len(given) >= 2 and both.min(initial=0) >= 0 and both.max(initial=0) < len(given):
            return both[:len(y_train)], both[len(y_train):], given
        uniq, codes = np.unique(both, return_inverse=True)
        names = [str(int(v)) for v in uniq]
    else:
        uniq, codes = np.unique(both.astype(str), return_inverse=True)
        names = [str(v) for v in uniq]
    if len(uniq) < 2:
        raise DataError(f"{path}: every label is {names[0] if names else 'missing'}; a "
                        f"classifier needs at least two classes")
    codes = codes.astype(np.int64).ravel()
    return codes[:len(y_train)], codes[len(y_train):], names


def _npz_dataset(path: Path, a: dict[str, np.ndarray], scaling: str | None) -> Dataset:
    x_train, x_test = a["x_train"], a["x_test"]
    image_shape = None
    if x_train.ndim == 3 and x_test.ndim == 3:
        image_shape = tuple(int(s) for s in x_train.shape[1:])
        x_train = x_train.reshape(len(x_train), int(np.prod(x_train.shape[1:])))
        x_test = x_test.reshape(len(x_test), int(np.prod(x_test.shape[1:])))
    for key, x in (("x_train", x_train), ("x_test", x_test)):
        if x.ndim != 2 or x.dtype.kind not in "iuf" or (len(x) and x.shape[1] == 0):
            raise DataError(f"{path}: {key} must be real numbers of shape (n, features) or "
                            f"(n, h, w), got {x.dtype} {x.shape}")
        if x.dtype.kind == "f" and not np.isfinite(x).all():
            bad = np.argwhere(~np.isfinite(x))[0]
            raise DataError(f"{path}: {key}[{bad[0]}, {bad[1]}] is {x[tuple(bad)]}, not a "
                            f"finite number")
    if not len(x_train):
        raise DataError(f"{path}: x_train has no samples")
    y_train, y_test = a["y_train"], a["y_test"]
    for key, y, x in (("y_train", y_train, x_train), ("y_test", y_test, x_test)):
        if y.ndim == 0 or len(y) != len(x):
            raise DataError(f"{path}: {key} has shape {y.shape} but there are {len(x)} samples")
    kinds = {y_train.dtype.kind, y_test.dtype.kind}
    if kinds <= set("iubUS") and not (kinds & set("iub") and kinds & set("US")):
        for key, y in (("y_train", y_train), ("y_test", y_test)):
            if y.ndim > 2 or (y.ndim == 2 and y.shape[1] != 1):
                raise DataError(f"{path}: {key} must hold one class label per sample, got "
                                f"shape {y.shape}")
        y_train, y_test, names = _npz_classes(path, y_train.ravel(), y_test.ravel(),
                                              _npz_names(path, a, "class_names"))
        n_classes = len(names)
    elif kinds <= set("f"):
        for key, y in (("y_train", y_train), ("y_test", y_test)):
            if not np.isfinite(y).all():
                raise DataError(f"{path}: {key} holds a value that is not a finite number "
                                f"(index {int(np.argmax(~np.isfinite(y.ravel())))})")
        y_train = y_train.astype(np.float64).reshape(len(y_train), int(np.prod(y_train.shape[1:])))
        y_test = y_test.astype(np.float64).reshape(len(y_test), int(np.prod(y_test.shape[1:])))
        if y_train.shape[1] == 0:
            raise DataError(f"{path}: y_train has no targets per sample (shape {a['y_train'].shape})")
        if y_test.size and y_test.shape[1] != y_train.shape[1]:
            raise DataError(f"{path}: y_train has {y_train.shape[1]} targets per sample, "
                            f"y_test {y_test.shape[1]}")
        n_classes, names = None, []
    else:
        raise DataError(f"{path}: labels must be whole numbers or text (classes) or floats "
                        f"(regression targets), both splits alike; got {y_train.dtype} "
                        f"and {y_test.dtype}")
    features = _npz_names(path, a, "feature_names")
    if len(features) != x_train.shape[1]:
        features = [f"x{i + 1}" for i in range(x_train.shape[1])]
    if scaling is None:
        scaling = "unit" if x_train.dtype == np.uint8 else "none"
    return Dataset(name=path.name, x_train=x_train, y_train=y_train, x_test=x_test,
                   y_test=y_test, n_classes=n_classes, scaling=scaling,
                   image_shape=image_shape, class_names=names,
                   feature_names=features, description=f"arrays from {path}")
