"""The seeds' exercises as question sets: the apple graph, the lessons' networks, ten MNIST digits.

* :func:`apple_questions` — the apple graph's forward and backward values (200, 220, 1.1,
  200, 2.2, 110), with the chain rule's two mistakes (the upstream gradient left out, the
  node's own input used instead of the other one);
* :func:`lesson_questions` — the questions a lesson asks (its network's traced step with its
  selected neuron, e.g. the 2-2-1 network's output 0.7216325609518421; the apple graph);
* :class:`DigitQuiz` — ten test digits picked by a seed: the learner reads them, and their
  labels are scored against the truth and against the network's predictions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.exercises.grading import DEFAULT_DIGITS, check_digits
from nnviz.exercises.questions import Question, questions_for
from nnviz.i18n import N_
from nnviz.lessons.demos.apple import NAMES, apple_steps

APPLE_VALUE = N_("Forward: compute {name}.")
APPLE_GRAD = N_("Backward: compute ∂{top}/∂{name}.")


def apple_questions(digits: int = DEFAULT_DIGITS, apple: float = 100.0, count: float = 2.0,
                    tax: float = 1.1) -> list[Question]:
    """The apple graph's values: ids ``apple:apple_price``, ``apple:price`` (forward) and
    ``apple:d_apple_price``, ``apple:d_tax``, ``apple:d_apple``, ``apple:d_count`` (backward);
    ``phase`` is the index of :func:`~nnviz.lessons.demos.apple.apple_steps`' step."""
    digits = check_digits(digits)
    steps = apple_steps(apple, count, tax)
    out = []
    for st in steps:
        if st.phase == "forward" and st.node in st.values and st.node in NAMES and st.index > 0:
            out.append(Question(f"apple:{st.node}", st.index, None, None, "value", None, digits,
                                float(st.values[st.node]), st.filled, APPLE_VALUE,
                                {"name": ("text", NAMES[st.node])}, [("sign", -float(st.values[st.node]), {})]))
        if st.phase == "backward" and st.edges:
            up = st.grads[st.node]
            (_o, a), (_o2, b) = st.edges
            for mine, other in ((a, b), (b, a)):
                e = float(st.grads[mine])
                wrong = [("forgot_upstream", float(st.values[other]), {}),
                         ("same_input", float(up * st.values[mine]), {}), ("sign", -e, {})]
                out.append(Question(f"apple:d_{mine}", st.index, None, None, "grad", None, digits, e, st.filled,
                                    APPLE_GRAD, {"name": ("text", NAMES[mine]), "top": ("text", NAMES["price"])},
                                    wrong))
    return out


def lesson_questions(name: str, digits: int = DEFAULT_DIGITS) -> list[Question]:
    """The questions of lesson ``name`` (``nnviz lessons``): its network's step (with the lesson's
    selected neuron) or the apple graph; [] for a lesson without computed values to ask."""
    from nnviz.lessons.catalog import get_lesson
    from nnviz.lessons.stepping import step_preset
    from nnviz.presets import get_preset

    lesson = get_lesson(name)
    if lesson.demo == "apple":
        return apple_questions(digits)
    if lesson.demo not in ("step", "params") or not lesson.preset:
        return []
    if get_preset(lesson.preset).kind == "graph":
        return []
    _exp, rec = step_preset(lesson.preset)
    return questions_for(rec, select=lesson.select, digits=digits)


@dataclass(frozen=True)
class DigitScore:
    """The learner's labels against the truth, beside the network's."""

    n: int
    learner_right: int
    network_right: int
    rows: list[tuple[int, int, int | None, int]]   # (test index, true label, learner's, network's)

    def as_dict(self) -> dict:
        return {"n": self.n, "learner_right": self.learner_right, "network_right": self.network_right,
                "rows": [list(r) for r in self.rows]}


class DigitQuiz:
    """``n`` test digits picked by ``seed``; the learner labels them, :meth:`score` compares.

    ``images`` are the raw test rows (``x_test``), ``labels`` their true classes, ``predicted``
    the network's class for every test row (or a function from row indices to classes).
    """

    def __init__(self, images, labels, predicted, n: int = 10, seed: int = 0):
        labels = np.asarray(labels)
        if len(labels) == 0 or len(images) != len(labels):
            raise NNVizError(N_("the digit quiz needs test images with one label each"))
        n = min(int(n), len(labels))
        self.seed = int(seed)
        self.indices = np.sort(np.random.default_rng(self.seed).choice(len(labels), size=n, replace=False))
        self.images = np.asarray(images)[self.indices]
        self.labels = labels[self.indices].astype(int)
        got = predicted(self.indices) if callable(predicted) else np.asarray(predicted)[self.indices]
        self.network = np.asarray(got).astype(int)

    @classmethod
    def from_experiment(cls, exp, n: int = 10, seed: int = 0) -> "DigitQuiz":
        """On an experiment's test set, with its network's predictions."""
        data, net = exp.data, exp.net

        def predict(idx):
            x = data.inputs(data.x_test[idx], dtype=net.dtype)
            return np.argmax(net.forward(x, train=False), axis=1)

        return cls(data.x_test, data.y_test, predict, n=n, seed=seed)

    def __len__(self) -> int:
        return len(self.indices)

    def image(self, k: int, shape=(28, 28)) -> np.ndarray:
        """Digit ``k`` of the quiz as an image array."""
        return self.images[k].reshape(shape)

    def score(self, answers) -> DigitScore:
        """``answers``: the learner's label of each digit in order (None: not answered)."""
        answers = list(answers)
        if len(answers) != len(self):
            raise NNVizError(N_("expected {n} labels, got {got}"), n=len(self), got=len(answers))
        learner = [None if a is None else int(a) for a in answers]
        rows = [(int(i), int(t), a, int(p)) for i, t, a, p in zip(self.indices, self.labels, learner, self.network)]
        return DigitScore(len(rows), sum(a == t for _i, t, a, _p in rows), sum(p == t for _i, t, _a, p in rows), rows)
