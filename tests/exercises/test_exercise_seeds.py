"""Issue 21: the seeds' exercises (gates, apples, the 2-2-1 output, ten MNIST digits), the
prediction helpers and the score book."""
import copy

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.exercises import (GateExercise, ScoreBook, boundary_shape, gate_exercises, grade, largest_change,
                             loss_goes_down, loss_went_down)
from nnviz.exercises.seeds import DigitQuiz, apple_questions, lesson_questions

SEEDS = {"AND": (0.5, 0.5, -0.7), "NAND": (-0.5, -0.5, 0.7), "OR": (1.0, 1.0, -0.5)}


@pytest.mark.parametrize("gate", sorted(SEEDS))
def test_gate_accepts_the_seeds_weights_and_rejects_a_wrong_one(gate):
    ex = GateExercise(gate)
    assert not ex.solved
    ex.set(*SEEDS[gate])
    assert ex.solved and ex.right == 4 and ex.solvable
    truth = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}[gate]
    assert [r[2] for r in ex.rows] == truth and [r[3] for r in ex.rows] == truth
    assert [(r[0], r[1]) for r in ex.rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    (p, q) = ex.line
    w1, w2, b = SEEDS[gate]
    for x1, x2 in (p, q):
        assert w1 * x1 + w2 * x2 + b == pytest.approx(0, abs=1e-12)
        assert -1e-9 <= x1 <= 1 + 1e-9 and -1e-9 <= x2 <= 1 + 1e-9
    wrong = {"AND": (0.5, 0.5, -0.2), "OR": (1.0, 1.0, -1.5), "NAND": (0.5, 0.5, 0.7)}[gate]
    ex.set(*wrong)
    assert not ex.solved and ex.right < 4 and "4" in ex.status()


def test_xor_no_single_line():
    ex = GateExercise("xor")
    assert not ex.solvable and ex.no_line_works() and ex.best_possible() == 3
    for w in [(1, 1, -0.5), (1, -1, 0), (-1, -1, 1.5), (0.5, 0.5, -0.7)]:
        assert not ex.set(*w).solved
    assert GateExercise("and").no_line_works() is False
    assert [g.gate for g in gate_exercises()] == ["AND", "OR", "NAND", "XOR"]
    assert ex.set(0, 0, 0).line is None
    with pytest.raises(NNVizError):
        GateExercise("nor")
    with pytest.raises(NNVizError):
        ex.set(float("nan"), 0, 0)


def test_apple_backward_values():
    qs = {q.id: q for q in apple_questions()}
    assert set(qs) == {"apple:apple_price", "apple:price", "apple:d_apple_price", "apple:d_tax",
                       "apple:d_apple", "apple:d_count"}
    for qid, v in [("apple:price", 220), ("apple:d_apple", 2.2), ("apple:d_count", 110), ("apple:d_tax", 200),
                   ("apple:d_apple_price", 1.1), ("apple:apple_price", 200)]:
        assert grade(qs[qid], str(v)).correct, qid
    g = grade(qs["apple:d_apple"], "2")   # the local gradient (count) without the upstream 1.1
    assert g.mistake == "forgot_upstream" and not g.correct
    g = grade(qs["apple:d_count"], "2.2")  # upstream × its own input... (1.1 × 2): the other one belongs
    assert g.mistake == "same_input"
    assert grade(qs["apple:d_tax"], "-200").mistake == "sign"
    assert qs["apple:d_apple"].phase > qs["apple:d_tax"].phase > qs["apple:price"].phase


def test_lesson_question_sets():
    qs = {q.id: q for q in lesson_questions("network-2-2-1")}
    assert qs["a:1:0"].expected == pytest.approx(0.7216325609518421, abs=1e-15)
    assert grade(qs["a:1:0"], "0.7216325609518421").correct
    neuron = {q.id: q for q in lesson_questions("neuron")}
    assert neuron["a:0:0"].expected == pytest.approx(0.9990889488055994, abs=1e-15)
    assert lesson_questions("apple") and lesson_questions("gates") == []


def test_digit_quiz_scores_learner_and_network():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 255, size=(50, 784))
    labels = rng.integers(0, 10, size=50)
    predicted = labels.copy()
    predicted[::3] = (predicted[::3] + 1) % 10
    quiz = DigitQuiz(images, labels, predicted, n=10, seed=7)
    again = DigitQuiz(images, labels, predicted, n=10, seed=7)
    assert list(quiz.indices) == list(again.indices) and len(set(quiz.indices)) == 10
    assert quiz.image(0).shape == (28, 28)
    answers = list(quiz.labels)
    answers[0] = (answers[0] + 1) % 10
    answers[1] = None
    s = quiz.score(answers)
    assert s.n == 10 and s.learner_right == 8
    assert s.network_right == int((predicted[quiz.indices] == labels[quiz.indices]).sum())
    assert s.as_dict()["rows"][0][:2] == [int(quiz.indices[0]), int(quiz.labels[0])]
    with pytest.raises(NNVizError):
        quiz.score([1, 2])


@pytest.mark.mnist
def test_digit_quiz_on_the_mnist_network(with_mnist):
    from nnviz.experiment import build
    from nnviz.presets import get_preset, preset_data

    p = get_preset("mnist-seed")
    exp = build(p.settings, data=preset_data(p, p.settings))
    quiz = DigitQuiz.from_experiment(exp, n=10, seed=3)
    assert len(quiz) == 10 and quiz.images.shape == (10, 784)
    s = quiz.score(list(quiz.labels))
    assert s.learner_right == 10 and 0 <= s.network_right <= 10


def test_predictions():
    from nnviz.experiment import build
    from nnviz.lessons.record import record_step
    from nnviz.lessons.stepping import preset_settings, sample_batch
    from nnviz.presets import preset_data

    p, s = preset_settings("network-2-2-1")
    exp = build(s, data=preset_data(p, s))
    x, t = sample_batch(exp, 0)
    before = copy.deepcopy(exp.net.flat_params)
    pred = loss_goes_down(exp.net, x, t, exp.optimizer)
    assert np.array_equal(exp.net.flat_params, before) and exp.optimizer.t == 0   # copies only
    assert pred.answer is True and pred.details["after"] < pred.details["before"]
    assert pred.check(True) and not pred.check(False) and pred.explanation()
    rec = record_step(exp.net, x, t, exp.optimizer)
    after = loss_went_down(rec, exp.net)
    assert after.answer is True and after.details["after"] == pytest.approx(pred.details["after"])
    big = largest_change(rec, 1)
    change = np.abs(rec.rec("update", 1)["W"] - rec.layers[1].params["W"])
    assert change[big.answer] == change.max() and big.check(list(big.answer)) and big.explanation()
    assert not big.check("nonsense")
    with pytest.raises(NNVizError):
        largest_change(rec, 5)
    assert boundary_shape(exp.net).answer == "curve"
    assert boundary_shape(["sigmoid"]).answer == "line"
    assert boundary_shape(["identity", "identity", "sigmoid"]).answer == "line"
    assert boundary_shape(["tanh", "sigmoid"]).check("curve")


def test_score_book_round_trip_and_bad_data():
    book = ScoreBook()
    book.record("neuron", True)
    book.record("neuron", False)
    book.mark_done("gates")
    d = book.to_dict()
    assert d == {"gates": {"asked": 0, "right": 0, "done": True}, "neuron": {"asked": 2, "right": 1, "done": False}}
    again = ScoreBook.from_dict(d)
    assert again.to_dict() == d and again.done() == ["gates"]
    odd = ScoreBook.from_dict({"a": {"asked": "x", "right": 9, "done": "yes"}, 3: {}, "b": None,
                               "c": {"asked": 2, "right": 5, "done": True}})
    assert odd.to_dict() == {"a": {"asked": 0, "right": 0, "done": False}, "c": {"asked": 2, "right": 2, "done": True}}
    assert ScoreBook.from_dict(None).to_dict() == {} and ScoreBook.from_dict([1]).to_dict() == {}
    book.reset("neuron")
    assert book.get("neuron").asked == 0
