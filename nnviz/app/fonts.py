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
    (the shipped font was loaded and made the application's first font family) or ``none`` (no
    font anywhere: Chinese would show boxes).

    The bundled font is a cut of the whole one, and fontconfig then does not list it for
    Chinese (its zh-cn coverage test wants more characters), so Qt's per-script fallback would
    not pick it: it is put first in the application font's families instead, ahead of what the
    system has (which, here, has no Chinese)."""
    if has_chinese_font():
        return "system"
    path = path or bundled_font_path()
    if path is None:
        return "none"
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication

    fid = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if not families or not QFontMetrics(QFont(families[0])).inFontUcs4(0x4E2D):   # 中
        return "none"
    app = QGuiApplication.instance()
    if app is not None:
        font = app.font()
        font.setFamilies([families[0]] + [f for f in font.families() if f != families[0]])
        app.setFont(font)
    return "bundled"


def shows_chinese() -> bool:
    """Whether the application's font draws 中 (the check the self-test reports)."""
    from PySide6.QtGui import QFontMetrics, QGuiApplication

    app = QGuiApplication.instance()
    return app is not None and (has_chinese_font() or QFontMetrics(app.font()).inFontUcs4(0x4E2D))
