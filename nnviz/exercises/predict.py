"""Predict it: the learner guesses, nnviz shows what happened (Qt-free).

* :func:`largest_change` — which weight of a layer the update moves most (from the record);
* :func:`loss_goes_down` — whether one more step lowers the loss on the sample (on copies);
* :func:`boundary_shape` — whether the decision boundary is a line or a curve.

Each returns a :class:`Prediction`: its choices, the true answer and :meth:`Prediction.check`.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_, _
from nnviz.lessons.record import StepRecord


@dataclass
class Prediction:
    """One prediction: ``kind``, the ``answer`` that came true and what shows it (``details``)."""

    kind: str                      # "largest_change", "loss_down" or "boundary"
    answer: object                 # (row, col); True/False; "line"/"curve"
    choices: list = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def check(self, guess) -> bool:
        """Whether ``guess`` is what happened."""
        if self.kind == "largest_change":
            try:
                return tuple(int(v) for v in guess) == tuple(self.answer)
            except (TypeError, ValueError):
                return False
        return guess == self.answer

    def explanation(self) -> str:
        """What happened, in the current language."""
        d = self.details
        if self.kind == "largest_change":
            return _("W[{row},{col}] changed most: by {change}.").format(
                row=self.answer[0], col=self.answer[1], change=f"{d['change']:.4g}")
        if self.kind == "loss_down":
            text = (_("The loss went down: from {before} to {after}.") if self.answer else
                    _("The loss did not go down: from {before} to {after}."))
            return text.format(before=f"{d['before']:.4g}", after=f"{d['after']:.4g}")
        if self.answer == "line":
            return _("A line: without a hidden non-linear layer the network is one linear map.")
        return _("A curve: a hidden layer with a non-linear activation bends the boundary.")


def largest_change(rec: StepRecord, layer: int) -> Prediction:
    """Which weight of dense ``layer`` the recorded update changed most (by |W′ − W|)."""
    if not rec.trained:
        raise NNVizError(N_("this step changed no weight (the network cannot be trained)"))
    if not 0 <= layer < rec.n_layers:
        raise NNVizError(N_("layer {layer}: the network has dense layers 0..{last}"), layer=layer,
                         last=rec.n_layers - 1)
    old, new = rec.layers[layer].params["W"], rec.rec("update", layer)["W"]
    change = np.abs(np.asarray(new, dtype=float) - np.asarray(old, dtype=float))
    row, col = np.unravel_index(int(np.argmax(change)), change.shape)
    choices = [(i, j) for i in range(change.shape[0]) for j in range(change.shape[1])]
    return Prediction("largest_change", (int(row), int(col)), choices,
                      {"change": float(change[row, col]), "changes": change, "layer": layer})


def _loss(net, x, t) -> float:
    return float(net.loss_value(net.forward(x, train=False), t))


def loss_goes_down(net, x, t, optimizer) -> Prediction:
    """Train one step on copies of ``net`` and ``optimizer`` (left unchanged): does the loss on
    ``(x, t)`` (test-mode forward) go down?"""
    x = net.as_input(x)
    t = np.asarray(t, dtype=net.dtype).reshape(len(x), -1)
    before = _loss(net, x, t)
    net2, opt2 = copy.deepcopy(net), copy.deepcopy(optimizer)
    net2.train_step(x, t, opt2)
    after = _loss(net2, x, t)
    return Prediction("loss_down", bool(after < before), [True, False], {"before": before, "after": after})


def is_linear(activations: list[str]) -> bool:
    """A boundary is a line when no hidden layer applies a non-linear activation."""
    return all(a == "identity" for a in activations[:-1])


def boundary_shape(net) -> Prediction:
    """``"line"`` (no hidden layer, or only identity ones) or ``"curve"``, for a network or a
    list of its dense layers' activations."""
    acts = list(net) if isinstance(net, (list, tuple)) else [l.activation.name for l in net.dense_layers()]
    return Prediction("boundary", "line" if is_linear(acts) else "curve", ["line", "curve"],
                      {"activations": acts})


def loss_went_down(rec: StepRecord, net) -> Prediction:
    """The same question after the fact: ``net`` is the network ``rec`` was recorded on (its
    weights already updated by the step); compares the recorded loss with the loss now."""
    if not rec.trained:
        raise NNVizError(N_("this step changed no weight (the network cannot be trained)"))
    before, after = float(rec.loss_value), _loss(net, rec.x, rec.t)
    return Prediction("loss_down", bool(after < before), [True, False], {"before": before, "after": after})
