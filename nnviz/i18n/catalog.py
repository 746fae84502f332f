"""The catalog's tooling: extract the marked texts, keep the ``.po`` files, compile the ``.mo``.

``python -m nnviz.i18n update`` (the one command; see the README) runs :func:`update`:
every text marked in ``nnviz/`` (``_``, ``N_``, ``n_``, and the pyqtgraph strings listed in
``nnviz/i18n/qtstrings.py``) is merged into ``resources/translations/nnviz_<lang>.po``: new
texts arrive untranslated, texts no longer in the code are dropped, translations are kept. Then
every ``.po`` is compiled into its ``.mo``. ``python -m nnviz.i18n check`` reports what is out
of date or untranslated (``tests/test_i18n_catalog.py`` runs the same checks).

The extractor reads the code with :mod:`ast`; a marked call whose text is not a plain literal
(an f-string, a concatenation, ``.format`` inside the call) is an error, since its text could
never match at run time. ``_(name)`` with a variable is allowed: it translates a text marked
elsewhere with ``N_``.
"""
from __future__ import annotations

import ast
import re
import string
import struct
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent          # nnviz/
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": 1, "N_": 1, "n_": 2}
PLURAL_FORMS = {"zh_CN": "nplurals=1; plural=0;"}


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    locations: list[str] = field(default_factory=list)
    fuzzy: bool = False
    comments: list[str] = field(default_factory=list)   # translator comments ("# ...")

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(s for s in self.msgstr)


# -- extraction ---------------------------------------------------------------------------------
def _name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return None


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract_file(path: Path, rel: str, out: dict, errors: list) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in ("tr", "_tr", "_t", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"):
            errors.append(f"{rel}:{node.lineno}: {name}() is not in nnviz's catalog: use _() or N_()")
            continue
        if name not in KEYWORDS:
            # Qt's own markers would need Qt's extractor and a context: not this catalog's
            attr = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if attr in ("tr", "translate") and node.args and isinstance(node.args[-1], (ast.Constant, ast.JoinedStr)) \
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id in ("str", "text", "s")):
                if attr == "tr" or len(node.args) >= 2:
                    errors.append(f"{rel}:{node.lineno}: Qt's {attr}() is not in nnviz's catalog: use _()")
            continue
        need = KEYWORDS[name]
        if len(node.args) < need:
            continue
        texts = [_literal(a) for a in node.args[:need]]
        if any(t is None for t in texts):
            bad = [a for a in node.args[:need] if not isinstance(a, (ast.Name, ast.Attribute, ast.Subscript))
                   and _literal(a) is None]
            if bad:
                errors.append(f"{rel}:{node.lineno}: {name}() of a computed text (f-string, + or .format "
                              "inside): mark the literal template and format the result")
            continue
        if name == "n_":
            key = (texts[0], texts[1])
        else:
            key = (texts[0], None)
        if not key[0]:
            continue
        out.setdefault(key, []).append(f"{rel}:{node.lineno}")


def extract(package: Path = PACKAGE) -> tuple[dict, list[str]]:
    """{(msgid, plural or None): [locations]} for every marked text under ``package``, and the
    marked calls that cannot be extracted."""
    out: dict = {}
    errors: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        if "/bench/" in rel:          # the benchmarks talk to developers, in English
            continue
        extract_file(path, rel, out, errors)
    return out, errors


# -- .po ------------------------------------------------------------------------------------------
def _unquote(s: str) -> str:
    return ast.literal_eval(s)


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in out:
        return f'"{out}"'
    parts = out.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def read_po(path: Path) -> tuple[str, list[Entry]]:
    """The header's msgstr and the entries of a ``.po`` file (the subset nnviz writes)."""
    entries: list[Entry] = []
    header = ""
    cur: dict = {}
    key = None

    def flush():
        nonlocal cur, header
        if "msgid" in cur:
            if cur["msgid"] == "" and not cur.get("plural"):
                header = cur.get("msgstr", {}).get(0, "")
            else:
                n = max(cur.get("msgstr", {0: ""}).keys()) + 1
                strs = [cur.get("msgstr", {}).get(i, "") for i in range(n)]
                entries.append(Entry(cur["msgid"], cur.get("plural"), strs, cur.get("loc", []),
                                     cur.get("fuzzy", False), cur.get("comments", [])))
        cur = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
            continue
        if line.startswith("#"):
            if "msgid" in cur:
                flush()
            if line.startswith("#:"):
                cur.setdefault("loc", []).extend(line[2:].split())
            elif line.startswith("#,"):
                cur["fuzzy"] = "fuzzy" in line
            elif line.startswith("# ") or line == "#":
                cur.setdefault("comments", []).append(line[2:])
            continue
        m = re.match(r'(msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if m:
            kw, idx, text = m.group(1), m.group(2), _unquote(m.group(3))
            if kw == "msgid" and "msgid" in cur:
                flush()
            if kw == "msgid":
                cur["msgid"], key = text, ("msgid", None)
            elif kw == "msgid_plural":
                cur["plural"], key = text, ("plural", None)
            else:
                i = int(idx) if idx is not None else 0
                cur.setdefault("msgstr", {})[i] = text
                key = ("msgstr", i)
            continue
        if line.startswith('"') and key is not None:
            text = _unquote(line)
            if key[0] == "msgstr":
                cur["msgstr"][key[1]] += text
            else:
                cur[key[0]] += text
            continue
        raise ValueError(f"{path}: cannot read line {raw!r}")
    flush()
    return header, entries


def header_for(lang: str) -> str:
    return (f"Project-Id-Version: nnviz\nLanguage: {lang}\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
            f"Plural-Forms: {PLURAL_FORMS.get(lang, 'nplurals=2; plural=(n != 1);')}\n")


def write_po(path: Path, lang: str, entries: list[Entry]) -> None:
    out = [f"# nnviz: the interface in {lang}. Edit the msgstr lines; `python -m nnviz.i18n update`",
           "# merges new texts from the code and compiles the .mo. Terms: shared/GLOSSARY-zh.md.",
           'msgid ""', "msgstr " + _quote(header_for(lang)), ""]
    for e in entries:
        out += [f"# {c}" for c in e.comments]
        if e.locations:
            out.append("#: " + " ".join(e.locations[:4]))
        if e.fuzzy:
            out.append("#, fuzzy")
        out.append("msgid " + _quote(e.msgid))
        if e.plural is not None:
            out.append("msgid_plural " + _quote(e.plural))
            for i, s in enumerate(e.msgstr):
                out.append(f"msgstr[{i}] " + _quote(s))
        else:
            out.append("msgstr " + _quote(e.msgstr[0] if e.msgstr else ""))
        out.append("")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(out), encoding="utf-8")
    tmp.replace(path)


# -- .mo ------------------------------------------------------------------------------------------
def compile_mo(lang: str, entries: list[Entry]) -> bytes:
    """GNU ``.mo`` bytes of the translated entries (the standard library's gettext reads them)."""
    pairs = {"": header_for(lang)}
    for e in entries:
        if not e.translated:
            continue
        if e.plural is not None:
            pairs[e.msgid + "\0" + e.plural] = "\0".join(e.msgstr)
        else:
            pairs[e.msgid] = e.msgstr[0]
    keys = sorted(pairs, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    n = len(keys)
    start = 7 * 4 + 16 * n
    offsets, blob = [], b""
    for s in ids:
        offsets.append((len(s), start + len(blob)))
        blob += s + b"\0"
    str_offsets = []
    for s in strs:
        str_offsets.append((len(s), start + len(blob)))
        blob += s + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, start)
    table = b"".join(struct.pack("<2I", *o) for o in offsets) + b"".join(struct.pack("<2I", *o) for o in str_offsets)
    return head + table + blob


# -- checks and the update ------------------------------------------------------------------------
def placeholders(text: str) -> set[str]:
    """The ``str.format`` fields of ``text`` (``{epoch}`` → ``epoch``)."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def po_path(lang: str) -> Path:
    from nnviz.resources import resource_path

    return resource_path("translations", f"nnviz_{lang}.po")


def merge(extracted: dict, old: list[Entry]) -> list[Entry]:
    by_key = {(e.msgid, e.plural): e for e in old}
    out = []
    for key, locs in extracted.items():
        prev = by_key.get(key)
        if prev is None:
            out.append(Entry(key[0], key[1], [""], locs))
        else:
            out.append(Entry(prev.msgid, prev.plural, prev.msgstr, locs, prev.fuzzy, prev.comments))
    out.sort(key=lambda e: (e.locations[0] if e.locations else "", e.msgid))
    return out


def problems(lang: str) -> list[str]:
    """Everything that makes the ``lang`` catalog out of date or unfinished (empty: all good)."""
    extracted, errors = extract()
    out = list(errors)
    path = po_path(lang)
    if not path.is_file():
        return out + [f"{path} is missing: run python -m nnviz.i18n update"]
    _, entries = read_po(path)
    have = {(e.msgid, e.plural) for e in entries}
    for key in extracted:
        if key not in have:
            out.append(f"not in {path.name}: {key[0]!r} ({extracted[key][0]}): run python -m nnviz.i18n update")
    for e in entries:
        if (e.msgid, e.plural) not in extracted:
            out.append(f"{path.name} holds a text the code no longer has: {e.msgid!r}")
        if not e.translated:
            out.append(f"untranslated{' (fuzzy)' if e.fuzzy else ''} in {path.name}: {e.msgid!r}")
            continue
        want = placeholders(e.msgid) | (placeholders(e.plural) if e.plural else set())
        for s in e.msgstr:
            if placeholders(s) != want:
                out.append(f"placeholders differ in {path.name}: {e.msgid!r} has {sorted(want)}, "
                           f"the translation {sorted(placeholders(s))}")
    mo = path.with_suffix(".mo")
    if not mo.is_file() or mo.read_bytes() != compile_mo(lang, entries):
        out.append(f"{mo.name} is not compiled from {path.name}: run python -m nnviz.i18n update")
    return out


def update(languages=LANGUAGES) -> dict:
    """Extract, merge into every ``.po``, compile every ``.mo``; returns counts per language."""
    extracted, errors = extract()
    report = {"errors": errors}
    for lang in languages:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        old = read_po(path)[1] if path.is_file() else []
        entries = merge(extracted, old)
        write_po(path, lang, entries)
        mo = path.with_suffix(".mo")
        tmp = mo.with_suffix(".mo.tmp")
        tmp.write_bytes(compile_mo(lang, entries))
        tmp.replace(mo)
        report[lang] = {"texts": len(entries), "untranslated": sum(not e.translated for e in entries)}
    return report
