"""``nnviz data list | info | download`` through argparse, as the main CLI calls them."""
import argparse
import io
import json

import pytest

from nnviz.core.errors import UnknownNameError
from nnviz.data.cli import ProgressBar, add_data_parser, run_data


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="nnviz")
    add_data_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr()


def test_list(capsys):
    code, out = run(["data", "list"], capsys)
    assert code == 0
    assert any(line.startswith("mnist ") for line in out.out.splitlines())
    assert "gate-xor" in out.out


def test_info_json(capsys):
    code, out = run(["data", "info", "gate-xor", "--json"], capsys)
    info = json.loads(out.out)
    assert code == 0 and info["classes"] == 2 and info["train_samples"] == 4


def test_info_text(capsys):
    code, out = run(["data", "info", "mnist"], capsys)
    assert "nnviz data download mnist" in out.out


def test_download_unknown_name(capsys):
    with pytest.raises(UnknownNameError):
        run(["data", "download", "nope"], capsys)


def test_download_with_progress_bar(http_server, fake_known, tmp_path, capsys):
    http_server.files.update(fake_known["mnist"])
    code, out = run(["data", "download", "mnist", "--dest", str(tmp_path / "m"),
                     "--base-url", http_server.base_url], capsys)
    assert code == 0 and str(tmp_path / "m") in out.out
    assert "100%" in out.err and "t10k-labels-idx1-ubyte.gz" in out.err
    assert len(list((tmp_path / "m").iterdir())) == 4


def test_progress_bar_redraws_in_place():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    for done in (0, 500_000, 1_000_000):
        bar(done, 1_000_000, "f.gz")
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n")
    assert "[#####-----]  50%" in text and "1.0/1.0 MB" in text


def test_run_data_without_func(capsys):
    args = argparse.Namespace(data_command="list")
    assert run_data(args) == 0
