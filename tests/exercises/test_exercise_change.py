"""A W′ that rounds to w at the shown digits is asked as its change Δw (the window's question);
the CLI's W_new keeps its meaning; the score book remembers the kinds answered right."""
import pytest

from nnviz.exercises import ScoreBook, grade, questions_for
from nnviz.exercises.change import change_question, old_value, too_small, window_questions
from nnviz.lessons.stepping import step_preset


@pytest.fixture(scope="module")
def adam_step():
    _exp, rec = step_preset("network-2-2-1", None, "adam", None)      # Adam's default lr 0.001
    return rec


def test_a_step_too_small_for_w_prime_is_asked_as_its_change(adam_step):
    rec = adam_step
    qs = questions_for(rec, select=(1, 0), weight=(1, 0))
    new = next(q for q in qs if q.id == "W_new:1:1,0")
    old = old_value(rec, new)
    assert old == 1.0 and abs(new.expected - 1.001) < 1e-4      # 1 → 1.001: w itself nearly passes
    assert too_small(new, old, 4)
    asked = window_questions(rec, qs, 4)
    change = next(q for q in asked if q.quantity == "W_change")
    assert change.id == "W_change:1:1,0" and change.index == [1, 0]
    assert abs(change.expected - (new.expected - old)) < 1e-15
    assert "ΔW[1,0]" in change.prompt and "ΔW[1,0] = W[1,0]′ − W[1,0]" in change.formula
    assert grade(change, f"{change.expected:.4g}").correct
    wrong = grade(change, f"{new.expected:.6g}")               # the new value typed: named
    assert not wrong.correct and wrong.mistake == "gave_new"
    flipped = grade(change, f"{-change.expected:.4g}")
    assert not flipped.correct and flipped.mistake in ("wrong_direction", "sign")
    # the weight that moves from 0 to 0.001 shows its step in W′: still asked as W′
    assert any(q.id == "W_new:1:0,0" for q in window_questions(rec, questions_for(rec, select=(1, 0)), 4))


def test_the_cli_questions_keep_w_new(adam_step):
    qs = questions_for(adam_step, select=(1, 0), weight=(1, 0))
    assert {q.quantity for q in qs} >= {"W_new", "b_new"}
    assert not any(q.quantity.endswith("_change") for q in qs)


def test_a_sgd_step_is_asked_as_w_prime():
    _exp, rec = step_preset("network-2-2-1")
    qs = questions_for(rec, select=(1, 0))
    assert [q.quantity for q in window_questions(rec, qs, 4)] == [q.quantity for q in qs]


def test_change_question_of_a_bias(adam_step):
    rec = adam_step
    b = next(q for q in questions_for(rec, select=(1, 0)) if q.quantity == "b_new")
    c = change_question(rec, b, 4)
    assert c.quantity == "b_change" and abs(c.expected - (b.expected - old_value(rec, b))) < 1e-15


def test_the_score_book_remembers_the_kinds_answered_right():
    book = ScoreBook()
    book.record("network-2-2-1", True, "z")
    book.record("network-2-2-1", False, "a")
    book.record("network-2-2-1", True, "W_change")
    assert book.get("network-2-2-1").solved == {"z", "W_new"}
    assert book.covers("network-2-2-1", {"z", "W_new"}) and not book.covers("network-2-2-1", {"z", "a"})
    assert not book.covers("network-2-2-1", set())
    again = ScoreBook.from_dict(book.to_dict())
    assert again.get("network-2-2-1").solved == {"z", "W_new"}
    assert ScoreBook.from_dict({"x": {"asked": 1, "right": 1, "solved": "z"}}).get("x").solved == set()


def test_a_planted_mistake_cut_off_instead_of_rounded_is_still_named():
    _exp, rec = step_preset("network-2-2-1")
    qs = {q.id: q for q in questions_for(rec, select=(1, 0))}
    assert grade(qs["delta:1:0"], "-0.4017").mistake == "sigma_for_prime"     # σ(z) for σ′(z): −0.40176
    assert grade(qs["dL/dW:1:0,0"], "-0.2236").mistake == "x_for_a"           # x for a: −0.22367
    assert grade(qs["delta:1:0"], "-0.1118").correct
    assert grade(qs["delta:1:0"], "-0.112").mistake == "rounding"
