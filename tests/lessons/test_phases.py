"""The phase model against the trace, the seeds' numbers and hand computation."""
import numpy as np
import pytest

from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer
from nnviz.lessons import build_phases, display_state, record_step
from nnviz.lessons.fmt import num
from nnviz.lessons.stepping import step_preset


def _221():
    return step_preset("network-2-2-1")


def test_phase_order_and_layer_index():
    _, rec = _221()
    ph = build_phases(rec)
    assert [(p.phase, p.layer) for p in ph] == [("forward", 0), ("forward", 1), ("loss", None),
                                                 ("backward", 1), ("backward", 0), ("update", 1)]
    assert [p.index for p in ph] == list(range(6))
    assert [p.lit for p in ph] == [(0,), (1,), (1,), (1,), (0,), (0, 1)]


def test_221_shows_the_seed_output_and_its_deltas():
    _, rec = _221()
    ph = build_phases(rec, select=(0, 1))
    out = ph[1]
    assert out.values["a"] == 0.7216325609518421
    assert "z₀ = 0·0.9526 + 1·0.9526 + 0 = 0.9526" in out.filled
    assert "a₀ = σ(0.9526) = 0.7216" in out.filled
    a = 0.7216325609518421
    dA, fp = 2 * (a - 1), a * (1 - a)       # mse against 1, one output
    loss, back1 = ph[2], ph[3]
    assert loss.values["grad"] == pytest.approx(dA, rel=1e-15)
    assert back1.values["fprime"] == pytest.approx(fp, rel=1e-15)
    assert back1.values["delta"] == pytest.approx(dA * fp, rel=1e-14)
    assert "δ₀ = ∂L/∂a·σ′(z) = (−0.5567)·0.2009 = −0.1118" in back1.filled
    # hidden neuron 1 feeds the output with weight 1: ∂L/∂a = δ_out, δ = δ_out·σ′(3)
    s3 = 1 / (1 + np.exp(-3.0))
    assert ph[4].values["dA"] == pytest.approx(dA * fp, rel=1e-14)
    assert ph[4].values["delta"] == pytest.approx(dA * fp * s3 * (1 - s3), rel=1e-13)


def _check_against_trace(rec, phases):
    s = 0
    for p in phases:
        v = p.values
        if p.phase == "forward":
            r, snap, j = rec.rec("forward", p.layer), rec.layers[p.layer], p.neuron
            assert v["b"] == snap.params["b"][j]
            assert v.get("z", v.get("z_lin")) == (r["z"][s, j] if snap.bn is None else snap.z_lin[s, j])
            assert v["a"] == r["a"][s, j]
            for i in range(snap.params["W"].shape[0]):
                if f"w{i}" in v:
                    assert v[f"w{i}"] == snap.params["W"][i, j]
        elif p.phase == "loss":
            r = rec.records("loss")[0]
            assert v["L"] == r["value"] and v["grad"] == r["grad"][s, p.neuron]
        elif p.phase == "backward":
            r = rec.rec("backward", p.layer)
            assert v["delta"] == r["delta"][s, p.neuron]
            for k, val in v.items():
                if k.startswith("dW["):
                    i, j = map(int, k[3:-1].split(","))
                    assert val == r["dW"][i, j]
        else:
            r = rec.rec("update", p.layer)
            for k, val in v.items():
                if k.endswith(".new"):
                    lab = k[:-4]
                    if lab.startswith("W["):
                        i, j = map(int, lab[2:-1].split(","))
                        assert val == r["W"][i, j]
                    else:
                        assert val == r["b"][p.neuron]
        # every number named in values is shown (rounded) in the filled-in formula
        shown = p.filled
        for k, val in v.items():
            if k not in ("N", "t", "lr") and not k.endswith((".dL", ".w")):
                assert num(val) in shown, (p.title, k, num(val), shown)


@pytest.mark.parametrize("preset", ["neuron", "network-2-2-1", "torch-3-3-2-2", "gender", "xor", "gate-xor"])
def test_every_shown_number_is_the_traces(preset):
    _, rec = step_preset(preset)
    last = rec.n_layers - 1
    for sel in [None, (0, 0), (last, 0)]:
        _check_against_trace(rec, build_phases(rec, select=sel))


OPTS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


@pytest.mark.parametrize("wd", [0.0, 0.05])
@pytest.mark.parametrize("opt", OPTS)
def test_update_equals_the_cores_train_step(opt, wd):
    def net():
        return build_mlp([2, 3, 2], activation="tanh", output_activation="sigmoid", seed=3)
    x = np.array([[0.5, -1.0], [1.5, 0.2]])
    t = np.array([[1.0, 0.0], [0.0, 1.0]])
    a, b = net(), net()
    oa, ob = get_optimizer(opt, lr=0.05, weight_decay=wd), get_optimizer(opt, lr=0.05, weight_decay=wd)
    for step in range(2):  # the second step has optimizer state from the first
        rec = record_step(a, x, t, oa)
        b.train_step(x, t, ob)
        for layer in (0, 1):
            ph = build_phases(rec, select=(layer, 1))[-1]
            assert ph.phase == "update" and ph.layer == layer
            newW = b.layers[layer].params["W"]
            for i in range(newW.shape[0]):
                assert ph.values[f"W[{i},1].new"] == newW[i, 1]
            assert ph.values["b₁.new"] == b.layers[layer].params["b"][1]
            _check_hand_update(opt, ph.values, "W[0,1]", wd, oa, step + 1)
        assert np.array_equal(a.flat_params, b.flat_params)


def _check_hand_update(opt, v, lab, wd, o, t):
    g = v[f"{lab}.dL"] + wd * v[f"{lab}.w"]
    assert v[f"{lab}.g"] == pytest.approx(g, rel=1e-13, abs=1e-16)
    w, lr = v[f"{lab}.w"], o.lr
    if opt == "sgd":
        want = w - lr * g
    elif opt in ("momentum", "nesterov"):
        buf = g if t == 1 else 0.9 * v[f"{lab}.b_old"] + g
        assert v[f"{lab}.b"] == pytest.approx(buf, rel=1e-12)
        want = w - lr * (buf if opt == "momentum" else g + 0.9 * buf)
    elif opt == "adagrad":
        s = v[f"{lab}.s_old"] + g * g
        want = w - lr * g / (np.sqrt(s) + 1e-10)
    elif opt == "rmsprop":
        s = 0.99 * v[f"{lab}.v_old"] + 0.01 * g * g
        want = w - lr * g / (np.sqrt(s) + 1e-8)
    else:
        m = 0.9 * v[f"{lab}.m_old"] + 0.1 * g
        s = 0.999 * v[f"{lab}.v_old"] + 0.001 * g * g
        assert v[f"{lab}.m_hat"] == pytest.approx(m / (1 - 0.9 ** t), rel=1e-12)
        want = w - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    assert v[f"{lab}.new"] == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_weight_decay_and_l1_are_written_out():
    net = build_mlp([2, 2, 1], seed=1)
    rec = record_step(net, [[1.0, 2.0]], [[1.0]], get_optimizer("sgd", lr=0.1, weight_decay=0.01, l1=0.001))
    ph = build_phases(rec)[-1]
    assert "λ₂·w" in ph.formula and "λ₁·sign(w)" in ph.formula
    v = ph.values
    want = v["W[0,0].dL"] + 0.01 * v["W[0,0].w"] + 0.001 * np.sign(v["W[0,0].w"])
    assert v["W[0,0].g"] == pytest.approx(want, rel=1e-14)


def test_fused_softmax_delta_is_y_minus_t():
    _, rec = step_preset("torch-3-3-2-2")
    ph = build_phases(rec)
    loss = next(p for p in ph if p.phase == "loss")
    y, t = rec.trace.output(0), rec.t
    want = (y - t) / len(y)  # cross-entropy averages over the 5 samples
    assert np.allclose(loss.arrays["grad"], want, rtol=0, atol=1e-16)
    assert loss.values["grad"] == pytest.approx((loss.values["y"] - loss.values["t"]) / 5, rel=1e-14)
    assert "δ = ∂L/∂z = (y − t)/N" in loss.formula


def test_display_state_replays_without_change():
    _, rec = _221()
    ph = build_phases(rec)
    first = display_state(rec, ph, 0)
    W0 = [s.params["W"].copy() for s in rec.layers]
    assert all(np.array_equal(a, b) for a, b in zip(first["W"], W0))
    assert first["a"][1] is None and first["delta"] == [None, None]
    end = display_state(rec, ph, len(ph) - 1)
    assert end["W"][1][1, 0] != W0[1][1, 0]   # the update changed it
    again = display_state(rec, ph, 0)
    for key in ("W", "b"):
        assert all(np.array_equal(a, b) for a, b in zip(again[key], first[key]))
    assert again["a"][0] is first["a"][0] and again["a"][1] is None


def test_batchnorm_and_dropout_chain_rule_is_consistent():
    net = build_mlp([2, 3, 3, 1], batchnorm=True, dropout=0.5, seed=4)
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((4, 2)), rng.random((4, 1))
    rec = record_step(net, x, t, get_optimizer("sgd", lr=0.1))
    for j in range(3):
        ph = {(p.phase, p.layer): p for p in build_phases(rec, select=(0, j))}
        back = ph[("backward", 0)].values
        assert back["delta"] == pytest.approx(back["dA"] * back["mask"] * back["fprime"], rel=1e-12, abs=1e-15)
        assert "batch-norm" in " ".join(ph[("forward", 0)].notes)
        assert "dropout" in " ".join(ph[("forward", 0)].notes)
    # δ′ through batch-norm is what reaches W: ∂L/∂W = xᵀ·δ′
    from nnviz.lessons.phases import passed_back_delta
    assert np.allclose(rec.rec("backward", 1)["dW"], rec.layers[1].x.T @ passed_back_delta(rec, 1), atol=1e-15)


def test_big_layer_gets_a_summary():
    net = build_mlp([30, 20, 3], seed=0)
    x = np.linspace(-1, 1, 30)[None, :]
    rec = record_step(net, x, [[0.0, 1.0, 0.0]], get_optimizer("sgd", lr=0.1))
    ph = build_phases(rec, select=(0, 7))
    fwd = ph[0]
    s = fwd.summary
    a = rec.rec("forward", 0)["a"][0]
    assert s["n"] == 20 and s["min"] == a.min() and s["max"] == a.max()
    assert s["top"][0] == (int(np.argmax(a)), float(a.max())) and sum(s["hist"][0]) == 20
    assert "… (27 more terms)" in fwd.filled and fwd.neuron == 7
    assert ph[1].neuron == 1   # the output layer explains the true class
    assert any(n.startswith("a over 20 neurons") for n in fwd.notes)
    # without a selection a big hidden layer explains its most active neuron
    other = build_phases(rec, select=(1, 0))
    assert other[0].neuron == int(np.argmax(np.abs(a))) == other[-2].neuron


def test_forward_only_for_the_step_gates():
    _, rec = step_preset("gate-xor")
    ph = build_phases(rec)
    assert [p.phase for p in ph] == ["forward", "forward"]
    assert "a₀ = step(" in ph[1].filled


def test_rounding_is_a_parameter():
    _, rec = _221()
    ph = build_phases(rec, sig=8)
    assert "0.72163256" in ph[1].filled
