"""The seeds' gate exercise: find w1, w2, b that make one step perceptron compute a gate.

A perceptron outputs 1 where ``w1·x1 + w2·x2 + b > 0`` (the lessons' convention). AND, OR and
NAND each have weights that work (the seeds': AND (0.5, 0.5, −0.7), NAND (−0.5, −0.5, 0.7),
OR (1.0, 1.0, −0.5)); XOR has none: no line puts (0,1), (1,0) on one side and (0,0), (1,1) on
the other (:meth:`GateExercise.no_line_works` checks it).
"""
from __future__ import annotations

import math

import numpy as np

from nnviz.core.errors import NNVizError, UnknownNameError
from nnviz.i18n import N_, _
from nnviz.lessons.demos.gates import CORNERS, GATES, best_single_line, decision_line, perceptron

TARGETS = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0), "XOR": (0, 1, 1, 0)}
#: The seeds' weights (w1, w2, b), as the gates lesson shows them.
SEED_WEIGHTS = {g.upper(): wb for g, wb in GATES.items()}


class GateExercise:
    """The truth table of one gate against a perceptron with the learner's w1, w2, b."""

    def __init__(self, gate: str, w1: float = 0.0, w2: float = 0.0, b: float = 0.0):
        name = str(gate).strip().upper()
        if name not in TARGETS:
            raise UnknownNameError("gate", str(gate), list(TARGETS))
        self.gate = name
        self.targets = np.array(TARGETS[name])
        self.set(w1, w2, b)

    def set(self, w1: float, w2: float, b: float) -> "GateExercise":
        vals = []
        for v in (w1, w2, b):
            try:
                v = float(v)
            except (TypeError, ValueError):
                v = math.nan
            if not math.isfinite(v):
                raise NNVizError(N_("weights and bias must be finite numbers, got {value}"), value=repr(v))
            vals.append(v)
        self.w1, self.w2, self.b = vals
        self.outputs = perceptron(self.w1, self.w2, self.b, CORNERS)
        return self

    @property
    def weights(self) -> tuple[float, float, float]:
        return self.w1, self.w2, self.b

    @property
    def rows(self) -> list[tuple[int, int, int, int]]:
        """``(x1, x2, target, output)`` for the four corners 00, 01, 10, 11."""
        return [(int(x1), int(x2), int(t), int(o))
                for (x1, x2), t, o in zip(CORNERS, self.targets, self.outputs)]

    @property
    def right(self) -> int:
        """How many of the four rows the perceptron gets right."""
        return int((self.outputs == self.targets).sum())

    @property
    def solved(self) -> bool:
        return self.right == 4

    @property
    def line(self):
        """Two points where ``w1·x1 + w2·x2 + b = 0`` crosses the unit square, or None."""
        return decision_line(self.w1, self.w2, self.b)

    @property
    def solvable(self) -> bool:
        """Whether one perceptron can compute the gate (XOR: no)."""
        return self.gate != "XOR"

    @property
    def seed_weights(self):
        """The seeds' (w1, w2, b) for this gate (None for XOR)."""
        return SEED_WEIGHTS.get(self.gate)

    def no_line_works(self) -> bool:
        """Searches lines over the square: True when none gets all four rows right."""
        return best_single_line(self.targets) < 4

    def best_possible(self) -> int:
        """The most rows any one line gets right (4, or 3 for XOR)."""
        return best_single_line(self.targets)

    def status(self) -> str:
        """What the exercise says about the current weights, in the current language."""
        if self.solved:
            return _("Right: the perceptron computes {gate} on all four inputs.").format(gate=self.gate)
        if not self.solvable:
            return _("{right} of 4 right. No line can do {gate}: (0,1) and (1,0) must be on one side, (0,0) and "
                     "(1,1) on the other; it needs a hidden layer.").format(right=self.right, gate=self.gate)
        return _("{right} of 4 right: move the line so that the inputs with output 1 are on its positive side."
                 ).format(right=self.right)


def gate_exercises() -> list[GateExercise]:
    """AND, OR, NAND and XOR, the order the gates lesson takes them."""
    return [GateExercise(g) for g in ("AND", "OR", "NAND", "XOR")]
