"""Chinese text never draws as boxes: a CJK font from the system, else the one the bundle ships.

The .deb depends on ``fonts-wqy-microhei``; a checkout's README installs it. The stand-alone
bundle (``packaging/nnviz.spec``) carries the same font file in ``fonts/``, and it is loaded only
when fontconfig finds no font with Simplified Chinese (loading it costs ~5 MB of memory and a
few milliseconds, which a machine with CJK fonts need not pay).
"""
from __future__ import annotations

import sys
from pathlib import Path

def bundled_font_path() -> Path | None:
    """The shipped CJK font file, if this nnviz carries one (the bundle does; a checkout not)."""
    root = getattr(sys, "_MEIPASS", None)
    if not root:
        return None
    found = sorted((Path(root) / "fonts").glob("*.tt[cf]"))
    return found[0] if found else None


def has_chinese_font() -> bool:
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_chinese_font(path: Path | None = None) -> str:
    """Make sure a Simplified Chinese font is available; returns how: ``system``, ``bundled``
    (the shipped font was loaded) or ``none`` (no font anywhere: Chinese would show boxes)."""
    if has_chinese_font():
        return "system"
    path = path or bundled_font_path()
    if path is not None:
        from PySide6.QtGui import QFontDatabase

        if QFontDatabase.addApplicationFont(str(path)) >= 0 and has_chinese_font():
            return "bundled"
    return "none"
