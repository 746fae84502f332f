"""Benchmark of the digit canvas's reading path (a figure, not a timed test).

``python -m nnviz.bench_canvas [--model FILE] [--n N] [--seed S]`` prints one JSON object:

* ``test_acc``: the model on MNIST's test set as it is (the shipped sample without MNIST);
* ``canvas_acc``: the same digits drawn onto a 280×280 canvas at random sizes and positions
  (bilinear enlargement, the ink box 40-250 px) and read back through
  :func:`nnviz.data.preprocess.to_mnist`, as the canvas does.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

CANVAS = 280


def _bilinear_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) bilinear interpolation matrix (pixel centres aligned, edges clamped)."""
    src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    src = np.clip(src, 0, n_in - 1)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    f = src - lo
    w = np.zeros((n_out, n_in))
    w[np.arange(n_out), lo] += 1 - f
    w[np.arange(n_out), hi] += f
    return w


def draw_on_canvas(img28: np.ndarray, size: int, top: int, left: int) -> np.ndarray:
    """A 28×28 digit enlarged to ``size`` px at (``top``, ``left``) of a blank canvas."""
    wts = _bilinear_weights(28, size)
    big = wts @ np.asarray(img28, dtype=np.float64) @ wts.T
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[top:top + size, left:left + size] = big
    return canvas


def canvas_images(x28: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every digit drawn on a canvas at a random size and place, then read back to 28×28."""
    from nnviz.data.preprocess import to_mnist

    out = np.empty((len(x28), 28, 28), np.float32)
    for i, img in enumerate(x28):
        size = int(rng.integers(56, CANVAS + 1))   # the 20-px digit becomes 40..200 px of ink
        top, left = rng.integers(0, CANVAS - size + 1, 2)
        out[i] = to_mnist(draw_on_canvas(img, size, int(top), int(left)))
    return out


def run(model_path=None, n: int | None = None, seed: int = 0) -> dict:
    from nnviz.classify import DigitModel
    from nnviz.data.samples import mnist_test_digits

    model = DigitModel.load(model_path)
    x, y, source = mnist_test_digits(n)
    t0 = time.perf_counter()
    direct = float((model.predict(x).argmax(1) == y).mean())
    drawn = canvas_images(x, np.random.default_rng(seed))
    canvas = float((model.predict(drawn).argmax(1) == y).mean())
    return {"model": model.source, "digits": source, "n": int(len(y)), "test_acc": direct,
            "canvas_acc": canvas, "saved_test_acc": model.test_accuracy,
            "seconds": round(time.perf_counter() - t0, 2)}


def main(argv=None) -> int:
    from nnviz.core.errors import NNVizError

    p = argparse.ArgumentParser(prog="python -m nnviz.bench_canvas", description=__doc__.split("\n")[0])
    p.add_argument("--model", help="a saved model (default: the shipped one)")
    p.add_argument("--n", type=int, help="only the first N test digits")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    try:
        print(json.dumps(run(args.model, args.n, args.seed)))
    except NNVizError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
