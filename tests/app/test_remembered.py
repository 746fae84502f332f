"""Issue 18, defects 4-6: a bad remembered value falls back to its default; the file is repaired."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings

from nnviz.app.remembered import MAX_TOY_SAMPLES, Remembered, checked_settings, recent_item_ok
from nnviz.experiment import Settings

DEFAULTS = Settings()


@pytest.mark.parametrize("field, value", [
    ("seed", -7), ("seed", "abc"), ("seed", 1e30), ("seed", True), ("batch_size", 10 ** 12),
    ("epochs", -1), ("lr", float("nan")), ("lr", 0), ("lr", "0.1"), ("hidden", [4, "x"]), ("hidden", [10 ** 9]),
    ("activation", "nope"), ("loss", 3), ("dtype", "float16"), ("dropout", 5), ("shuffle", "yes"),
    ("data_options", {"n_samples": 10 ** 9}), ("data_options", {"noise": float("inf")}), ("data_options", "x"),
    ("optimizer_options", {"momentum": [[[]]]}), ("optimizer_options", ["beta"])])
def test_a_bad_field_takes_the_default_and_keeps_the_others(field, value):
    raw = {**DEFAULTS.to_dict(), field: value, "lr": 0.3} if field != "lr" else {**DEFAULTS.to_dict(), field: value}
    s, bad = checked_settings(raw, DEFAULTS)
    assert bad == [field]
    assert getattr(s, field) == getattr(DEFAULTS, field)
    if field != "lr":
        assert s.lr == 0.3


def test_good_settings_pass_unchanged():
    good = DEFAULTS.replace(seed=7, batch_size=None, hidden=[8, 8], data_options={"n_samples": MAX_TOY_SAMPLES},
                            optimizer="adam", lr=0.003)
    s, bad = checked_settings(json.dumps(good.to_dict()), DEFAULTS)
    assert bad == [] and s == good


@pytest.mark.parametrize("raw", ["[" * 100_000 + "]" * 100_000, "not json", "[1, 2]", '"text"', "x" * 300_000])
def test_what_is_not_a_settings_record_is_refused_whole(raw):
    assert checked_settings(raw, DEFAULTS) == (None, ["last_settings"])


def test_unknown_keys_are_dropped_and_named():
    s, bad = checked_settings({**DEFAULTS.to_dict(), "colour": "red"}, DEFAULTS)
    assert s == DEFAULTS and bad == ["colour"]


def _qs(tmp_path, **values):
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    for k, v in values.items():
        qs.setValue(k.replace("__", "/"), v)
    return qs


def test_remembered_values_are_checked_and_the_file_repaired(tmp_path):
    qs = _qs(tmp_path, step__digits="abc", recent=json.dumps([{"path": 3, "kind": "data"}, {"path": "/a.csv"},
                                                              {"path": "/b.csv", "kind": "data"}]),
             last_settings=json.dumps({**DEFAULTS.to_dict(), "seed": -7}))
    r = Remembered(qs)
    assert r.int("step/digits", 4, 1, 17) == 4
    assert r.json_list("recent", recent_item_ok) == [{"path": "/b.csv", "kind": "data"}]
    assert r.settings("last_settings", DEFAULTS).seed == 0
    assert r.problems == ["step/digits", "recent", "last_settings.seed"]
    assert "step/digits" in r.message() and "last_settings.seed" in r.message()
    qs.sync()
    again = Remembered(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))   # the file was repaired
    assert again.int("step/digits", 4, 1, 17) == 4
    assert len(again.json_list("recent", recent_item_ok)) == 1
    assert again.settings("last_settings", DEFAULTS).seed == 0
    assert again.problems == [] and again.message() == ""


def test_a_huge_number_is_out_of_range_not_an_overflow(tmp_path):
    r = Remembered(_qs(tmp_path, step__digits=str(10 ** 30)))
    assert r.int("step/digits", 4, 1, 17) == 4 and r.problems == ["step/digits"]
