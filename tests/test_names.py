"""Every id the interface shows has a display name and a tooltip (issue 17).

A new activation, loss, initialiser, optimizer, schedule, dataset, preset or lesson without an
entry in ``nnviz.i18n.names.NAMES`` fails here, so it never shows as a raw id.
"""
import json

import pytest

from nnviz import i18n
from nnviz.core import ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, SCHEDULES
from nnviz.data import list_datasets
from nnviz.i18n import names
from nnviz.presets import PRESETS
from nnviz.resources import resource_path


def lesson_files():
    return sorted(resource_path("lessons").glob("*.json"))


def expected_ids():
    out = []
    for kind, registry in (("activation", ACTIVATIONS), ("loss", LOSSES), ("init", INITIALIZERS),
                           ("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)):
        out += [(kind, k) for k in registry]
    out += [("dataset", k) for k in list_datasets()]
    # the seeds' tiny samples that presets bring with them (not in the data catalog)
    out += [("dataset", p.settings.dataset) for p in PRESETS.values()
            if p.settings.dataset not in list_datasets() and p.settings.dataset != "none"]
    out += [("preset", k) for k in PRESETS]
    out += [("lesson", json.loads(p.read_text(encoding="utf-8"))["name"]) for p in lesson_files()]
    return out


@pytest.mark.parametrize("kind, ident", expected_ids())
def test_every_id_has_a_name_and_a_tooltip(kind, ident):
    assert (kind, ident) in names.NAMES, f"add a display name and tooltip for {kind} {ident!r} to NAMES"
    title, tip = names.NAMES[(kind, ident)]
    assert title.strip() and tip.strip()
    assert names.title(kind, ident) == title and names.tip(kind, ident) == tip


def test_no_entry_for_an_id_that_is_gone():
    assert set(names.NAMES) == set(expected_ids())
    assert {k for k, _ in names.NAMES} == {"activation", "loss", "init", "optimizer", "schedule", "dataset",
                                           "preset", "lesson"}


def test_a_lesson_is_named_by_its_title():
    assert lesson_files()
    for p in lesson_files():
        lesson = json.loads(p.read_text(encoding="utf-8"))
        assert names.NAMES[("lesson", lesson["name"])][0] == lesson["title"]


def test_the_brief_examples():
    assert names.title("loss", "sse_half") == "½·Σ(y − t)²"
    assert "L = ½·Σ(y − t)²" in names.tip("loss", "sse_half")
    assert names.title("init", "xavier_normal") == "Xavier (normal)"


def test_an_unknown_id_shows_as_itself():
    assert names.title("loss", "no-such-loss") == "no-such-loss"
    assert names.tip("loss", "no-such-loss") == ""


def test_names_translate_and_ids_do_not_change():
    if "zh_CN" not in i18n.available_languages():
        pytest.skip("no compiled Chinese catalog")
    try:
        i18n.set_language("zh_CN")
        assert names.title("init", "xavier_normal") != "Xavier (normal)"
        assert names.title("optimizer", "adam") == "Adam"  # Latin names stay Latin
        assert "sse_half" in LOSSES
    finally:
        i18n.set_language("en")
    assert names.title("init", "xavier_normal") == "Xavier (normal)"
