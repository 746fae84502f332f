"""Which test images a model gets wrong, and how often each (true, predicted) pair occurs.

:func:`find_mistakes` runs a predictor (images → class probabilities) over a set of labelled
images in chunks, so a caller on another thread can show progress and stop it early. Its
:attr:`Mistakes.counts` are the off-diagonal cells of the confusion matrix ``C[true,
predicted]`` (the predicted class is the arg-max, as :meth:`nnviz.core.training.Trainer.confusion`
counts it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz.core.errors import N_, DataError

CHUNK = 500


class Cancelled(Exception):
    """The progress callback asked to stop."""


@dataclass
class Mistakes:
    """The wrong answers of a model on ``n`` images.

    ``indices`` (m,) index the images the model got wrong, sorted by how sure it was of its
    wrong answer (most sure first); ``true``, ``pred`` (m,) their labels and predicted classes,
    ``prob`` (m,) the probability of the predicted class and ``prob_true`` (m,) that of the
    right one. ``confusion`` (k, k) counts every image, ``C[true, predicted]``.
    """

    indices: np.ndarray
    true: np.ndarray
    pred: np.ndarray
    prob: np.ndarray
    prob_true: np.ndarray
    confusion: np.ndarray
    n: int

    @property
    def counts(self) -> np.ndarray:
        """(k, k) number of mistakes per (true, predicted) pair (zero on the diagonal)."""
        c = self.confusion.copy()
        np.fill_diagonal(c, 0)
        return c

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion)) / self.n if self.n else float("nan")

    def pairs(self) -> list[tuple[int, int, int]]:
        """``[(true, predicted, count)]`` of the pairs that occur, most frequent first."""
        c = self.counts
        t, p = np.nonzero(c)
        order = np.lexsort((p, t, -c[t, p]))
        return [(int(t[i]), int(p[i]), int(c[t[i], p[i]])) for i in order]

    def select(self, true: int | None = None, pred: int | None = None) -> np.ndarray:
        """Positions (into ``indices``…) of the mistakes with this true and/or predicted class."""
        keep = np.ones(len(self.indices), bool)
        if true is not None:
            keep &= self.true == int(true)
        if pred is not None:
            keep &= self.pred == int(pred)
        return np.flatnonzero(keep)


def find_mistakes(predict: Callable[[np.ndarray], np.ndarray], images: np.ndarray,
                  labels: np.ndarray, n_classes: int | None = None, chunk: int = CHUNK,
                  progress: Callable[[int, int], bool | None] | None = None) -> Mistakes:
    """Run ``predict`` (images (b, …) → (b, k) probabilities) over ``images`` in chunks.

    ``progress(done, total)`` is called after every chunk; returning ``False`` stops the run
    (raises :class:`Cancelled`).
    """
    labels = np.asarray(labels, dtype=np.int64).ravel()
    n = len(labels)
    if len(images) != n:
        raise DataError(N_("{images} images but {n} labels"), images=len(images), n=n)
    probs_true, probs_pred, preds = (np.empty(n) for _ in range(3))
    k = n_classes
    for s in range(0, n, max(1, int(chunk))):
        y = np.asarray(predict(images[s:s + chunk]), dtype=np.float64)
        if y.ndim != 2 or len(y) != len(labels[s:s + chunk]):
            raise DataError(N_("the model answered with shape {shape} for {labels} images"),
                            shape=y.shape, labels=len(labels[s:s + chunk]))
        k = k or y.shape[1]
        p = y.argmax(axis=1)
        rows = np.arange(len(y))
        preds[s:s + len(y)] = p
        probs_pred[s:s + len(y)] = y[rows, p]
        probs_true[s:s + len(y)] = y[rows, np.clip(labels[s:s + len(y)], 0, y.shape[1] - 1)]
        if progress is not None and progress(min(n, s + len(y)), n) is False:
            raise Cancelled()
    preds = preds.astype(np.int64)
    k = int(max(k or 0, (labels.max() + 1) if n else 0, (preds.max() + 1) if n else 0, 2))
    confusion = np.bincount(labels * k + preds, minlength=k * k).reshape(k, k)
    wrong = np.flatnonzero(preds != labels)
    wrong = wrong[np.argsort(-probs_pred[wrong], kind="stable")]
    return Mistakes(indices=wrong, true=labels[wrong], pred=preds[wrong], prob=probs_pred[wrong],
                    prob_true=probs_true[wrong], confusion=confusion, n=n)
