"""Saving the network diagram as a picture: PNG (what the screen shows) or SVG (vector)."""
from __future__ import annotations

import os

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem

from nnviz.app import theme
from nnviz.app.diagram.items import Label
from nnviz.i18n import _


def export_png(diagram, path) -> None:
    """Save what ``diagram`` shows (with its legend, without an open editor) as a PNG."""
    editing = diagram.editor.isVisible()
    diagram.editor.hide()
    try:
        ok = diagram.grab().save(str(path), "PNG")
    finally:
        diagram.editor.setVisible(editing)
    if not ok:
        raise OSError(_("could not write {path}").format(path=path))


def export_svg(diagram, path) -> None:
    """Save ``diagram`` and its legend as an SVG: vector edges and text, images embedded."""
    from PySide6.QtSvg import QSvgGenerator

    view, legend = diagram.view, diagram.legend
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    vw, vh = view.width(), view.height()
    size = QSize(vw, vh + legend.height())
    gen.setSize(size)
    gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
    gen.setTitle(_("nnviz network"))
    # texts as vector text, not as the pixmaps they are cached in on screen
    labels = [it for it in view.scene().items() if isinstance(it, Label)]
    for it in labels:
        it.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    p = QPainter(gen)
    try:
        p.fillRect(QRectF(0, 0, size.width(), size.height()), theme.qcolor(theme.BACKGROUND))
        backdrop = getattr(diagram, "backdrop", None)  # (a dense net's faint edges are behind the view)
        if backdrop is not None:
            backdrop.render(p, QRectF(0, 0, vw, vh), backdrop.viewport().rect())
        view.render(p, QRectF(0, 0, vw, vh), view.viewport().rect())
        p.save()
        p.translate(0, vh)
        legend.paint_on(p)
        p.restore()
    finally:
        p.end()
        for it in labels:
            it.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    if not os.path.exists(str(path)):
        raise OSError(_("could not write {path}").format(path=path))
