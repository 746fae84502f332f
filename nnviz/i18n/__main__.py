"""``python -m nnviz.i18n update | check | missing [LANG] | fill FILE.json [LANG]``

update: extract, merge and compile (the one command, see catalog.py); check: what is out of date
or untranslated; missing: the untranslated texts, one JSON line each; fill: take translations
from a JSON object {english: chinese} (or {english: [forms]} for plurals), then update.
"""
from __future__ import annotations

import json
import sys

from nnviz.i18n import catalog


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    cmd = args[0] if args else "update"
    if cmd == "update":
        report = catalog.update()
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 1 if report["errors"] else 0
    if cmd == "check":
        bad = [p for lang in catalog.LANGUAGES for p in catalog.problems(lang)]
        print("\n".join(bad) if bad else "catalogs up to date and complete")
        return 1 if bad else 0
    if cmd == "fill":
        import fcntl
        from pathlib import Path

        lang = args[2] if len(args) > 2 else catalog.LANGUAGES[0]
        table = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        path = catalog.po_path(lang)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)   # helpers fill at the same time: one at a time
            catalog.update((lang,))
            _, entries = catalog.read_po(path)
            filled = 0
            for e in entries:
                got = table.get(e.msgid)
                if got:
                    e.msgstr = list(got) if isinstance(got, list) else [got] * len(e.msgstr)
                    e.fuzzy = False
                    filled += 1
            catalog.write_po(path, lang, entries)
            report = catalog.update((lang,))
        print(json.dumps({"filled": filled, **report[lang]}))
        return 0
    if cmd == "missing":  # the untranslated texts, for a translator: msgid per line as JSON
        lang = args[1] if len(args) > 1 else catalog.LANGUAGES[0]
        _, entries = catalog.read_po(catalog.po_path(lang))
        for e in entries:
            if not e.translated:
                print(json.dumps([e.msgid, e.plural, e.locations[:1]], ensure_ascii=False))
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
