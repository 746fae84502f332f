"""The sample of MNIST test digits shipped in ``resources/samples/`` (so "Load a test digit"
works without the dataset).

Made by ``python -m nnviz.data.samples`` (needs MNIST, see ``nnviz data info mnist``): 200
test images chosen with a fixed seed, 20 of each digit, stored as ``uint8`` arrays in a plain
``.npz`` (no pickle).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError

SAMPLE = ("samples", "mnist-test-200.npz")


def sample_path() -> Path:
    from nnviz.resources import resource_path

    return resource_path(*SAMPLE)


def pick_samples(y: np.ndarray, per_class: int = 20, seed: int = 0) -> np.ndarray:
    """Sorted indices of ``per_class`` random images of each class."""
    rng = np.random.default_rng(seed)
    picks = [rng.choice(np.flatnonzero(y == k), per_class, replace=False) for k in range(10)]
    return np.sort(np.concatenate(picks))


def make_samples(path: str | Path | None = None, per_class: int = 20, seed: int = 0) -> Path:
    """Write the sample file from the MNIST test set; returns its path."""
    from nnviz.core.model_io import atomic_write
    from nnviz.data import load_dataset

    ds = load_dataset("mnist")
    idx = pick_samples(ds.y_test, per_class, seed)
    arrays = {"images": np.asarray(ds.x_test[idx], dtype=np.uint8).reshape(-1, 28, 28),
              "labels": np.asarray(ds.y_test[idx], dtype=np.uint8),
              "indices": idx.astype(np.int32)}
    return atomic_write(path or sample_path(), lambda f: np.savez_compressed(f, **arrays))


def load_samples(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(images uint8 (n, 28, 28), labels int64 (n,))`` from the shipped sample."""
    path = Path(path or sample_path())
    try:
        with np.load(path, allow_pickle=False) as z:
            return np.asarray(z["images"]), np.asarray(z["labels"], dtype=np.int64)
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(N_("{path}: cannot read the sample digits ({reason})"),
                        path=str(path), reason=str(exc)) from None


def mnist_test_digits(n_max: int | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """MNIST's test digits ``(images (n, 28, 28), labels, source)``: the full set when MNIST
    is on this computer, the shipped sample otherwise."""
    from nnviz.data import locate

    if locate.find_dataset("mnist") is not None:
        from nnviz.data import load_dataset
        ds = load_dataset("mnist")
        x, y = ds.x_test.reshape(-1, 28, 28), ds.y_test
        src = "mnist"
    else:
        (x, y), src = load_samples(), "sample"
    return (x[:n_max], y[:n_max], src) if n_max else (x, y, src)


if __name__ == "__main__":  # python -m nnviz.data.samples [FILE]
    try:
        print(make_samples(sys.argv[1] if len(sys.argv) > 1 else None))
    except DataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
