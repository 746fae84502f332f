"""Issue 10 at the command line: every number checked where it is parsed, strict JSON, saves that
never replace what is not a model file, and one line (never a traceback) for the unexpected."""
import json
import os
import stat

import pytest

from nnviz import cli
from nnviz.cli import main
from nnviz.cliargs import dumps


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's own errors
        code = e.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize("argv, message", [
    (["train", "--preset", "xor", "--seed", "-1"], "argument --seed: must be from 0 to 4294967295"),
    (["train", "--preset", "xor", "--epochs", "-1"], "argument --epochs: must be from 1 to"),
    (["train", "--preset", "xor", "--weight-decay", "-1"], "weight decay must be at least 0"),
    (["train", "--preset", "xor", "--weight-decay", "nan"], "weight decay must be a finite number"),
    (["train", "--preset", "xor", "--l1", "inf"], "L1 penalty must be a finite number"),
    (["train", "--preset", "xor", "--dropout", "1"], "dropout must be below 1"),
    (["train", "--preset", "xor", "--batch-size", "x"], "must be a whole number"),
    (["train", "--preset", "xor", "--save", ""], "--save must not be empty"),
    (["trace", "--steps", "10000000"], "argument --steps: must be from 1 to 100000"),
    (["gradcheck", "--preset", "torch-3-3-2-2", "--max-params", "-1"], "--max-params: must be from 1"),
])
def test_bad_numbers_are_refused_where_parsed(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


@pytest.mark.parametrize("layers, message", [("2,,1", "separated by single commas"),
                                             ("2,100000000,1", "each from 1 to 1000000"),
                                             ("2,100000,100000,1", "would need about 372.6 GB")])
def test_layers_that_are_wrong_or_too_big(capsys, layers, message):
    code, _, err = run(capsys, "train", "--preset", "xor", "--layers", layers)
    assert code == 2 and message in err


def test_help_states_the_ranges(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    assert "(0..4294967295)" in out and "(1..1000000)" in out


def test_a_run_that_blows_up_without_nan_exits_3(capsys):
    code, _, err = run(capsys, "train", "--preset", "xor", "--dataset", "blobs", "--optimizer",
                       "adam", "--lr", "1e6", "--output-activation", "softmax", "--loss",
                       "cross_entropy", "--epochs", "20")
    assert code == 3 and "diverged at epoch" in err and "try a smaller learning rate" in err


def test_strict_json_has_null_and_says_why():
    text = dumps({"epoch": 1, "train_loss": float("nan"), "test_loss": float("-inf")})
    doc = json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert doc["train_loss"] is None and doc["test_loss"] is None
    assert doc["not_finite"] == {"train_loss": "NaN", "test_loss": "-inf"}


def test_an_unexpected_error_is_one_line_and_logged(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def boom(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "cmd_presets", boom)
    code, _, err = run(capsys, "presets")
    assert code == 1 and err.count("\n") == 1
    assert "unexpected error: ZeroDivisionError: division by zero" in err
    log = tmp_path / "nnviz" / "errors.log"
    assert str(log) in err and "Traceback" in log.read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_save_refuses_a_fifo_and_follows_a_symlink(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "train", "--preset", "xor", "--epochs", "1", "--save", str(fifo))
    assert code == 2 and "it is a FIFO" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    real, link = tmp_path / "real.nnviz", tmp_path / "link.nnviz"
    real.write_bytes(b"")
    os.chmod(real, 0o644)
    link.symlink_to(real)
    code, _, err = run(capsys, "train", "--preset", "xor", "--epochs", "1", "--save", str(link))
    assert code == 0 and f"saved model to {real} (the file {link} links to)" in err
    assert link.is_symlink() and real.stat().st_size > 0
    assert stat.S_IMODE(real.stat().st_mode) == 0o644


def test_label_column_flag(capsys, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("".join(f"{i % 2},{i * 0.5},{i % 3}\n" for i in range(20)))
    code, out, err = run(capsys, "train", "--preset", "xor", "--dataset", str(path),
                         "--label-column", "1", "--epochs", "1", "--json")
    assert code == 0, err
    code, _, err = run(capsys, "train", "--preset", "xor", "--dataset", str(path),
                       "--label-column", "nope")
    assert code == 2 and "no column named 'nope'" in err


def test_long_trace_is_streamed_in_the_same_format(capsys):
    code, out, _ = run(capsys, "trace", "--preset", "network-2-2-1", "--json", "--steps", "50")
    doc = json.loads(out)
    assert code == 0 and len(doc["steps"]) == 50 * 7 and doc["steps"][-1]["step"] == 49


def test_a_bad_flag_is_one_line_and_a_bad_save_target_is_refused_before_training(tmp_path):
    import subprocess
    import sys

    bad = subprocess.run([sys.executable, "-m", "nnviz", "train", "--preset", "xor", "--epochs", "-1"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "--epochs" in bad.stderr and "--help" in bad.stderr
    folder = tmp_path / "a-folder"
    folder.mkdir()
    res = subprocess.run([sys.executable, "-m", "nnviz", "train", "--preset", "xor", "--save", str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "epoch" not in res.stdout  # refused before the first epoch
    assert "cannot save" in res.stderr
