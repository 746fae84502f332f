"""The interface's languages: English (the source text) and every shipped catalog.

One catalog system for the whole program, Qt-free (the core, the data, the lessons and the CLI
use it as well as the window): gettext catalogs, edited as ``resources/translations/nnviz_<lang>.po``
and read compiled, ``nnviz_<lang>.mo``, with the standard library's :mod:`gettext`.

* ``_("text")`` translates now, into the current language;
* ``N_("text")`` only marks a text (a module-level constant, a table row, a registry's display
  name) for the catalog; it is translated with ``_(value)`` where it is shown;
* ``n_("one", "many", n)`` picks the plural form;
* placeholders are always ``str.format`` fields with names, ``_("Epoch {epoch}").format(epoch=3)``:
  never an f-string inside ``_()`` (the catalog could not match it), never ``%s`` or ``%1``.

``python -m nnviz.i18n update`` extracts every marked text, merges it into each ``.po`` and
compiles the ``.mo``; ``tests/test_i18n_catalog.py`` fails when the catalog is out of date with
the code or any entry is untranslated. The window adds Qt's own strings (``qtbase_<lang>.qm``)
and live switching (:mod:`nnviz.app.translation`).
"""
from __future__ import annotations

import gettext as _gettext
import os

SOURCE_LANGUAGE = "en"
#: The languages the window offers, each named in its own language.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}

_state = {"lang": SOURCE_LANGUAGE, "catalog": _gettext.NullTranslations()}
_listeners: list = []


def N_(text: str) -> str:
    """Mark ``text`` for the catalog without translating it (translate with ``_`` when shown)."""
    return text


def _(text: str) -> str:
    """``text`` in the current language (``text`` itself when the catalog lacks it)."""
    if not text:
        return text
    return _state["catalog"].gettext(text)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that fits the count ``n``, translated."""
    return _state["catalog"].ngettext(singular, plural, int(n))


def catalog_file(lang: str, suffix: str = ".mo"):
    from nnviz.resources import resource_path

    return resource_path("translations", f"nnviz_{lang}{suffix}")


def available_languages() -> list[str]:
    """``en`` and every language with a compiled catalog in ``resources/translations``."""
    from nnviz.resources import resource_path

    folder = resource_path("translations")
    found = sorted(p.stem.removeprefix("nnviz_") for p in folder.glob("nnviz_*.mo")) if folder.is_dir() else []
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def normalize(lang: str | None) -> str | None:
    """``zh_CN.UTF-8``, ``zh-cn``, ``zh`` → ``zh_CN``; ``en_US`` → ``en``; None for nothing usable."""
    if not lang:
        return None
    code = str(lang).strip().split(".")[0].split("@")[0].replace("-", "_")
    if not code or code in ("C", "POSIX"):
        return None
    low = code.lower()
    if low.startswith("zh"):
        return "zh_CN"  # the one Chinese catalog: 简体中文 (a zh_TW learner reads it better than English)
    if low.startswith("en"):
        return SOURCE_LANGUAGE
    return code


def system_language(env=None) -> str:
    """The language the system asks for (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), if
    nnviz has it, else English."""
    env = os.environ if env is None else env
    available = available_languages()
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key)
        if not value:
            continue
        for part in value.split(":"):  # LANGUAGE is a list, in order of preference
            lang = normalize(part)
            if lang in available:
                return lang
        if key != "LANGUAGE":
            break  # the first of LC_ALL, LC_MESSAGES, LANG that is set decides
    return SOURCE_LANGUAGE


def language() -> str:
    """The current language's code (``en`` or ``zh_CN``)."""
    return _state["lang"]


def check_language(lang) -> str:
    """``lang`` normalised if nnviz has it, else a one-line :class:`NNVizError` (exit code 2)."""
    from nnviz.core.errors import NNVizError

    code = normalize(lang) or str(lang).strip()
    available = available_languages()
    if code not in available:
        raise NNVizError(N_("no translation for language {lang}; available: {available}"),
                         lang=repr(str(lang)), available=", ".join(available))
    return code


def set_language(lang: str | None) -> str:
    """Make ``lang`` current (None or ``en``: English) and tell every listener; returns the code."""
    code = normalize(lang) or SOURCE_LANGUAGE
    if code == SOURCE_LANGUAGE:
        catalog = _gettext.NullTranslations()
    else:
        path = catalog_file(code)
        with open(path, "rb") as f:
            catalog = _gettext.GNUTranslations(f)
    _state["lang"], _state["catalog"] = code, catalog
    for listener in list(_listeners):
        listener(code)
    return code


def add_listener(callback) -> None:
    """``callback(lang)`` after every :func:`set_language` (the window retranslates itself)."""
    _listeners.append(callback)


def remove_listener(callback) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


_HAN = "\u3400-\u9fff"   # CJK ideographs (the Chinese text and names nnviz fills in)


def fill(template: str, values: dict) -> str:
    """``template.format(**values)``, where a value that begins or ends with a Chinese
    character does not keep the space the translation leaves beside it for a number or a Latin
    name: "{layer} 的输入" gives "输出层的输入", "隐藏层 1 的输入" and "x 的输入"."""
    import re

    for key, value in values.items():
        if not isinstance(value, str) or not value:
            continue
        field = re.escape("{" + key + "}")
        if re.match(f"[{_HAN}]", value[-1]):
            template = re.sub(f"{field} (?=[{_HAN}])", "{" + key + "}", template)
        if re.match(f"[{_HAN}]", value[0]):
            template = re.sub(f"(?<=[{_HAN}]) {field}", "{" + key + "}", template)
    return template.format(**values)


def message(exc) -> str:
    """An error's message in the current language: a :class:`NNVizError` (or an
    ``errors.Text``) made from a marked template with named values is translated, then filled
    in, its values likewise; any other error or value as it is (``str``)."""
    template = getattr(exc, "template", None)
    values = getattr(exc, "values", None)
    if isinstance(template, str) and template:
        text = _(template)
        try:   # a value that is itself a marked text (a reason, a hint) is translated too
            return text.format(**{k: message(v) for k, v in values.items()}) if values else text
        except (KeyError, IndexError, ValueError):
            return str(exc)
    return str(exc)
