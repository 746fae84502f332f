"""The diagram's backdrop: a second, plain ``QGraphicsView`` behind the diagram's view that
paints the background and, on a dense network, the faint 1-px edges without antialiasing.

Why (issue 19): on 784-100-10 about 530 of the ~700 drawn edges are the faintest ones, 1 px
wide in light tints, and Qt's antialiased 1-px line costs ~20-40 ns per pixel along it: ~4 ms
of a ~9 ms redraw. The same lines without antialiasing cost about a third of that. Qt's render
hints belong to a view, not to an item, and painting them from Python would hold the GIL (the
worker would wait for it), so those items live in a scene of their own shown by this view,
with antialiasing off, under the diagram's view (whose background is then transparent). Both
views have the same size, transform and scene rectangle, so the two pictures line up to the
pixel; Qt paints both in C++, without the GIL.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPainter
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView

from nnviz.app import theme


class Backdrop(QGraphicsView):
    """The view behind ``front`` (a sibling in the same parent): the background colour and the
    items of :attr:`scene_` (see :meth:`follow`)."""

    def __init__(self, front: QGraphicsView):
        super().__init__(front.parentWidget())
        self.scene_ = QGraphicsScene(self)
        self.scene_.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self.scene_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(theme.qcolor(theme.BACKGROUND)))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # the front view lets this one show through: no background of its own
        front.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
        front.viewport().setAutoFillBackground(False)
        self.stackUnder(front)
        self.follow(front)

    def follow(self, front: QGraphicsView) -> None:
        """Take ``front``'s place, transform and scene rectangle (after it changed them)."""
        if self.geometry() != front.geometry():
            self.setGeometry(front.geometry())
        self.setTransform(front.transform())
        self.setSceneRect(front.sceneRect())
        self.horizontalScrollBar().setValue(front.horizontalScrollBar().value())
        self.verticalScrollBar().setValue(front.verticalScrollBar().value())
