"""The translation catalog is up to date with the code and complete in every language."""
from __future__ import annotations

import gettext
import io

import pytest

from nnviz import i18n
from nnviz.i18n import catalog


@pytest.mark.parametrize("lang", catalog.LANGUAGES)
def test_the_catalog_is_up_to_date_and_every_entry_is_translated(lang):
    bad = catalog.problems(lang)
    assert not bad, f"{len(bad)} problems, first: " + "\n".join(bad[:30])


def test_the_extractor_refuses_texts_that_could_never_match(tmp_path):
    src = tmp_path / "m.py"
    src.write_text('x = 3\n_(f"epoch {x}")\n_("a" + str(x))\nself.tr("old")\n_("Fine {n}")\nN_("Marked")\n'
                   '_(label)\nn_("{n} epoch", "{n} epochs", x)\n', encoding="utf-8")
    out, errors = {}, []
    catalog.extract_file(src, "m.py", out, errors)
    assert sorted(k[0] for k in out) == ["Fine {n}", "Marked", "{n} epoch"]
    assert ("{n} epoch", "{n} epochs") in out
    assert len(errors) == 3 and all(e.startswith("m.py:") for e in errors)


def test_po_round_trip_and_mo_read_by_the_standard_library(tmp_path):
    entries = [catalog.Entry("Play", None, ["播放"], ["a.py:1"]),
               catalog.Entry('Say "hi"\nthen {n}', None, ['说“你好”\n然后 {n}'], ["a.py:2"]),
               catalog.Entry("{n} epoch", "{n} epochs", ["{n} 轮"], ["a.py:3"]),
               catalog.Entry("Untranslated", None, [""], ["a.py:4"])]
    path = tmp_path / "x.po"
    catalog.write_po(path, "zh_CN", entries)
    _, back = catalog.read_po(path)
    assert [(e.msgid, e.plural, e.msgstr) for e in back] == [(e.msgid, e.plural, e.msgstr) for e in entries]
    t = gettext.GNUTranslations(io.BytesIO(catalog.compile_mo("zh_CN", back)))
    assert t.gettext("Play") == "播放"
    assert t.gettext('Say "hi"\nthen {n}') == '说“你好”\n然后 {n}'
    assert t.ngettext("{n} epoch", "{n} epochs", 5) == "{n} 轮"
    assert t.gettext("Untranslated") == "Untranslated"


def test_placeholders_are_named_format_fields():
    assert catalog.placeholders("Epoch {epoch} of {total}") == {"epoch", "total"}
    assert catalog.placeholders("a {") == {"<unbalanced braces>"}


@pytest.mark.parametrize("value, expected", [
    ("zh_CN.UTF-8", "zh_CN"), ("zh-cn", "zh_CN"), ("zh", "zh_CN"), ("en_US.UTF-8", "en"), ("C", None),
    ("", None), (None, None)])
def test_locale_names_are_normalised(value, expected):
    assert i18n.normalize(value) == expected


def test_the_system_locale_chooses_the_language():
    assert i18n.system_language({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.system_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert i18n.system_language({"LANGUAGE": "fr:zh_CN", "LANG": "fr_FR.UTF-8"}) == "zh_CN"
    assert i18n.system_language({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.system_language({}) == "en"


def test_switching_language_translates_and_tells_listeners():
    heard = []
    i18n.add_listener(heard.append)
    try:
        i18n.set_language("zh_CN")
        assert i18n.language() == "zh_CN"
        assert i18n._("Play") != "Play" or "Play" not in {e.msgid for e in catalog.read_po(catalog.po_path("zh_CN"))[1]}
        i18n.set_language("en")
        assert i18n._("Play") == "Play"
    finally:
        i18n.remove_listener(heard.append)
        i18n.set_language("en")
    assert heard == ["zh_CN", "en"]


def test_an_error_made_from_a_marked_template_is_translated_then_filled_in(tmp_path):
    from nnviz.core.errors import NNVizError

    exc = NNVizError("layer {layer}: {n} inputs", layer=2, n=4)
    assert str(exc) == "layer 2: 4 inputs"
    assert exc.template == "layer {layer}: {n} inputs" and exc.values == {"layer": 2, "n": 4}
    assert i18n.message(exc) == "layer 2: 4 inputs"       # English: the template itself
    assert i18n.message(ValueError("plain")) == "plain"
    assert str(NNVizError("50% {not a field")) == "50% {not a field"   # no values: never formatted


def test_unknown_languages_are_refused_with_the_available_ones():
    from nnviz.core.errors import NNVizError

    with pytest.raises(NNVizError, match="available: en, zh_CN"):
        i18n.check_language("xx")
    assert i18n.check_language("zh_CN.UTF-8") == "zh_CN"
