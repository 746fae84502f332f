"""Render resources/icons/nnviz.svg to the PNG sizes the desktop and the .deb use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

writes resources/icons/nnviz-<size>.png for 16, 32, 48, 64, 128 and 256 px (the hicolor sizes).
Run it again after editing the SVG and commit the PNGs with it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 32, 48, 64, 128, 256)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path = ICONS / "nnviz.svg", out_dir: Path = ICONS, sizes=SIZES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format_ARGB32)
        image.fill(Qt.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"nnviz-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"render_icons: could not write {path}")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in render():
        print(f"{p} ({p.stat().st_size} bytes)")
