"""Your own data as a ``.npz`` archive of ``x_train, y_train, x_test, y_test`` arrays.

Read with :func:`nnviz.core.npzfile.read_npz`, so a damaged or hostile archive is refused
with a message before anything large is allocated, and Python objects are never unpickled.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError
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
        raise DataError(N_("{path}: missing arrays {missing} (found: {found}); expected {npz_keys}"),
                        path=str(path), missing=', '.join(missing),
                        found=', '.join(arrays) or 'none', npz_keys=', '.join(NPZ_KEYS))
    return _npz_dataset(path, arrays, scaling)


def _npz_names(path: Path, a: dict, key: str) -> list[str]:
    arr = a.get(key)
    if arr is None:
        return []
    if arr.ndim != 1 or arr.dtype.kind not in "USiuf":
        raise DataError(N_("{path}: {key} must be a list of names, got {dtype} {shape}"),
                        path=str(path), key=key, dtype=arr.dtype, shape=arr.shape)
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
        raise DataError(N_("{path}: every label is {value}; a classifier needs at least two "
                           "classes"),
                        path=str(path), value=names[0] if names else 'missing')
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
            raise DataError(N_("{path}: {key} must be real numbers of shape (n, features) or (n, "
                               "h, w), got {dtype} {shape}"),
                            path=str(path), key=key, dtype=x.dtype, shape=x.shape)
        if x.dtype.kind == "f" and not np.isfinite(x).all():
            bad = np.argwhere(~np.isfinite(x))[0]
            raise DataError(N_("{path}: {key}[{bad}, {bad2}] is {x}, not a finite number"),
                            path=str(path), key=key, bad=bad[0], bad2=bad[1], x=x[tuple(bad)])
    if not len(x_train):
        raise DataError(N_("{path}: x_train has no samples"), path=str(path))
    y_train, y_test = a["y_train"], a["y_test"]
    for key, y, x in (("y_train", y_train, x_train), ("y_test", y_test, x_test)):
        if y.ndim == 0 or len(y) != len(x):
            raise DataError(N_("{path}: {key} has shape {shape} but there are {x} samples"),
                            path=str(path), key=key, shape=y.shape, x=len(x))
    kinds = {y_train.dtype.kind, y_test.dtype.kind}
    if kinds <= set("iubUS") and not (kinds & set("iub") and kinds & set("US")):
        for key, y in (("y_train", y_train), ("y_test", y_test)):
            if y.ndim > 2 or (y.ndim == 2 and y.shape[1] != 1):
                raise DataError(N_("{path}: {key} must hold one class label per sample, got shape "
                                   "{shape}"),
                                path=str(path), key=key, shape=y.shape)
        y_train, y_test, names = _npz_classes(path, y_train.ravel(), y_test.ravel(),
                                              _npz_names(path, a, "class_names"))
        n_classes = len(names)
    elif kinds <= set("f"):
        for key, y in (("y_train", y_train), ("y_test", y_test)):
            if not np.isfinite(y).all():
                raise DataError(N_("{path}: {key} holds a value that is not a finite number "
                                   "(index {index})"),
                                path=str(path), key=key,
                                index=int(np.argmax(~np.isfinite(y.ravel()))))
        y_train = y_train.astype(np.float64).reshape(len(y_train), int(np.prod(y_train.shape[1:])))
        y_test = y_test.astype(np.float64).reshape(len(y_test), int(np.prod(y_test.shape[1:])))
        if y_train.shape[1] == 0:
            raise DataError(N_("{path}: y_train has no targets per sample (shape {shape})"),
                            path=str(path), shape=a['y_train'].shape)
        if y_test.size and y_test.shape[1] != y_train.shape[1]:
            raise DataError(N_("{path}: y_train has {shape} targets per sample, y_test {shape2}"),
                            path=str(path), shape=y_train.shape[1], shape2=y_test.shape[1])
        n_classes, names = None, []
    else:
        raise DataError(N_("{path}: labels must be whole numbers or text (classes) or floats "
                           "(regression targets), both splits alike; got {dtype} and {dtype2}"),
                        path=str(path), dtype=y_train.dtype, dtype2=y_test.dtype)
    features = _npz_names(path, a, "feature_names")
    if len(features) != x_train.shape[1]:
        features = [f"x{i + 1}" for i in range(x_train.shape[1])]
    if scaling is None:
        scaling = "unit" if x_train.dtype == np.uint8 else "none"
    return Dataset(name=path.name, x_train=x_train, y_train=y_train, x_test=x_test,
                   y_test=y_test, n_classes=n_classes, scaling=scaling,
                   image_shape=image_shape, class_names=names,
                   feature_names=features, description=f"arrays from {path}")
