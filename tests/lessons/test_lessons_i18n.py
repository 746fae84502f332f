"""The lessons and the step-through in both languages (issue 17).

Every lesson exists in English and 简体中文 with the same keys and placeholders; ``nnviz step
--lang zh_CN`` prints the same Chinese phases the window shows, with the diagram's layer names
and the same numbers as English; the lesson catalog reads the current language.
"""
import json
import string
from collections import Counter

import pytest

from nnviz.cli import main
from nnviz.i18n import language, set_language
from nnviz.i18n.names import layer_title
from nnviz.lessons import build_phases
from nnviz.lessons.catalog import TEXT_FIELDS, get_lesson, load_lessons
from nnviz.lessons.fmt import parse_numbers
from nnviz.lessons.stepping import step_preset
from nnviz.resources import resource_path

LESSONS = sorted(resource_path("lessons").glob("*.json"))
SEED_OUTPUT = 0.7216325609518421


@pytest.fixture
def english():
    """Whatever a test switches to, English comes back afterwards."""
    set_language("en")
    try:
        yield
    finally:
        set_language("en")


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_there_are_lessons():
    assert len(LESSONS) >= 13


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_both_languages(path):
    en = json.loads(path.read_text(encoding="utf-8"))
    zh_path = path.parent / "zh_CN" / path.name
    assert zh_path.is_file(), f"{path.name} has no Chinese text"
    zh = json.loads(zh_path.read_text(encoding="utf-8"))
    assert set(zh) == set(en)
    for key, value in en.items():
        if key in TEXT_FIELDS:
            assert placeholders(zh[key]) == placeholders(value), key
            assert has_cjk(zh[key]) and zh[key] != value, key
        else:  # the computation, its preset and its numbers are the English file's
            assert zh[key] == value, key
    for key in TEXT_FIELDS:  # every number the English text states, the Chinese states too
        lost = Counter(parse_numbers(en[key])) - Counter(parse_numbers(zh[key]))
        assert not lost, (key, lost)
    assert "偏差" not in zh["text"], "bias is 偏置 (the glossary)"


def test_catalog_reads_the_current_language(english):
    en = {l.name: l for l in load_lessons()}
    set_language("zh_CN")
    zh = {l.name: l for l in load_lessons()}
    assert set(zh) == set(en)
    for name, lesson in zh.items():
        assert has_cjk(lesson.title) and has_cjk(lesson.text)
        assert (lesson.demo, lesson.preset, lesson.params, lesson.select, lesson.order) == \
               (en[name].demo, en[name].preset, en[name].params, en[name].select, en[name].order)
    assert get_lesson("neuron").title == "单个神经元"
    set_language("en")
    assert get_lesson("neuron").title == "A single neuron"
    assert get_lesson("neuron", lang="zh_CN").title == "单个神经元"


def test_missing_translation_falls_back_to_english(english, tmp_path, monkeypatch):
    import nnviz.lessons.catalog as catalog

    folder = tmp_path / "lessons"
    (folder / "zh_CN").mkdir(parents=True)
    for p in LESSONS[:2]:
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "zh_CN" / LESSONS[0].name).write_text(
        (LESSONS[0].parent / "zh_CN" / LESSONS[0].name).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(catalog, "resource_path", lambda *parts: folder)
    got = {l.name: l for l in catalog.load_lessons("zh_CN")}
    first, second = (json.loads(p.read_text(encoding="utf-8"))["name"] for p in LESSONS[:2])
    assert has_cjk(got[first].title)
    assert got[second].title == json.loads(LESSONS[1].read_text(encoding="utf-8"))["title"]


def test_phases_in_chinese_use_the_layer_names(english):
    _, rec = step_preset("network-2-2-1")
    en = build_phases(rec)
    set_language("zh_CN")
    zh = build_phases(rec)
    n = rec.n_layers
    assert [p.title for p in zh][:2] == [f"前向传播，{layer_title(0, n)}（sigmoid），神经元 0",
                                          f"前向传播，{layer_title(1, n)}（sigmoid），神经元 0"]
    assert layer_title(0, n) == "隐藏层 1" and layer_title(1, n) == "输出层"
    for e, z in zip(en, zh):
        assert has_cjk(z.title)
        assert (z.phase, z.layer, z.neuron, z.values) == (e.phase, e.layer, e.neuron, e.values)
        assert parse_numbers(z.filled) == parse_numbers(e.filled)
        assert len(z.notes) == len(e.notes)
    set_language("en")
    assert build_phases(rec)[0].title == "Forward, hidden 1 (sigmoid), neuron 0"


def test_english_titles_name_the_layers_like_the_diagram(english):
    _, rec = step_preset("network-2-2-1")
    titles = [p.title for p in build_phases(rec)]
    assert titles == ["Forward, hidden 1 (sigmoid), neuron 0", "Forward, output (sigmoid), neuron 0",
                      titles[2], "Backward, output (sigmoid), neuron 0", "Backward, hidden 1 (sigmoid), neuron 0",
                      titles[5]]
    assert titles[2].startswith("Loss (") and titles[5].startswith("Update (") and titles[5].endswith(
        ", output, neuron 0")
    assert not any("layer 0" in t or "layer 1" in t for t in titles)


def _phase_blocks(text: str) -> list[list[str]]:
    blocks = []
    for line in text.splitlines():
        if line.startswith("["):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    return blocks


def test_step_lang_zh_prints_chinese_with_the_same_numbers(english, capsys):
    assert main(["step", "--preset", "network-2-2-1"]) == 0
    en = capsys.readouterr().out
    assert main(["step", "--preset", "network-2-2-1", "--lang", "zh_CN"]) == 0
    zh = capsys.readouterr().out
    assert "[0] 前向传播，隐藏层 1（sigmoid），神经元 0" in zh
    assert "[3] 反向传播，输出层（sigmoid），神经元 0" in zh and "隐藏层 1" in zh
    assert "layer 0" not in zh and "Forward" not in zh
    en_blocks, zh_blocks = _phase_blocks(en), _phase_blocks(zh)
    assert len(en_blocks) == len(zh_blocks) == 6
    for e, z in zip(en_blocks, zh_blocks):
        assert has_cjk(z[0])
        # the titles' only number is the phase index and neuron; the formulas' numbers are all equal
        assert parse_numbers("\n".join(z[1:])) == parse_numbers("\n".join(e[1:]))
    # the window's phases in Chinese are what the CLI printed
    set_language("zh_CN")
    _, rec = step_preset("network-2-2-1")
    for p in build_phases(rec):
        assert f"[{p.index}] {p.title}" in zh and p.formula in zh
        for line in p.filled.splitlines():
            assert line in zh
    set_language("en")


def test_top_level_lang_before_the_command_works_too(english, capsys):
    assert main(["--lang", "zh_CN", "step"]) == 0
    assert "前向传播，隐藏层 1" in capsys.readouterr().out


def test_step_json_in_chinese_keeps_the_numbers(english, capsys):
    assert main(["step", "--json"]) == 0
    en = json.loads(capsys.readouterr().out)
    assert main(["step", "--json", "--lang", "zh_CN"]) == 0
    zh = json.loads(capsys.readouterr().out)
    assert len(en) == len(zh)
    for e, z in zip(en, zh):
        assert (z["phase"], z["layer"], z["neuron"], z["values"]) == (e["phase"], e["layer"], e["neuron"], e["values"])
        assert has_cjk(z["title"]) and parse_numbers(z["filled"]) == parse_numbers(e["filled"])
        assert z["formula"] == e["formula"] or has_cjk(z["formula"])
    assert zh[1]["layer"] == 1 and zh[1]["values"]["a"] == SEED_OUTPUT  # the JSON keeps 0-based layers
    assert zh[0]["layer"] == 0 and "隐藏层 1" in zh[0]["title"]


@pytest.mark.parametrize("argv", [["step"], ["lesson", "neuron"], ["lessons"]])
def test_unknown_lang_is_one_line_exit_2(english, capsys, argv):
    assert main([*argv, "--lang", "klingon"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "klingon" in captured.err and "zh_CN" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert language() == "en"


def test_lessons_and_lesson_in_chinese(english, capsys):
    assert main(["lessons", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "neuron" in out and "单个神经元" in out and "计算图：买苹果" in out
    assert main(["lesson", "network-2-2-1", "--lang", "zh_CN", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert has_cjk(doc["title"]) and repr(SEED_OUTPUT) in doc["text"]
    assert doc["result"]["output"] == SEED_OUTPUT
    assert any("隐藏层 1" in p["title"] for p in doc["result"]["phases"])
    assert main(["lesson", "apple", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "220" in out and "2.2" in out and "110" in out and "乘法节点" in out
    # without --lang the CLI is English again
    assert main(["lesson", "apple"]) == 0
    assert "multiply node" in capsys.readouterr().out


@pytest.mark.parametrize("name", [p.stem for p in LESSONS if p.stem != "mnist"])
def test_every_demo_runs_in_chinese(english, name):
    from nnviz.lessons.demos import run_demo

    set_language("zh_CN")
    lesson = get_lesson(name)
    quick = {"train": {"epochs": 50, "every": 10}}.get(lesson.demo, {})
    result = run_demo(lesson, **quick)
    assert has_cjk(result["text"])
    assert "{" not in result["text"]
