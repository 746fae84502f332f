"""The lessons: their files, the seeds' numbers, and the computations behind each."""
import json
import string

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer
from nnviz.core.schedules import get_schedule
from nnviz.lessons.catalog import get_lesson, load_lessons
from nnviz.lessons.demos import run_demo
from nnviz.lessons.demos import apple, gates, initialisation, linear, networks, race, schedules
from nnviz.presets import PRESETS
from nnviz.resources import resource_path

NAMES = ["neuron", "network-2-2-1", "gates", "xor", "gender", "torch-3-3-2-2", "apple", "mnist", "linear",
         "init", "optimizers", "schedules", "gradcheck"]


def test_every_lesson_file_is_complete_and_translatable():
    lessons = load_lessons()
    assert [l.name for l in lessons] == NAMES
    files = sorted(p.stem for p in resource_path("lessons").glob("*.json"))
    assert files == sorted(NAMES)
    for l in lessons:
        assert l.title and l.text and l.demo
        assert l.preset is None or l.preset in PRESETS
        fields = [f for _, f, _, _ in string.Formatter().parse(l.text) if f is not None]
        assert all(f.isidentifier() for f in fields), l.name   # only {name} placeholders
        assert "%1" not in l.text


def test_unknown_lesson_is_a_clear_error(capsys):
    assert main(["lesson", "nope"]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_neuron_and_221_lessons_show_the_seed_outputs():
    r = run_demo(get_lesson("neuron"))
    assert r["output"] == 0.9990889488055994 and "0.9990889488055994" in r["text"]
    r = run_demo(get_lesson("network-2-2-1"))
    assert r["output"] == 0.7216325609518421 and "0.7216325609518421" in r["text"]
    fill = [p["filled"] for p in r["phases"]]
    assert any("(−0.5567)·0.2009 = −0.1118" in f for f in fill)


def test_gate_lines_and_xor():
    r = gates.gates_demo()
    assert r["table"]["and"].tolist() == [0, 0, 0, 1]
    assert r["table"]["nand"].tolist() == [1, 1, 1, 0]
    assert r["table"]["or"].tolist() == [0, 1, 1, 1]
    assert r["table"]["xor"].tolist() == [0, 1, 1, 0]
    assert r["best_single_line"] == 3
    for g, (w1, w2, b) in gates.GATES.items():
        (xa, ya), (xb, yb) = r["lines_on_square"][g]
        for x, y in ((xa, ya), (xb, yb)):
            assert w1 * x + w2 * y + b == pytest.approx(0, abs=1e-12) and 0 <= x <= 1 and 0 <= y <= 1
    assert sorted(r["lines_on_square"]["or"]) == [(0.0, 0.5), (0.5, 0.0)]


def test_training_lessons_lose_loss():
    r = networks.train_demo("gender", epochs=300, every=100)
    assert r["loss"][-1] < 0.5 * r["loss"][0]
    r = networks.train_demo("xor", epochs=1500, every=500)
    assert r["loss"][-1] < r["loss"][0]


def test_parameter_table_of_3_3_2_2():
    r = networks.param_table("torch-3-3-2-2")
    assert r["counts"] == [12, 8, 6] and r["total"] == 26
    assert [row["name"] for row in r["rows"]] == ["layer0.W", "layer0.b", "layer1.W", "layer1.b",
                                                   "layer2.W", "layer2.b"]
    assert [row["shape"] for row in r["rows"]] == [[3, 3], [3], [3, 2], [2], [2, 2], [2]]


def test_apple_graph_steps():
    steps = apple.apple_steps()
    fwd = [s for s in steps if s.phase == "forward"]
    assert fwd[-1].values["price"] == pytest.approx(220) and "= 220" in fwd[-1].filled
    end = steps[-1]
    assert end.grads["apple"] == pytest.approx(2.2) and end.grads["count"] == pytest.approx(110)
    assert end.grads["tax"] == pytest.approx(200)
    assert steps[0].grads == {} and "price" not in steps[0].values   # step 0: only the inputs
    assert [s.node for s in steps] == ["inputs", "apple_price", "price", "price", "price", "apple_price"]


def test_mnist_scaling_is_the_seeds():
    assert networks.seed_scaling([0, 255]).tolist() == [0.01, 1.0]
    r = networks.mnist_demo()
    assert r["params"] == 79510 and r["targets_for_3"][3] == 0.99


def test_mnist_step_summarises_big_layers(mnist_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(mnist_path))
    r = networks.mnist_demo()
    assert r["available"]
    first = r["phases"][0]
    assert first["layer"] == 0 and any(n.startswith("a over 100 neurons") for n in first["notes"])
    assert r["phases"][1]["neuron"] == r["label"]   # the output explains the true digit


def test_identity_layers_collapse_to_one_map():
    r = linear.collapse_demo((2, 4, 4, 1))
    assert r["max_error"] < 1e-14 and r["affine_residual_identity"] < 1e-13
    assert r["affine_residual_tanh"] > 1e-3
    net = build_mlp([2, 3, 1], activation="identity", bias_init="uniform", seed=2)
    W, b = linear.collapse(net)
    l0, l1 = net.layers
    assert np.allclose(W, l0.W @ l1.W) and np.allclose(b, l0.b @ l1.W + l1.b)
    (xa, ya), (xb, yb) = r["boundary"]
    w1, w2, c = r["boundary_coef"]
    assert w1 * xa + w2 * ya + c == pytest.approx(0, abs=1e-12)


def test_zero_init_keeps_hidden_neurons_identical():
    assert initialisation.zeros_symmetry(20, "zeros").max() == 0.0
    assert initialisation.zeros_symmetry(20, "xavier_normal").min() > 0.01


def test_activation_statistics_saturate_or_vanish():
    big = initialisation.activation_stats("sigmoid", "normal σ=1", samples=200)
    tiny = initialisation.activation_stats("sigmoid", "normal σ=0.01", samples=200)
    xav = initialisation.activation_stats("sigmoid", "xavier", samples=200)
    assert all(l["saturated"] > 0.4 for l in big)          # piled up at 0 and 1
    assert all(l["std"] < 0.03 for l in tiny)              # every neuron ≈ 0.5
    assert all(l["saturated"] < 0.05 and l["std"] > 0.08 for l in xav)
    relu_small = initialisation.activation_stats("relu", "normal σ=0.01", samples=200)
    he = initialisation.activation_stats("relu", "he", samples=200)
    assert relu_small[-1]["std"] < 1e-4 < 0.3 < he[-1]["std"]   # vanishes vs stays
    assert sum(he[0]["hist"]) == 200 * 100


def test_optimizer_race():
    paths = race.race(steps=30)
    assert set(paths) == {"sgd", "momentum", "adagrad", "rmsprop", "adam"}
    for p in paths.values():
        assert p.shape == (31, 2) and tuple(p[0]) == race.START
        assert race.f(*p[-1]) < race.f(*p[0])
    g = race.grad_f(np.array(race.START))
    assert np.allclose(paths["sgd"][1] - paths["sgd"][0], -race.RATES["sgd"] * g, rtol=0, atol=1e-15)
    # each path is the core optimizer's own steps
    opt = get_optimizer("adam", lr=race.RATES["adam"])
    p = np.array(race.START)
    for k in range(1, 4):
        opt.step(p, race.grad_f(p))
        assert np.array_equal(p, paths["adam"][k])
    xs, ys, Z = race.contour_grid(n=11)
    assert Z[5, 5] == 0.0 and Z[0, 0] == race.f(xs[0], ys[0])


def test_schedules_equal_the_core():
    c = schedules.schedule_curves(0.1, 200)
    for name, opts in schedules.DEFAULT.items():
        s = get_schedule(name, **opts)
        assert np.array_equal(c[name], [s.lr(e, 0.1) for e in range(200)])
    ms = c["multistep"]
    assert ms[49] == 0.1 and ms[50] == 0.05 and ms[100] == 0.025 and ms[160] == 0.0125


@pytest.mark.parametrize("name", ["neuron", "gates", "apple", "linear", "schedules", "torch-3-3-2-2", "gradcheck"])
def test_lesson_command_json(capsys, name):
    assert main(["lesson", name, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["name"] == name and "{" not in doc["text"] and doc["result"]["lines"]


def test_lessons_command_lists_all(capsys):
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    assert all(n in out for n in NAMES)
