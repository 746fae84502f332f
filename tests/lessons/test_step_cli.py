"""``nnviz step``: valid JSON whose strings equal the phase model's; clear errors."""
import json

import pytest

from nnviz.cli import main
from nnviz.lessons import build_phases
from nnviz.lessons.stepping import step_preset


@pytest.mark.parametrize("argv,kw", [
    ([], {}),
    (["--neuron", "0:1", "--optimizer", "adam"], {"optimizer": "adam"}),
    (["--preset", "torch-3-3-2-2", "--sample", "2", "--optimizer", "momentum", "--lr", "0.5"],
     {"sample": 2, "optimizer": "momentum", "lr": 0.5}),
])
def test_step_json_equals_the_model(capsys, argv, kw):
    assert main(["step", "--json", *argv]) == 0
    out = json.loads(capsys.readouterr().out)
    preset = argv[argv.index("--preset") + 1] if "--preset" in argv else "network-2-2-1"
    _, rec = step_preset(preset, **kw)
    select = (0, 1) if "--neuron" in argv else None
    phases = build_phases(rec, select=select)
    assert len(out) == len(phases)
    for o, p in zip(out, phases):
        assert {"phase", "layer", "neuron", "formula", "filled", "values"} <= set(o)
        assert (o["phase"], o["layer"], o["neuron"]) == (p.phase, p.layer, p.neuron)
        assert o["formula"] == p.formula and o["filled"] == p.filled
        assert o["values"] == p.values


def test_step_text_prints_the_same_strings(capsys):
    assert main(["step"]) == 0
    out = capsys.readouterr().out
    _, rec = step_preset("network-2-2-1")
    for p in build_phases(rec):
        assert p.formula in out
        for line in p.filled.splitlines():
            assert line in out
    assert "δ₀ = ∂L/∂a·σ′(z) = (−0.5567)·0.2009 = −0.1118" in out


@pytest.mark.parametrize("argv,msg", [
    (["--neuron", "x"], "expected LAYER:INDEX"),
    (["--neuron", "5:0"], "dense layers 0..1"),
    (["--neuron", "1:3"], "neurons 0..0"),
    (["--sample", "9"], "samples 0..0"),
    (["--optimizer", "bogus"], "bogus"),
    (["--preset", "apple"], "computational graph"),
    (["--digits", "0"], "significant digits"),
])
def test_step_bad_input_is_one_line(capsys, argv, msg):
    assert main(["step", *argv]) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1 and "Traceback" not in err
