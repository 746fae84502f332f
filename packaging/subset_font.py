"""Make the bundle's CJK font: WenQuanYi Micro Hei cut down to the characters nnviz can show.

    python packaging/subset_font.py SOURCE.ttc OUT.ttf

The full font is 5 MB, which would take the bundle over its 150 MB budget. Kept: every character
of nnviz's own texts (the catalogs in resources/translations and the lesson texts, so the
interface can never show a box), the 6 763 hanzi of GB 2312 (what file names and typed text
use in practice), ASCII, Latin-1, Greek, general punctuation, arrows, mathematical operators,
sub/superscripts, CJK symbols and punctuation, and full-width forms. Only the first face of the
collection (the proportional one) is kept. The font is loaded only on a machine with no CJK font
at all (nnviz/app/fonts.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF), (0x2000, 0x206F), (0x2070, 0x209F),
          (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x257F), (0x3000, 0x303F),
          (0xFF00, 0xFFEF)]


def gb2312_hanzi() -> set[int]:
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def nnviz_texts() -> set[int]:
    chars = set()
    for path in list((ROOT / "resources" / "translations").glob("*.po")) + \
            list((ROOT / "resources" / "lessons").rglob("*.json")):
        chars |= {ord(c) for c in path.read_text(encoding="utf-8")}
    return chars


def wanted() -> set[int]:
    cps = gb2312_hanzi() | nnviz_texts()
    for lo, hi in RANGES:
        cps |= set(range(lo, hi + 1))
    return {c for c in cps if c >= 0x20}


def main(argv) -> int:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    src, out = argv[1], argv[2]
    font = TTFont(src, fontNumber=0, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False          # the screen renders it unhinted (Qt's default on Linux)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(wanted()))
    os2 = font["OS/2"]
    ranges = {k: getattr(os2, k) for k in ("ulUnicodeRange1", "ulUnicodeRange2", "ulUnicodeRange3",
                                           "ulUnicodeRange4", "ulCodePageRange1", "ulCodePageRange2")}
    sub.subset(font)
    # the subsetter clears the "Chinese Simplified" code page bit (the cut does not hold all of
    # GBK); Qt decides a font's writing systems from these bits, so keep the original ones
    for key, value in ranges.items():
        setattr(font["OS/2"], key, value)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    font.save(out)
    print(f"{out}: {Path(out).stat().st_size / 1e6:.1f} MB, {len(font.getGlyphOrder())} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
