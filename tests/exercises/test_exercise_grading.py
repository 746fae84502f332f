"""Issue 21: answers computed independently (a NumPy MLP written here, central differences,
hand formulas) are accepted for every quantity; wrong ones are rejected with the right hint."""
import math

import numpy as np
import pytest

from exercise_hand import Hand, hand_for
from nnviz.core.errors import NNVizError
from nnviz.exercises import QUANTITIES, grade, parse_answer, questions_for


def hand_values(hand: Hand, rec, q, opt_state=None):
    """What the learner computes by hand for question ``q`` (never read from the trace)."""
    zs, As, L = hand.run()
    s, j = 0, q.neuron
    if q.quantity == "z":
        return zs[q.layer][s, j]
    if q.quantity == "a":
        return As[q.layer][s, j]
    if q.quantity == "loss":
        return L
    if q.quantity == "dL/da":
        return hand.d_value("a", q.layer, (s, j))
    if q.quantity == "delta":
        return hand.d_value("z", q.layer, (s, j))
    if q.quantity == "dL/dW":
        return hand.d_param("W", q.layer, tuple(q.index))
    if q.quantity == "dL/db":
        return hand.d_param("b", q.layer, (j,))
    name, idx = ("W", tuple(q.index)) if q.quantity == "W_new" else ("b", (j,))
    w = (hand.W if name == "W" else hand.b)[q.layer][idx]
    g = hand.d_param(name, q.layer, idx)
    return opt_state(q.layer, name, idx, w, g) if opt_state else w - rec.hyper["lr"] * g


def sig(v, d=6):
    return float(f"{v:.{d - 1}e}")


def check_all(hand, rec, qs, opt_state=None):
    seen = set()
    for q in qs:
        v = hand_values(hand, rec, q, opt_state)
        g = grade(q, sig(v))
        assert g.correct, (q.id, v, q.expected, g)
        seen.add(q.quantity)
        # rounded to the shown digits: accepted; 1% off and the wrong sign: rejected
        assert grade(q, g.shown_expected.replace("−", "-")).correct
        if abs(v) > 1e-9:
            off = grade(q, v * 1.01)
            assert not off.correct and off.hint and off.formula
            wrong_sign = grade(q, -v)
            assert not wrong_sign.correct
            if q.quantity not in ("W_new", "b_new"):
                assert wrong_sign.mistake == "sign" and "sign" in wrong_sign.hint
    return seen


def test_221_every_quantity_accepted_from_hand_values():
    hand, rec, _h, _e = hand_for("network-2-2-1")
    for select in [None, (1, 0), (0, 1)]:
        qs = questions_for(rec, select=select, weight=(1, select[1]) if select else None)
        seen = check_all(hand, rec, qs)
    assert seen == set(QUANTITIES)
    a = {q.id: q for q in questions_for(rec)}["a:1:0"]
    assert a.expected == pytest.approx(0.7216325609518421, abs=1e-15)
    assert grade(a, "0.7216").correct and grade(a, "0.72163").correct and not grade(a, "0.7217").correct


def test_torch_3322_softmax_cross_entropy_every_quantity():
    hand, rec, _h, _e = hand_for("torch-3-3-2-2")
    assert rec.fused and rec.batch == 5
    seen = set()
    for l, j in [(0, 0), (1, 1), (2, 1)]:
        seen |= check_all(hand, rec, questions_for(rec, select=(l, j), weight=(1, j)))
    assert seen == set(QUANTITIES)   # ∂L/∂a of the hidden layers (the fused output asks δ directly)
    assert not any(q.id.startswith("dL/da:2:") for q in questions_for(rec, select=(2, 1)))


def _adam_state(hand, history, hp):
    """Adam by hand: the gradients of the earlier steps (finite differences at the weights they
    had) give m and v; then the recorded step."""
    b1, b2, eps, lr = hp["beta1"], hp["beta2"], hp["eps"], hp["lr"]
    past = []
    for Wb in history:
        h = Hand([w for w, _b in Wb], [b for _w, b in Wb], hand.acts, hand.loss_name, hand.x, hand.t)
        past.append(h.grads())

    def state(l, name, idx, w, g):
        gs = [(p[l][0] if name == "W" else p[l][1])[idx] for p in past] + [g]
        m = v = 0.0
        for gk in gs:
            m = b1 * m + (1 - b1) * gk
            v = b2 * v + (1 - b2) * gk * gk
        t = len(gs)
        return w - lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + eps)
    return state


@pytest.mark.parametrize("steps_before", [0, 2])
def test_adam_step_accepted_from_hand_formula(steps_before):
    hand, rec, history, _e = hand_for("torch-3-3-2-2", "adam", steps_before)
    assert rec.optimizer == "adam" and rec.t_before == steps_before
    state = _adam_state(hand, history, rec.hyper)
    for l, j in [(0, 0), (2, 1)]:
        qs = [q for q in questions_for(rec, select=(l, j), weight=(2 if l == 0 else 1, j))
              if q.quantity in ("W_new", "b_new")]
        check_all(hand, rec, qs, state)
        for q in qs:   # no bias correction: a planted mistake with its hint
            w = (hand.W if q.quantity == "W_new" else hand.b)[l][tuple(q.index) if q.index else (j,)]
            g = hand.d_param("W" if q.quantity == "W_new" else "b", l, tuple(q.index) if q.index else (j,))
            if steps_before == 0 and abs(g) > 1e-9:
                m, v = 0.1 * g, 0.001 * g * g
                got = grade(q, sig(w - rec.hyper["lr"] * m / (math.sqrt(v) + 1e-8)))
                assert got.mistake == "no_bias_correction" and "β₁" in got.hint


def q_of(rec, qid, **kw):
    return {q.id: q for q in questions_for(rec, **kw)}[qid]


def test_planted_mistakes_221():
    hand, rec, _h, _e = hand_for("network-2-2-1")
    zs, As, L = hand.run()
    y, h0 = As[1][0, 0], As[0][0, 0]
    dy = 2 * (y - 1)
    d_out = dy * y * (1 - y)
    cases = [
        ("z:1:0", -zs[1][0, 0], "sign", {}),
        ("delta:1:0", dy * y, "sigma_for_prime", {}),                       # σ(z) for σ′(z)
        ("delta:1:0", dy, "forgot_prime", {}),
        ("dL/da:1:0", y - 1, "mse_factor", {}),
        ("dL/dW:1:0,0", d_out * 2.0, "x_for_a", {}),                        # x₀ = 2 for a₀
        ("z:1:0", 0 * 2 + 1 * 3 + 0, "x_for_a", {}),                        # Σ w·x instead of Σ w·a
        ("W_new:1:0,0", 0 - hand.d_param("W", 1, (0, 0)), "forgot_lr", {}),
        ("W_new:1:0,0", 0 + 0.1 * hand.d_param("W", 1, (0, 0)), "wrong_direction", {}),
        ("W_new:1:0,0", hand.d_param("W", 1, (0, 0)), "gave_gradient", {}),
        ("a:1:0", zs[1][0, 0], "z_for_a", {}),
    ]
    # hidden neuron 1 gets δ = w·δ_out·σ′: its weight from x₀ = 2, with a₀ of its own layer instead
    d_h1 = 1.0 * d_out * h0 * (1 - h0)
    cases.append(("dL/dW:0:0,1", d_h1 * h0, "a_for_x", {"select": (0, 1), "weight": (0, 1)}))
    cases.append(("dL/dW:0:0,1", d_h1 * 2 * -1, "sign", {"select": (0, 1), "weight": (0, 1)}))
    for qid, wrong, key, kw in cases:
        q = q_of(rec, qid, **kw)
        g = grade(q, sig(wrong))
        assert not g.correct and g.mistake == key, (qid, key, g)
        assert g.hint and g.formula


def test_planted_mistakes_mean_and_momentum():
    hand, rec, _h, _e = hand_for("torch-3-3-2-2")
    L = hand.run()[2]
    g = grade(q_of(rec, "loss"), sig(L * 5))
    assert g.mistake == "forgot_mean" and "5" in g.hint
    d = hand.d_value("z", 2, (0, 1))
    assert grade(q_of(rec, "delta:2:1", select=(2, 1)), sig(d * 5)).mistake == "forgot_mean"
    hand, rec, history, _e = hand_for("network-2-2-1", "momentum", steps_before=1, lr=0.5)
    q = q_of(rec, "W_new:1:1,0", select=(1, 0), weight=(1, 0))
    gr = hand.d_param("W", 1, (1, 0))
    plain = hand.W[1][1, 0] - rec.hyper["lr"] * gr
    got = grade(q, sig(plain))
    assert got.mistake == "ignored_momentum" and not got.correct
    # the right answer with the buffer from the first step's gradient
    first = Hand([w for w, _b in history[0]], [b for _w, b in history[0]], hand.acts, "mse", hand.x, hand.t)
    buf = 0.9 * first.d_param("W", 1, (1, 0)) + gr
    assert grade(q, sig(hand.W[1][1, 0] - rec.hyper["lr"] * buf)).correct


def test_more_planted_mistakes_3322_and_adam():
    hand, rec, _h, _e = hand_for("torch-3-3-2-2")
    zs, As, _L = hand.run()
    W2, b2 = hand.W[2], hand.b[2]
    assert abs(b2[0]) > 1e-3
    z = q_of(rec, "z:2:0")
    assert grade(z, sig(zs[2][0, 0] - b2[0])).mistake == "forgot_bias"
    got = grade(z, sig(As[2][0] @ W2[:, 0] + b2[0]))        # its own output a where hidden 2's a belongs
    assert got.mistake == "wrong_a" and "hidden 2" in got.hint
    assert grade(q_of(rec, "a:0:0"), "0.588").mistake == "rounding"   # 3 digits where 4 are asked
    hand, rec, _h, _e = hand_for("torch-3-3-2-2", "adam")
    q = q_of(rec, "W_new:2:1,1", select=(2, 1), weight=(1, 1))
    w, g = hand.W[2][1, 1], hand.d_param("W", 2, (1, 1))
    assert grade(q, sig(w - rec.hyper["lr"] * g)).mistake == "ignored_scaling"
    new = w - rec.hyper["lr"] * g / (abs(g) + 1e-8)          # Adam's first step by hand
    assert grade(q, sig(new)).correct
    assert grade(q, sig(new - w)).mistake == "gave_change"
    assert grade(q, sig(w - g / (abs(g) + 1e-8))).mistake == "forgot_lr"


@pytest.mark.parametrize("digits", [1, 2, 3, 4, 6, 8])
def test_rounding_to_the_shown_digits_is_accepted(digits):
    _hand, rec, _h, _e = hand_for("torch-3-3-2-2")
    for q in questions_for(rec, select=(0, 0), digits=digits):
        e = q.expected
        assert grade(q, f"{e:.{digits - 1}e}").correct, (q.id, e)
        assert grade(q, grade(q, 0).shown_expected.replace("−", "-")).correct
        if abs(e) > 1e-9:
            assert not grade(q, e * (1 + 3 * 10 ** (1 - digits))).correct
    q = questions_for(rec, select=(0, 0))[0]
    assert grade(q, round(q.expected, 6), digits=6).correct
    assert not grade(q, round(q.expected, 2) + 0.004, digits=4).correct


def test_parse_answer_forms_and_errors():
    assert parse_answer("0.7216") == 0.7216
    assert parse_answer("7.216e-1") == 0.7216
    assert parse_answer(" −0.5567 ") == -0.5567
    assert parse_answer("-0,5") == -0.5
    assert parse_answer("９.１７１e−5") == pytest.approx(9.171e-5)
    assert parse_answer(".5") == 0.5 and parse_answer("+3") == 3.0 and parse_answer(2) == 2.0
    assert parse_answer("0,125") == 0.125 and parse_answer("12,5") == 12.5
    for bad in ["", "abc", "1,000.5", "nan", "inf", "1e999", "0.5.5", "1/2", "--1", "1,000", "-12,500"]:
        with pytest.raises(NNVizError) as exc:
            parse_answer(bad)
        assert "\n" not in str(exc.value) and ("not a number" in str(exc.value) or "comma" in str(exc.value))


def test_untrainable_step_asks_forward_only_and_bad_selection_is_clear():
    from nnviz.lessons.stepping import step_preset

    _e, rec = step_preset("gate-and")
    qs = questions_for(rec)
    assert {q.quantity for q in qs} == {"z", "a"}
    _e, rec = step_preset("network-2-2-1")
    for kw in [dict(select=(2, 0)), dict(select=(0, 5)), dict(select=(0, 0), weight=(2, 0)), dict(digits=0)]:
        with pytest.raises(NNVizError):
            questions_for(rec, **kw)


def test_public_dict_hides_the_answer():
    rec = hand_for("network-2-2-1")[1]
    q = questions_for(rec)[3]
    d = q.as_dict()
    assert set(d) == {"id", "phase", "layer", "neuron", "quantity", "index", "prompt", "digits"}
    assert "expected" in q.as_dict(public=False) and "formula" in q.as_dict(public=False)
    assert str(q.expected)[:6] not in d["prompt"]
