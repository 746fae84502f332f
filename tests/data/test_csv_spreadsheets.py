"""CSV files from spreadsheets (issue 18): every encoding and delimiter Excel and WPS write is
detected, said by ``nnviz data info``, and can be given instead; what cannot be read says why
and what to try."""
import json

import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import load_dataset
from nnviz.data.csvdata import first_row, load_csv
from nnviz.data.csvformat import parse_delimiter, parse_encoding

ROWS = [("长度", "宽度", "种类"), ("1.5", "2.25", "猫"), ("2.5", "3", "狗"), ("1.25", "0.5", "猫"),
        ("3.5", "3.25", "狗"), ("-0.75", "1e2", "猫")]
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16 with BOM",
             "gbk": "GBK"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def write(tmp_path, encoding, delimiter, decimal_comma=False, name="d.csv"):
    lines = []
    for row in ROWS:
        cells = [c.replace(".", ",") if decimal_comma else c for c in row]
        lines.append(delimiter.join(cells))
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def check(ds):
    assert ds.feature_names == ["长度", "宽度"] and ds.class_names == ["狗", "猫"]
    x = np.concatenate([ds.x_train, ds.x_test])
    assert sorted(x[:, 0].tolist()) == [-0.75, 1.25, 1.5, 2.5, 3.5]
    assert sorted(x[:, 1].tolist()) == [0.5, 2.25, 3.0, 3.25, 100.0]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_round_trip_in_every_encoding_and_delimiter(tmp_path, encoding, delimiter):
    ds = load_csv(write(tmp_path, encoding, delimiter), seed=1)
    check(ds)
    assert f"encoding {ENCODINGS[encoding]}" in ds.file_format
    assert f"delimiter {DELIMITERS[delimiter]} (detected)" in ds.file_format
    assert "decimal commas" not in ds.file_format
    # the same choices given instead of detected
    given = load_csv(write(tmp_path, encoding, delimiter), seed=1, encoding=encoding,
                     delimiter=DELIMITERS[delimiter])
    check(given)
    assert "(detected)" not in given.file_format


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gbk"])
@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_decimal_commas_with_semicolons_or_tabs(tmp_path, encoding, delimiter):
    ds = load_csv(write(tmp_path, encoding, delimiter, decimal_comma=True))
    check(ds)
    assert "decimal commas" in ds.file_format


def test_data_info_says_what_was_detected_and_takes_overrides(tmp_path, capsys):
    from nnviz.cli import main

    path = write(tmp_path, "utf-16", ";", decimal_comma=True)
    assert main(["data", "info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["csv_format"] == ("encoding UTF-16 with BOM (detected), delimiter semicolon "
                                  "(detected), decimal commas (1,5 = 1.5)")
    assert main(["data", "info", str(path), "--delimiter", ";", "--encoding", "utf-16"]) == 0
    assert "csv_format          encoding UTF-16, delimiter semicolon, decimal" in capsys.readouterr().out
    assert main(["data", "info", str(path), "--encoding", "utf-8"]) == 2
    err = capsys.readouterr().err
    assert "cannot be read as utf-8: byte 0xff at line 1" in err and "try --encoding auto" in err
    assert main(["data", "info", str(path), "--delimiter", "x"]) == 2
    assert "unknown delimiter 'x'" in capsys.readouterr().err


def test_train_accepts_the_same_choices(tmp_path, capsys):
    from nnviz.cli import main

    path = write(tmp_path, "gbk", "\t")
    code = main(["train", "--dataset", str(path), "--delimiter", "tab", "--encoding", "gbk",
                 "--preset", "network-2-2-1", "--epochs", "1"])
    assert code == 0, capsys.readouterr().err


def test_a_file_that_cannot_be_read_says_why_and_what_to_try(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"1,2,\x80\xff\n3,4,b\n")
    with pytest.raises(DataError, match=r"neither UTF-8 nor GBK.*\"CSV UTF-8\".*--encoding"):
        load_csv(path)
    one = tmp_path / "one.csv"
    one.write_text("1 2 0\n3 4 1\n")
    with pytest.raises(DataError, match=r"only one column.*delimiter comma \(detected\).*--delimiter"):
        load_csv(one)
    assert load_csv(path, encoding="cp1252").class_names == ["b", "€ÿ"]
    with pytest.raises(DataError, match="unknown encoding 'klingon'"):
        load_dataset(str(path), encoding="klingon")


def test_the_dialogs_first_row_detects_too(tmp_path):
    path = write(tmp_path, "utf-16", ";", decimal_comma=True)
    assert first_row(path) == ["长度", "宽度", "种类"]
    assert first_row(path, delimiter=",", encoding="utf-16") == ["长度;宽度;种类"]
    big = tmp_path / "big.csv"  # a first read that ends inside a character
    big.write_bytes(("长度,宽度,种类\n" + "1,2,猫\n" * 40_000).encode("utf-8"))
    assert first_row(big, max_bytes=65537) == ["长度", "宽度", "种类"]


def test_delimiter_and_encoding_names():
    assert [parse_delimiter(v) for v in (None, "auto", ",", "comma", ";", "semicolon", "tab",
                                         "\\t", "\t", "|")] == [None, None, ",", ",", ";", ";",
                                                                 "\t", "\t", "\t", "|"]
    assert parse_encoding("auto") is None and parse_encoding("UTF8") == "utf-8"
    assert parse_encoding("cp936") == "gbk"
    with pytest.raises(DataError, match="unknown delimiter"):
        parse_delimiter("ab")
