"""Hover and clicks on the network diagram (:class:`DiagramMouse`, a mixin of
:class:`~nnviz.app.diagram.view.NetworkDiagram`; its view and scene call these): what is under
the pointer, its tooltip and highlight, and what a click does (see the view's module notes)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QToolTip

from nnviz.app.diagram.layout import hit_test


class DiagramMouse:
    """Mouse handling of the diagram; uses the diagram's layout, scene and view."""

    def _hit(self, scene_pos):
        if self.network_layout is None:
            return None
        return hit_test(self.network_layout, scene_pos.x(), scene_pos.y(), 1.0 / self._scale, self.scene.spot_px,
                        self.scene.bias_px, self._heat_layers, self.scene.image.weights_shown(), self.scene.plan)

    def tooltip_at(self, scene_pos) -> str:
        """What the tooltip says at ``scene_pos``: a caption's explanation, else the hover text."""
        vp = QPointF(self.view.mapFromScene(scene_pos))
        for t in [*self.scene.captions, self.scene.image.caption]:
            if t.isVisible() and t.toolTip() and self.item_view_rect(t).contains(vp):
                return t.toolTip()
        key = self._hit(scene_pos)
        if self._step_state is not None:
            return self._step_tooltip(key)
        return self.texts.describe(key, self._snap, self._incoming) if key is not None else ""

    def mouse_moved(self, scene_pos) -> None:
        self._move_pos = scene_pos
        if not self._move_timer.isActive():
            self._move_timer.start()

    def mouse_left(self) -> None:
        self._move_pos = None
        self._move_timer.stop()
        self._set_hover(None, None)

    def _process_move(self) -> None:
        if self._move_pos is None:
            return
        key = self._hit(self._move_pos)
        if key is not None and key[0] == "n" and key[1] == 0 and self.network_layout.image_shape is not None \
                and not self._incoming_pinned and self._incoming != key[2]:
            self.set_show_incoming(0, key[2], pinned=False)
        self._set_hover(key, self._move_pos)

    def _set_hover(self, key, scene_pos) -> None:
        if key == self._hover_key:
            return
        self._hover_key = key
        if self.network_layout is not None:
            self.scene.highlight(key)
        self._hover_text = ("" if key is None else self._step_tooltip(key) if self._step_state is not None
                            else self.texts.describe(key, self._snap, self._incoming))
        # Qt asks for the tooltip after the usual hover delay (see DiagramScene.helpEvent); one
        # already open follows along
        vp = self.view.viewport()
        if QToolTip.isVisible():
            if self._hover_text and scene_pos is not None:
                QToolTip.showText(vp.mapToGlobal(self.view.mapFromScene(scene_pos)), self._hover_text, vp)
            else:
                QToolTip.hideText()

    def clicked(self, scene_pos, button, modifiers) -> None:
        key = self._hit(scene_pos) if button == Qt.MouseButton.LeftButton else None
        if key is None:
            return
        kind = key[0]
        if modifiers & Qt.KeyboardModifier.ControlModifier and self.network_layout.image_shape is not None \
                and kind == "n" and key[1] == 0:
            unpin = self._incoming_pinned and self._incoming == key[2]
            self.set_show_incoming(0, key[2], pinned=not unpin)
            return
        if self._step_state is not None and not modifiers & Qt.KeyboardModifier.ShiftModifier:
            if kind in ("n", "heat") and key[1] >= 0:
                self.stepSelectRequested.emit(key[1], key[2])
            elif kind in ("w", "b"):
                self.stepSelectRequested.emit(key[1], key[-1])
            return
        pos = self.view.viewport().mapTo(self, self.view.mapFromScene(scene_pos))
        if kind in ("n", "heat") and key[1] >= 0:
            self.request_edit("b", key[1], (key[2],), pos)
        elif kind == "w":
            self.request_edit("W", key[1], (key[2], key[3]), pos)
        elif kind == "b":
            self.request_edit("b", key[1], (key[2],), pos)
        elif kind == "inset" and self._incoming is not None:
            self.request_edit("W", 0, (key[1], self._incoming), pos)
