"""``nnviz train --record/--from``, ``nnviz timeline`` and ``nnviz race`` through nnviz.cli.main."""
import json
import zipfile

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.model_io import load_model

SETUP = ["--preset", "xor", "--dataset", "circle", "--layers", "2,6,5,1", "--batch-size", "10",
         "--optimizer", "adam", "--lr", "0.01", "--dropout", "0.2", "--batchnorm",
         "--schedule", "step", "--seed", "3"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def records(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def no_seconds(rs):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rs]


@pytest.fixture
def recorded(tmp_path, capsys):
    run_file, model = tmp_path / "run.npz", tmp_path / "model.npz"
    code, out, err = run(capsys, "train", *SETUP, "--epochs", 5, "--json", "--record", run_file,
                         "--save", model)
    assert code == 0, err
    assert "recorded the run" in err
    return run_file, model, records(out)


def test_from_a_step_reproduces_the_original(recorded, tmp_path, capsys):
    run_file, model, original = recorded
    code, out, _ = run(capsys, "timeline", run_file, "--json")
    doc = json.loads(out)
    steps = [c["step"] for c in doc["checkpoints"]]
    spe = doc["steps_per_epoch"]
    assert code == 0 and steps[0] == 0 and steps[-1] == doc["last_step"] == 5 * spe
    assert doc["checkpoints"][spe]["metrics"]["test_acc"] == original[0]["test_acc"]
    for step in (0, 37, 2 * spe, doc["last_step"] - 1):
        again = tmp_path / f"again{step}.npz"
        code, out, err = run(capsys, "train", "--from", f"{run_file}@{step}", "--json", "--save", again)
        assert code == 0, err
        got = records(out)
        done = step // spe
        assert no_seconds(got) == no_seconds(original[done:]), step
        a, b = load_model(model)[0], load_model(again)[0]
        assert np.array_equal(a.flat_params, b.flat_params)
        for la, lb in zip(a.layers, b.layers):
            for k in la.buffers:
                assert np.array_equal(la.buffers[k], lb.buffers[k])


def test_from_with_a_change_and_a_new_record(recorded, tmp_path, capsys):
    run_file, model, original = recorded
    branch_file = tmp_path / "branch.npz"
    code, out, err = run(capsys, "train", "--from", f"{run_file}@40", "--lr", "0.05", "--epochs", 7,
                         "--json", "--record", branch_file)
    assert code == 0, err
    got = records(out)
    assert [r["epoch"] for r in got] == [2, 3, 4, 5, 6, 7]
    assert got[0]["train_loss"] != original[1]["train_loss"]
    code, out, _ = run(capsys, "timeline", branch_file, "--json")
    doc = json.loads(out)
    assert doc["settings"]["lr"] == 0.05 and doc["settings"]["epochs"] == 7
    assert [e["epoch"] for e in doc["epochs"]] == list(range(1, 8))
    assert doc["epochs"][0]["train_loss"] == original[0]["train_loss"]  # the history it came from
    code, out, _ = run(capsys, "timeline", branch_file)
    assert code == 0 and "checkpoints" in out.splitlines()[0]


def test_race_records_name_their_run_and_equal_solo_runs(capsys):
    setup = ["--preset", "xor", "--dataset", "circle", "--layers", "2,5,1", "--batch-size", "10",
             "--epochs", "2", "--seed", "5"]
    code, out, err = run(capsys, "race", *setup, "--vary", "optimizer=sgd,momentum,adam", "--json")
    assert code == 0, err
    rs = records(out)
    assert [r["run"] for r in rs] == ["optimizer=sgd", "optimizer=momentum", "optimizer=adam"] * 2
    for opt in ("sgd", "momentum", "adam"):
        code, out, _ = run(capsys, "train", *setup, "--optimizer", opt, "--json")
        solo = records(out)
        mine = [{k: v for k, v in r.items() if k != "run"} for r in rs if r["run"] == f"optimizer={opt}"]
        assert no_seconds(mine) == no_seconds(solo), opt
    code, out, _ = run(capsys, "race", *setup, "--vary", "lr=0.1,0.01")
    assert code == 0 and "lr=0.01" in out
    code, out, err = run(capsys, "race", *setup, "--vary", "hidden=3,4-4", "--vary", "batch-size=0,5",
                         "--json")
    assert code == 0, err
    assert sorted({r["run"] for r in records(out)}) == sorted(
        ["hidden=3,batch_size=none", "hidden=3,batch_size=5", "hidden=4-4,batch_size=none",
         "hidden=4-4,batch_size=5"])


BAD_RACES = [["--vary", "colour=1,2"], ["--vary", "lr="], ["--vary", "lr"], ["--vary", "lr=abc"],
             ["--vary", "dataset=xor"], ["--vary", "optimizer=foo,sgd"]]


@pytest.mark.parametrize("bad", BAD_RACES, ids=[b[1] for b in BAD_RACES])
def test_bad_race_flags_are_one_line(bad, capsys):
    code, out, err = run(capsys, "race", "--preset", "xor", "--epochs", "1", *bad)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("nnviz: error:")


def test_bad_timeline_input_is_one_line_and_writes_nothing(recorded, tmp_path, capsys):
    run_file, model, _ = recorded
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(run_file.read_bytes()[:3000])
    garbage = tmp_path / "garbage.npz"
    garbage.write_text("not a run")
    corrupt = tmp_path / "corrupt.npz"
    with zipfile.ZipFile(run_file) as zin, zipfile.ZipFile(corrupt, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, data[:-3] + b"]]]" if info.filename == "tl:meta.npy" else data)
    out_file = tmp_path / "out.npz"
    cases = [["timeline", tmp_path / "missing.npz"], ["timeline", truncated], ["timeline", garbage],
             ["timeline", model], ["timeline", corrupt],
             ["train", "--from", f"{corrupt}@3", "--save", out_file],
             ["train", "--from", f"{tmp_path / 'missing.npz'}@3", "--save", out_file],
             ["train", "--from", f"{truncated}@3", "--record", out_file],
             ["train", "--from", f"{run_file}@100000", "--save", out_file],
             ["train", "--from", f"{run_file}@x", "--save", out_file],
             ["train", "--from", str(run_file), "--save", out_file],
             ["train", "--from", f"{run_file}@3", "--layers", "2,3,1", "--save", out_file]]
    for argv in cases:
        code, out, err = run(capsys, *argv)
        assert code == 2 and err.count("\n") == 1 and err.startswith("nnviz: error:"), (argv, err)
        assert not out_file.exists()
    assert "no such run file" in run(capsys, "timeline", tmp_path / "missing.npz")[2]
    assert "ends at step" in run(capsys, "train", "--from", f"{run_file}@100000")[2]
