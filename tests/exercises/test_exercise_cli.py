"""``nnviz exercise``: the questions as JSON without answers, grading, and exit 2 on bad input."""
import json

import pytest

from nnviz.cli import main

KEYS = {"id", "phase", "layer", "neuron", "quantity", "index", "prompt", "digits"}


def run(capsys, *argv):
    code = main(["exercise", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_questions_json_has_no_answers(capsys):
    code, out, _err = run(capsys, "--json")
    assert code == 0
    qs = json.loads(out)
    assert all(set(q) == KEYS for q in qs)
    ids = [q["id"] for q in qs]
    assert {"z:1:0", "a:1:0", "loss", "dL/da:1:0", "delta:1:0", "dL/dW:1:0,0", "dL/db:1:0",
            "W_new:1:0,0", "b_new:1:0"} <= set(ids)
    assert len(ids) == len(set(ids))
    w = next(q for q in qs if q["id"] == "dL/dW:1:0,0")
    assert w["index"] == [0, 0] and w["layer"] == 1 and w["quantity"] == "dL/dW" and w["digits"] == 4
    assert next(q for q in qs if q["id"] == "loss")["layer"] is None
    assert "0.7216" not in out and "expected" not in out and "formula" not in out
    phases = [q["phase"] for q in qs]
    assert phases == sorted(phases)


def test_selection_optimizer_and_digits(capsys):
    code, out, _ = run(capsys, "--preset", "torch-3-3-2-2", "--neuron", "1:1", "--weight", "2,1",
                       "--optimizer", "adam", "--lr", "0.01", "--digits", "3", "--sample", "2", "--json")
    assert code == 0
    qs = {q["id"]: q for q in json.loads(out)}
    assert "W_new:1:2,1" in qs and "dL/dW:1:2,1" in qs and "z:1:1" in qs
    assert all(q["digits"] == 3 for q in qs.values())
    assert "Adam" in qs["W_new:1:2,1"]["prompt"]


def test_grading_json(capsys):
    code, out, _ = run(capsys, "--answer", "a:1:0=0.7216", "--answer", "delta:1:0=-0.4018",
                       "--answer", "z:1:0=0.9526", "--answer", "loss=0.08", "--json")
    assert code == 0
    got = json.loads(out)
    assert [g["id"] for g in got] == ["a:1:0", "delta:1:0", "z:1:0", "loss"]
    assert all(set(g) == {"id", "correct", "expected", "hint"} for g in got)
    assert got[0] == {"id": "a:1:0", "correct": True, "expected": 0.7216325609518421, "hint": None}
    assert got[1]["correct"] is False and "σ′(z)" in got[1]["hint"]
    assert got[2]["correct"] is True and got[3]["correct"] is False and got[3]["hint"]


def test_grading_text_and_questions_text(capsys):
    code, out, _ = run(capsys, "--answer", "a:1:0=0.7216", "--answer", "W_new:1:0,0=-0.1065")
    assert code == 0
    assert "a:1:0" in out and "0.7216" in out and "gradient" in out and "W[0,0]′" in out
    code, out, _ = run(capsys)
    assert code == 0 and "[a:1:0]" in out and "--answer" in out


def test_chinese_prompts(capsys):
    code, out, _ = run(capsys, "--lang", "zh_CN", "--json")
    assert code == 0
    prompts = " ".join(q["prompt"] for q in json.loads(out))
    assert "隐藏层" in prompts or "输出层" in prompts


@pytest.mark.parametrize("argv", [
    ["--answer", "a:1:0=abc"], ["--answer", "a:1:0="], ["--answer", "a:1:0"], ["--answer", "nope=1"],
    ["--answer", "=1"], ["--neuron", "x"], ["--neuron", "5:0"], ["--weight", "9,0", "--neuron", "1:0"],
    ["--weight", "a"], ["--digits", "0"], ["--preset", "nope"], ["--optimizer", "nope"],
])
def test_bad_input_is_one_line_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("nnviz: error:")


def test_apple_preset(capsys):
    code, out, _ = run(capsys, "--preset", "apple", "--answer", "apple:d_apple=2.2", "--answer",
                       "apple:d_count=2", "--json")
    assert code == 0
    got = json.loads(out)
    assert got[0]["correct"] and not got[1]["correct"] and got[1]["expected"] == pytest.approx(110)
