"""The `nnviz` command: JSON shapes, readable output and exit codes, run as a user would."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_presets(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("nnviz ")
    code, out, _ = run(capsys, "presets")
    assert code == 0
    for name in ["neuron", "network-2-2-1", "gate-and", "gate-nand", "gate-or", "gate-xor", "gender", "xor",
                 "torch-3-3-2-2", "apple", "mnist-seed", "mnist-fast"]:
        assert name in out


def test_trace_json_document(capsys):
    code, out, _ = run(capsys, "trace", "--preset", "network-2-2-1", "--json", "--steps", "2")
    assert code == 0
    doc = json.loads(out)
    assert doc["weight_layout"] == "in_out"
    assert doc["output"] == [[0.7216325609518421]]
    assert doc["input"] == [[2.0, 3.0]] and doc["target"] == [[1.0]]
    assert doc["loss_name"] == "mse" and doc["loss_reduction"] == "mean"
    assert [l["activation"] for l in doc["layers"]] == ["sigmoid", "sigmoid"]
    assert doc["layers"][0]["W"] == [[0.0, 0.0], [1.0, 1.0]]
    phases = [(r["step"], r["phase"], r["layer"]) for r in doc["steps"]]
    assert phases[:7] == [(0, "forward", 0), (0, "forward", 1), (0, "loss", 1), (0, "backward", 1),
                          (0, "backward", 0), (0, "update", 0), (0, "update", 1)]
    assert len(phases) == 14
    fwd = doc["steps"][0]
    assert set(fwd) >= {"z", "a"} and fwd["z"] == [[3.0, 3.0]]
    assert set(doc["steps"][3]) >= {"delta", "dW", "db"}
    assert set(doc["steps"][5]) >= {"W", "b"}


def test_trace_neuron_and_gates(capsys):
    _, out, _ = run(capsys, "trace", "--preset", "neuron", "--json")
    assert json.loads(out)["output"] == [[0.9990889488055994]]
    for gate, expected in [("gate-and", [0, 0, 0, 1]), ("gate-or", [0, 1, 1, 1]), ("gate-nand", [1, 1, 1, 0]),
                           ("gate-xor", [0, 1, 1, 0])]:
        code, out, _ = run(capsys, "trace", "--preset", gate, "--json")
        doc = json.loads(out)
        assert code == 0 and [row[0] for row in doc["output"]] == expected
        assert all(r["phase"] == "forward" for r in doc["steps"])


def test_trace_apple(capsys):
    code, out, _ = run(capsys, "trace", "--preset", "apple", "--json")
    doc = json.loads(out)
    grads = {n["name"]: n["grad"] for n in doc["nodes"]}
    assert code == 0 and abs(doc["output"] - 220) < 1e-9
    assert grads["apple"] == pytest.approx(2.2) and grads["count"] == pytest.approx(110)
    assert grads["tax"] == pytest.approx(200)
    code, out, _ = run(capsys, "trace", "--preset", "apple")
    assert "tax" in out and "200" in out


def test_trace_readable_table(capsys):
    code, out, _ = run(capsys, "trace", "--preset", "network-2-2-1")
    assert code == 0 and "0.7216325609518421" in out and "backward" in out and "δ" in out


def test_train_json_lines(capsys, tmp_path):
    model = tmp_path / "xor.nnviz"
    code, out, err = run(capsys, "train", "--preset", "xor", "--epochs", "300", "--every", "100", "--json",
                         "--save", str(model))
    lines = [json.loads(l) for l in out.splitlines()]
    assert code == 0 and [l["epoch"] for l in lines] == [100, 200, 300]
    assert set(lines[0]) == {"epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "lr"}
    assert model.is_file() and "saved model" in err
    code, out, _ = run(capsys, "train", "--preset", "xor", "--epochs", "1", "--json", "--load", str(model))
    assert code == 0 and json.loads(out)["train_loss"] < lines[0]["train_loss"]


def test_unknown_names_list_the_valid_ones(capsys):
    code, _, err = run(capsys, "train", "--preset", "nope")
    assert code == 2 and "unknown preset 'nope'; valid:" in err and "mnist-fast" in err
    code, _, err = run(capsys, "train", "--preset", "xor", "--optimizer", "adamw")
    assert code == 2 and "valid: adagrad, adam, momentum, nesterov, rmsprop, sgd" in err
    code, _, err = run(capsys, "train", "--preset", "xor", "--loss", "hinge")
    assert code == 2 and "unknown loss 'hinge'" in err
    assert "Traceback" not in err


def test_shape_mismatch_and_bad_layers(capsys):
    code, _, err = run(capsys, "train", "--preset", "xor", "--layers", "3,4,1")
    assert code == 2 and "needs 2 inputs and 1 outputs" in err
    code, _, err = run(capsys, "train", "--preset", "xor", "--layers", "2,x,1")
    assert code == 2 and "whole numbers" in err


def test_diverged_exit_code_3(capsys):
    code, _, err = run(capsys, "train", "--preset", "gender", "--lr", "1e6", "--loss", "mse",
                       "--output-activation", "identity", "--activation", "relu", "--epochs", "50")
    assert code == 3, err
    assert "diverged at epoch" in err and "try a smaller learning rate" in err


def test_step_preset_cannot_train(capsys):
    code, _, err = run(capsys, "train", "--preset", "gate-and")
    assert code == 2 and "cannot be trained" in err


def test_gradcheck_command(capsys):
    code, out, _ = run(capsys, "gradcheck", "--preset", "torch-3-3-2-2", "--json")
    assert code == 0 and json.loads(out)["max_rel_error"] < 1e-6


def test_list_registries(capsys):
    code, out, _ = run(capsys, "list", "--json")
    doc = json.loads(out)
    assert set(doc["optimizers"]) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
    assert "cross_entropy" in doc["losses"] and "he_uniform" in doc["initializers"]


@pytest.mark.parametrize("entry", [["-m", "nnviz"], [str(ROOT / "main.py")]])
def test_entry_points_without_traceback(entry):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, *entry, "trace", "--preset", "neuron", "--lr", "-1"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 2 and "learning rate must be a positive number" in p.stderr
    assert "Traceback" not in p.stderr


def test_train_on_a_named_dataset_and_on_a_csv_file(capsys, tmp_path):
    code, out, _ = run(capsys, "train", "--preset", "xor", "--dataset", "spiral-k", "--epochs", "2", "--json",
                       "--output-activation", "softmax", "--loss", "cross_entropy", "--reduction", "mean")
    assert code == 0 and len(out.splitlines()) == 2
    rows = ["w,h,label"] + [f"{i % 7},{(i * 3) % 5},{'a' if i % 7 > 3 else 'b'}" for i in range(40)]
    csv = tmp_path / "mine.csv"
    csv.write_text("\n".join(rows) + "\n")
    code, out, err = run(capsys, "train", "--preset", "gender", "--dataset", str(csv), "--epochs", "3", "--json")
    assert code == 0, err
    assert [json.loads(l)["epoch"] for l in out.splitlines()] == [1, 2, 3]
    bad = tmp_path / "bad.csv"
    bad.write_text("w,h,label\n1,2,a\n3,,b\n")
    code, _, err = run(capsys, "train", "--preset", "gender", "--dataset", str(bad))
    assert code == 2 and "line 3" in err and "Traceback" not in err


def test_loading_a_model_that_does_not_fit_the_data(capsys, tmp_path):
    model = tmp_path / "xor.nnviz"
    assert run(capsys, "train", "--preset", "xor", "--epochs", "1", "--save", str(model))[0] == 0
    code, _, err = run(capsys, "train", "--preset", "xor", "--dataset", "spiral-k", "--load", str(model))
    assert code == 2 and "needs 2 and 3" in err
