"""``nnviz landscape``: the JSON object and the one-line refusals (exit 2)."""
import json

import numpy as np
import pytest

from nnviz.cli import main


def run(capsys, *argv):
    code = main(["landscape", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_named_axes_json(capsys):
    code, out, err = run(capsys, "--axes", "w:0:0:0,w:0:1:0", "--grid", "5", "--span", "2", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["alphas"] == pytest.approx(np.linspace(-2, 2, 5).tolist())
    assert d["betas"] == d["alphas"]
    loss = np.array(d["loss"])
    assert loss.shape == (5, 5) and np.isfinite(loss).all()
    assert loss[2, 2] == pytest.approx(d["center_loss"], rel=1e-12)
    assert d["directions"]["kind"] == "axes" and d["directions"]["axes"] == ["w:0:0:0", "w:0:1:0"]
    assert d["paths"] == []


def test_random_with_subset_training_and_record(capsys, tmp_path):
    f = tmp_path / "run.npz"
    code, out, err = run(capsys, "--axes", "random", "--epochs", "3", "--record", str(f), "--grid", "3",
                         "--subset", "3", "--seed", "4", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["samples"] == 3 and d["subset"] == 3
    assert d["directions"]["kind"] == "random" and d["directions"]["seed"] == 4
    (p,) = d["paths"]
    assert p["steps"][0] == 0 and p["alphas"][-1] == pytest.approx(0) and p["betas"][-1] == pytest.approx(0)
    assert f.exists()
    code, out, err = run(capsys, "--axes", "pca", "--record", str(f), "--grid", "3", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["directions"]["kind"] == "pca" and len(d["directions"]["explained_variance"]) == 2
    assert d["paths"][0]["alphas"][-1] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("argv, says", [
    (["--axes", "w:9:0:0,w:0:0:0"], "layers 0 to"),
    (["--axes", "w:0:7:0,w:0:0:0"], "rows 0 to"),
    (["--axes", "b:0:1:2,w:0:0:0"], "expected w:LAYER:ROW:COL"),
    (["--axes", "sideways"], "--axes must be"),
    (["--axes", "w:0:0:0,w:0:0:0"], "twice"),
    (["--axes", "pca"], "needs a recorded path"),
    (["--axes", "random", "--grid", "2"], "--grid"),
    (["--axes", "random", "--grid", "202"], "--grid"),
    (["--axes", "random", "--span", "0"], "positive number"),
    (["--axes", "random", "--span", "-3"], "positive number"),
    (["--axes", "random", "--span", "nan"], "--span"),
    (["--axes", "random", "--record", "/nonexistent/run.npz"], "no such"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, says):
    with pytest.raises(SystemExit) if "--grid" in argv or "--span" in argv else _nothing() as exc:
        code, _out, err = run(capsys, *argv, "--json")
    if exc is not None and hasattr(exc, "value"):
        code = exc.value.code
        err = capsys.readouterr().err
    assert code == 2
    assert says in err and err.count("\n") == 1


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


def test_load_a_saved_model(capsys, tmp_path):
    f = tmp_path / "m.npz"
    assert main(["train", "--preset", "xor", "--epochs", "3", "--save", str(f), "--json"]) == 0
    capsys.readouterr()
    from nnviz.core.model_io import load_model
    net, _ = load_model(f)
    code, out, err = run(capsys, "--load", str(f), "--axes", "b:0:0,b:1:0", "--grid", "3", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["directions"]["values"] == [float(net.layers[0].b[0]), float(net.layers[1].b[0])]
    assert d["dtype"] == "float64"
