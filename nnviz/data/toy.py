"""2-D toy datasets in the style of TensorFlow Playground.

Every generator takes the same parameters and is reproducible from ``seed``
(:func:`numpy.random.default_rng`): the same seed gives identical arrays.

Input ranges (before noise, which can push points further out):

=========== ============================================================ ===========
name        what                                                         range
=========== ============================================================ ===========
circle      class 1 inside radius 2.5, class 0 in the ring 3.5..5        [-5, 5]
xor         class 1 where x1*x2 >= 0 (quadrants), 0.3 gap on the axes    [-5.3, 5.3]
gauss       two Gaussian clouds around (2, 2) → 1 and (-2, -2) → 0       about [-6, 6]
spiral      two interleaved arms of radius 0..5                          [-5, 5]
spiral-k    ``n_classes`` arms, one class each                           [-5, 5]
blobs       ``n_classes`` Gaussian clouds on a circle of radius 4         about [-7, 7]
reg-plane   target (x1 + x2) / 10, in [-1.2, 1.2]                        [-6, 6]
reg-gauss   target +-1 near six bumps, 0 far away                        [-6, 6]
=========== ============================================================ ===========

``noise`` is a percentage 0..50 as in Playground (it moves the points for the spirals and
Gaussians, and moves the point used to choose the label for the others).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nnviz.core.errors import N_, DataError, UnknownNameError
from nnviz.data.files import short
from nnviz.data.base import Dataset

#: Feature columns that can be fed to the network, computed from (x1, x2).
FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}
_ALIASES = {"x1²": "x1^2", "x2²": "x2^2", "x1x2": "x1*x2", "x1_x2": "x1*x2",
            "sinx1": "sin(x1)", "sinx2": "sin(x2)"}

DESCRIPTIONS = {
    "circle": "2-D: a disc of one class inside a ring of the other (Playground)",
    "xor": "2-D: the four quadrants, XOR of the signs of x1 and x2 (Playground)",
    "gauss": "2-D: two Gaussian clouds, linearly separable (Playground)",
    "spiral": "2-D: two interleaved spiral arms, the hard one (Playground)",
    "spiral-k": "2-D: K spiral arms, one class each (n_classes=3)",
    "blobs": "2-D: K Gaussian blobs, one class each (n_classes=4)",
    "reg-plane": "2-D regression: a tilted plane, target (x1 + x2) / 10 (Playground)",
    "reg-gauss": "2-D regression: six Gaussian bumps of +1 and -1 (Playground)",
}


# -- the point generators: (n, noise fraction, rng, ...) -> (points (n, 2), labels) -------
def _circle(n: int, noise: float, rng: np.random.Generator):
    radius = 5.0
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in),
                        rng.uniform(radius * 0.7, radius, n - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    shifted = points + rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5).astype(np.int64)
    return points, labels


def _xor(n: int, noise: float, rng: np.random.Generator):
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    shifted = points + rng.uniform(-5, 5, (n, 2)) * noise
    labels = (shifted[:, 0] * shifted[:, 1] >= 0).astype(np.int64)
    return points, labels


def _gauss_std(noise: float) -> float:
    """Playground's spread: variance 0.5 at no noise up to 4 at 50 % noise."""
    return float(np.sqrt(0.5 + noise / 0.5 * 3.5))


def _gauss(n: int, noise: float, rng: np.random.Generator):
    return _clouds(n, [(2.0, 2.0), (-2.0, -2.0)], [1, 0], _gauss_std(noise), rng)


def _blobs(n: int, noise: float, rng: np.random.Generator, n_classes: int = 4):
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
    centers = list(zip(4 * np.cos(angles), 4 * np.sin(angles)))
    return _clouds(n, centers, list(range(n_classes)), _gauss_std(noise), rng)


def _clouds(n: int, centers, labels, std: float, rng: np.random.Generator):
    """Gaussian clouds around ``centers``, as equal in size as ``n`` allows."""
    sizes = np.diff(np.linspace(0, n, len(centers) + 1).round().astype(int))
    points = np.concatenate([rng.normal(c, std, (k, 2)) for c, k in zip(centers, sizes)])
    return points, np.repeat(np.asarray(labels, dtype=np.int64), sizes)


def _spiral_arms(n: int, noise: float, rng: np.random.Generator, n_classes: int,
                 labels: Sequence[int]):
    sizes = np.diff(np.linspace(0, n, n_classes + 1).round().astype(int))
    parts = []
    for arm, k in enumerate(sizes):
        i = np.arange(k) / max(k, 1)
        r = i * 5
        t = 1.75 * i * 2 * np.pi + 2 * np.pi * arm / n_classes
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    points = np.concatenate(parts) + rng.uniform(-1, 1, (n, 2)) * noise
    return points, np.repeat(np.asarray(labels, dtype=np.int64), sizes)


def _spiral(n: int, noise: float, rng: np.random.Generator):
    return _spiral_arms(n, noise, rng, 2, [1, 0])


def _spiral_k(n: int, noise: float, rng: np.random.Generator, n_classes: int = 3):
    return _spiral_arms(n, noise, rng, n_classes, list(range(n_classes)))


def _uniform_with_noisy_copy(n: int, noise: float, rng: np.random.Generator):
    points = rng.uniform(-6, 6, (n, 2))
    return points, points + rng.uniform(-6, 6, (n, 2)) * noise


def _reg_plane(n: int, noise: float, rng: np.random.Generator):
    points, shifted = _uniform_with_noisy_copy(n, noise, rng)
    return points, (shifted.sum(axis=1) / 10).reshape(-1, 1)


def _reg_gauss(n: int, noise: float, rng: np.random.Generator):
    points, shifted = _uniform_with_noisy_copy(n, noise, rng)
    bumps = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                      [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])
    dist = np.hypot(shifted[:, None, 0] - bumps[:, 0], shifted[:, None, 1] - bumps[:, 1])
    values = bumps[:, 2] * np.clip(1 - dist / 2, 0, 1)          # (n, 6)
    pick = np.argmax(np.abs(values), axis=1)                     # the strongest bump wins
    return points, values[np.arange(n), pick].reshape(-1, 1)


_GENERATORS = {
    "circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral,
    "spiral-k": _spiral_k, "blobs": _blobs, "reg-plane": _reg_plane, "reg-gauss": _reg_gauss,
}
_MULTICLASS = {"spiral-k": 3, "blobs": 4}
_REGRESSION = {"reg-plane", "reg-gauss"}

#: Names of all toy sets.
NAMES = tuple(_GENERATORS)


# -- features ---------------------------------------------------------------------------
def parse_features(features: str | Sequence[str] | None) -> list[str]:
    """Normalise a feature selection (``"x1,x2,x1*x2"`` or a list) to names of :data:`FEATURES`."""
    if features is None:
        return ["x1", "x2"]
    items = features.split(",") if isinstance(features, str) else list(features)
    names = []
    for item in items:
        key = str(item).strip().lower().replace(" ", "")
        key = _ALIASES.get(key, key)
        if key not in FEATURES:
            raise UnknownNameError("feature", str(item).strip(), FEATURES)
        if key in names:
            raise DataError(N_("feature {key} is chosen twice"), key=short(key))
        names.append(key)
    if not names:
        raise DataError(N_("choose at least one feature of: {features}"),
                        features=', '.join(FEATURES))
    return names


def expand_features(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Compute the chosen feature columns from the raw points.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
        Columns x1 and x2.
    names : sequence of str
        Keys of :data:`FEATURES`.

    Returns
    -------
    ndarray of float64, shape (n, len(names))
    """
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name](x1, x2) for name in names]).astype(np.float64)


# -- the public maker -------------------------------------------------------------------
#: The most points a toy set may have: more teaches nothing more, and 10⁹ would fill the memory.
MAX_SAMPLES = 100_000


def _check_params(n_samples: int, noise: float, train_ratio: float) -> None:
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 4:
        raise DataError(N_("n_samples must be a whole number of at least 4, got {n_samples}"),
                        n_samples=short(n_samples))
    if n_samples > MAX_SAMPLES:
        raise DataError(N_("n_samples: at most {most} points in a toy set, got {n_samples}"),
                        most=MAX_SAMPLES, n_samples=short(n_samples))
    if not 0 <= noise <= 50:
        raise DataError(N_("noise is a percentage from 0 to 50, got {noise}"), noise=short(noise))
    if not 0 < train_ratio < 1:
        raise DataError(N_("train_ratio must be between 0 and 1 (e.g. 0.5), got {train_ratio}"),
                        train_ratio=short(train_ratio))


def make_toy(name: str, *, n_samples: int = 500, noise: float = 0.0, train_ratio: float = 0.5,
             seed: int = 0, features: str | Sequence[str] | None = None,
             n_classes: int | None = None) -> Dataset:
    """Generate a Playground-style 2-D dataset.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    n_samples : int
        Total points, split into train and test.
    noise : float
        0..50 (percent, as Playground).
    train_ratio : float
        Share of the points used for training (the rest is the test set).
    seed : int
        Seed of :func:`numpy.random.default_rng`; same seed, same arrays.
    features : str or sequence of str, optional
        Input columns, a subset of ``x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)``;
        default ``x1, x2``.
    n_classes : int, optional
        Number of arms / blobs for ``spiral-k`` (default 3) and ``blobs`` (default 4).

    Returns
    -------
    Dataset
        ``x`` float64 (n, len(features)); ``y`` int64 (n,) labels, or float64 (n, 1) targets
        for ``reg-*``. Scaling ``"none"``.
    """
    if name not in _GENERATORS:
        raise UnknownNameError("toy dataset", name, _GENERATORS)
    _check_params(n_samples, noise, train_ratio)
    names = parse_features(features)
    rng = np.random.default_rng(seed)
    kwargs = {}
    if name in _MULTICLASS:
        k = _MULTICLASS[name] if n_classes is None else n_classes
        if not isinstance(k, (int, np.integer)) or not 2 <= k <= min(10, n_samples):
            raise DataError(N_("{name}: n_classes must be a whole number from 2 to 10, got {k}"),
                            name=name, k=short(k))
        kwargs["n_classes"] = int(k)
    elif n_classes is not None:
        raise DataError(N_("{name}: n_classes only applies to spiral-k and blobs"), name=name)
    points, y = _GENERATORS[name](int(n_samples), noise / 100, rng, **kwargs)
    order = rng.permutation(len(points))
    n_train = min(max(1, round(len(points) * train_ratio)), len(points) - 1)
    train, test = order[:n_train], order[n_train:]
    x = expand_features(points, names)
    k = None if name in _REGRESSION else kwargs.get("n_classes", 2)
    return Dataset(name=name, x_train=x[train], y_train=y[train], x_test=x[test],
                   y_test=y[test], n_classes=k, scaling="none", feature_names=names,
                   description=DESCRIPTIONS[name])
