"""The network diagram widget: the view of the scene, the legend under it, hover and clicks.

User interaction (documented for the help text):

* hover a neuron, a bias node, a heatmap or an edge → a tooltip with its numbers;
* click a neuron → edit its bias; click an edge → edit its weight (a small editor opens in place:
  type the value, Enter applies, Esc cancels) → :attr:`NetworkDiagram.paramEditRequested`;
* image inputs: hovering a neuron of the first hidden layer shows its incoming weights as a
  picture below the input image; Ctrl+click pins that neuron (Ctrl+click again to unpin);
* in step mode (:meth:`show_step`) a click on a neuron or an edge selects what the math panel
  explains (:attr:`stepSelectRequested`); Shift+click edits as above.

Layers are dense-layer indices (``net.dense_layers()[layer]``); the input units are layer -1.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QPainter, QTransform
from PySide6.QtWidgets import QFrame, QGraphicsView, QVBoxLayout, QWidget

from nnviz.app import theme
from nnviz.app.diagram.backdrop import Backdrop
from nnviz.app.diagram.editor import DiagramTexts, ParamEditor
from nnviz.app.diagram.export import export_png, export_svg
from nnviz.app.diagram.layout import (DEFAULT_MAX_EDGES, DiagramLayout, can_show_heatmaps, weights_match)
from nnviz.app.diagram.legend import Legend
from nnviz.app.diagram.mouse import DiagramMouse
from nnviz.app.diagram.scene import DiagramScene
from nnviz.app.diagram.stepdisplay import StepDisplay
from nnviz.app.training.state import Snapshot
from nnviz.app.translation import retranslate


class _View(QGraphicsView):
    """A plain ``QGraphicsView`` of the diagram's data coordinates (y up). It overrides only
    mouse and resize handlers: its paint is Qt's own C++ (see nnviz.app.diagram.items)."""

    def __init__(self, owner):
        super().__init__()
        self._owner = owner
        self._press = None
        self.setScene(DiagramScene(owner))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(theme.qcolor(theme.BACKGROUND)))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        # no keyboard focus: arrow keys would scroll the scene, and Space belongs to Play
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def resizeEvent(self, ev) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self._owner.fit()
        self._owner.backdrop.follow(self)

    def moveEvent(self, ev) -> None:  # noqa: N802
        super().moveEvent(ev)
        self._owner.backdrop.follow(self)

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802
        self._owner.mouse_moved(self.mapToScene(ev.position().toPoint()))

    def leaveEvent(self, ev) -> None:  # noqa: N802
        self._owner.mouse_left()
        super().leaveEvent(ev)

    def mousePressEvent(self, ev) -> None:  # noqa: N802
        self._press = ev.position()
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
        press, self._press = self._press, None
        if press is not None and (ev.position() - press).manhattanLength() < 5:
            self._owner.clicked(self.mapToScene(ev.position().toPoint()), ev.button(), ev.modifiers())

    def wheelEvent(self, ev) -> None:  # noqa: N802
        ev.ignore()  # the diagram always fits the view: nothing to scroll


class NetworkDiagram(DiagramMouse, StepDisplay, QWidget):
    """Draws a dense network and its latest :class:`~nnviz.app.training.state.Snapshot`.

    Signals
    -------
    paramEditRequested(int layer, str name, object index, float value)
        The user asked to set ``W[i, j]`` (``name="W"``, ``index=(i, j)``, i = input neuron,
        j = output neuron) or ``b[j]`` (``name="b"``, ``index=(j,)``) of dense layer ``layer``
        to ``value``.
    stepSelectRequested(int layer, int neuron)
        In step mode (:meth:`show_step`), a click on a neuron or on an edge into it (Shift+click
        still edits).
    """

    paramEditRequested = Signal(int, str, object, float)
    stepSelectRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._max_edges = DEFAULT_MAX_EDGES
        self._show_heatmaps = True
        self._snap: Snapshot | None = None
        self._weights = None           # the snapshot's weights when they fit the network
        self.network_layout: DiagramLayout | None = None
        self.texts: DiagramTexts | None = None
        self._hover_text = ""
        self._hover_key = None
        self._heat_layers: set = set()
        self._incoming = None          # neuron j of layer 0 whose incoming weights are shown
        self._incoming_pinned = False
        self._pending_edit = None
        self._scale = 1.0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.view = _View(self)
        self.scene: DiagramScene = self.view.scene()
        lay.addWidget(self.view, 1)
        self.backdrop = Backdrop(self.view)  # behind the view: background, a dense net's faint edges
        self.scene.backdrop_scene = self.backdrop.scene_
        self.legend = Legend()
        lay.addWidget(self.legend)
        self.editor = ParamEditor(self)
        self.editor.accepted.connect(self._on_edit_accepted)
        # Mouse moves are coalesced by a zero-delay timer (a burst of moves costs one hit test).
        self._move_pos = None
        self._move_timer = QTimer(self)
        self._move_timer.setSingleShot(True)
        self._move_timer.setInterval(0)
        self._move_timer.timeout.connect(self._process_move)
        self.setMinimumSize(320, 240)
        retranslate(self)

    def retranslate_ui(self) -> None:
        """The layers' names, the hover text, the incoming weights' caption and an open editor's
        title in the current language (the legend and the editor's buttons retranslate themselves)."""
        if self.texts is None or self.network_layout is None:
            return
        self.scene.set_captions(self.texts)
        if self._hover_key is not None:
            self._hover_text = (self._step_tooltip(self._hover_key) if self._step_state is not None
                                else self.texts.describe(self._hover_key, self._snap, self._incoming))
        if self._incoming is not None:
            self._draw_incoming()
        if self.editor.isVisible() and self._pending_edit is not None:
            layer, kind, index = self._pending_edit
            self.editor.label.setText(self.texts.edit_title(kind, layer, index))
            self.editor.adjustSize()

    # -- settings -----------------------------------------------------------------------------
    @property
    def max_edges_per_layer(self) -> int:
        """Largest number of weight edges drawn per layer (the strongest |w| are kept)."""
        return self._max_edges

    @max_edges_per_layer.setter
    def max_edges_per_layer(self, n: int) -> None:
        self.set_max_edges_per_layer(n)

    def set_max_edges_per_layer(self, n: int) -> None:
        self._max_edges = max(1, int(n))
        if self.network_layout is not None:
            self.scene.set_density(self._max_edges)
            if self._weights is not None:
                self.scene.draw_edges(self._weights, self._max_edges)

    def set_show_heatmaps(self, show: bool) -> None:
        """Show each neuron's output over the 2-D input plane (when the snapshot has a grid)."""
        self._show_heatmaps = bool(show)
        if self.network_layout is not None:
            self._draw_heatmaps()

    def show_heatmaps(self) -> bool:
        return self._show_heatmaps

    @property
    def hover_text(self) -> str:
        """The tooltip text of what the mouse is over ("" if nothing)."""
        return self._hover_text

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 600)

    # -- network and snapshots ----------------------------------------------------------------
    def set_network(self, sizes, activations, names=None, image_shape=None,
                    input_names=None, output_names=None) -> None:
        """Lay out a dense network ``sizes`` (e.g. [2, 4, 4, 1]) with one activation per dense layer."""
        sizes = [int(s) for s in sizes]
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} dense layers need {len(sizes) - 1} activations, "
                             f"got {len(activations)}")
        if image_shape is not None and int(np.prod(image_shape)) != sizes[0]:
            image_shape = None
        self.network_layout = DiagramLayout(sizes, image_shape, heatmaps=can_show_heatmaps(sizes, image_shape))
        self.texts = DiagramTexts(sizes, [str(a) for a in activations], names, self.network_layout.image_shape,
                                  input_names, output_names)
        self._snap = self._weights = None
        self._step_state = self._step_old = None
        self._incoming, self._incoming_pinned = None, False
        self._heat_layers = set()
        self._hover_key, self._hover_text = None, ""
        self.editor.cancel()
        self.scene.build(self.network_layout, self.texts)
        self.scene.set_density(self._max_edges)
        self._configure_legend()
        self.legend.set_wmax(None)
        self.fit()

    def update_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: neuron colours, edges, heatmaps, the input image."""
        if self.network_layout is None or snap is None:
            return
        self._snap = snap
        self._weights = snap.weights if weights_match(self.network_layout.sizes, snap.weights) else None
        self.scene.draw_neurons(snap)
        plan = self.scene.draw_edges(self._weights, self._max_edges)
        if plan is not None:
            self.legend.set_wmax(float(f"{plan.wmax:.3g}"))
        self._draw_heatmaps()
        shape = self.network_layout.image_shape
        if shape is not None and snap.x is not None and np.size(snap.x) == self.network_layout.sizes[0]:
            self.scene.image.set_sample(np.asarray(snap.x, dtype=float).reshape(shape))
        if self._incoming is not None:
            self._draw_incoming()
        if self._hover_key is not None:
            self._hover_text = self.texts.describe(self._hover_key, snap, self._incoming)
        if self._step_state is not None:
            self.show_step(self._step_state)

    def _draw_heatmaps(self) -> None:
        grid = self._snap.grid if self._snap is not None else None
        show = bool(self.network_layout.heatmaps and self._show_heatmaps and grid is not None
                    and grid.get("units") is not None and self._step_state is None)
        layers = self.scene.draw_heatmaps(grid.get("units") if show else None, show)
        if bool(layers) != bool(self._heat_layers):
            self._heat_layers = layers
            self._configure_legend()
            self.fit()
        self._heat_layers = layers

    def _configure_legend(self) -> None:
        self.legend.show_network(self.texts.acts, self.network_layout.image_shape is None, bool(self._heat_layers))

    # -- incoming weights of an image input ---------------------------------------------------
    def set_show_incoming(self, layer, neuron=None, pinned: bool = True) -> None:
        """Show the incoming weights of ``neuron`` of layer 0 (the first hidden layer) as a
        picture under the input image (image inputs only, ``layer`` must be 0); ``None`` hides it."""
        if layer != 0 or neuron is None or self.network_layout is None or self.network_layout.image_shape is None \
                or not (0 <= int(neuron) < self.network_layout.n_units(0)):
            self._incoming, self._incoming_pinned = None, False
            self.scene.image.show_weights(False)
            return
        self._incoming, self._incoming_pinned = int(neuron), bool(pinned)
        self._draw_incoming()

    def incoming_neuron(self) -> tuple[int | None, bool]:
        """``(neuron of layer 0 whose incoming weights are shown or None, pinned)``."""
        return self._incoming, self._incoming_pinned

    def _draw_incoming(self) -> None:
        if self._weights is None:
            return
        j = self._incoming
        col = np.asarray(self._weights[0][0][:, j], dtype=float)
        m = self.scene.image.set_weights(col.reshape(self.network_layout.image_shape))
        self.scene.image.set_caption(*self.texts.incoming_caption(j, self._incoming_pinned, col.size, m))

    # -- editing ------------------------------------------------------------------------------
    def request_edit(self, kind: str, layer: int, index, pos: QPoint | None = None) -> ParamEditor:
        """Open the inline editor for ``W[i, j]`` (kind "W", index (i, j)) or ``b[j]`` (kind "b",
        index (j,)) of dense layer ``layer``; applying it emits :attr:`paramEditRequested`."""
        index = tuple(int(i) for i in index)
        value = float("nan")
        if self._weights is not None and 0 <= layer < len(self._weights):
            W, b = self._weights[layer]
            try:
                value = float(W[index] if kind == "W" else np.ravel(b)[index])
            except (IndexError, TypeError):
                pass
        self._pending_edit = (int(layer), kind, index)   # as paramEditRequested sends them
        if pos is None:
            pos = self.view.mapTo(self, QPoint(self.view.width() // 3, self.view.height() // 3))
        self.editor.open(self.texts.edit_title(kind, layer, index), value, pos)
        return self.editor

    def _on_edit_accepted(self, value: float) -> None:
        if self._pending_edit is not None:
            self.paramEditRequested.emit(*self._pending_edit, float(value))
            self._pending_edit = None

    # -- export -------------------------------------------------------------------------------
    def export_png(self, path) -> None:
        """Save what the diagram shows (with its legend) as a PNG."""
        export_png(self, path)

    def export_svg(self, path) -> None:
        """Save the diagram as an SVG (vector edges and text; images embedded)."""
        export_svg(self, path)

    # -- geometry -----------------------------------------------------------------------------
    def fit(self) -> None:
        """Fit the drawing into the view, keeping its aspect, with pixel margins for the texts."""
        if self.network_layout is None:
            return
        w, h = self.view.viewport().width(), self.view.viewport().height()
        if w < 10 or h < 10:
            return
        s, box = self.network_layout.fit(w, h, self.scene.margins)
        self._scale = s
        self.view.setTransform(QTransform(s, 0, 0, -s, 0, 0))  # data coordinates, y up, in pixels
        self.view.setSceneRect(QRectF(box.left, box.bottom, box.width, box.height))
        self.backdrop.follow(self.view)
        self.scene.set_scale(s, bool(self._heat_layers))

    def drawn_edges(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` index arrays of the weight edges of dense layer ``layer`` drawn now."""
        plan = self.scene.plan
        return plan.drawn(layer) if plan is not None else (np.empty(0, np.intp), np.empty(0, np.intp))

    def item_view_rect(self, item) -> QRectF:
        """Where ``item`` is drawn, in viewport coordinates (texts keep their pixel size)."""
        return item.deviceTransform(self.view.viewportTransform()).mapRect(item.boundingRect())

    def data_to_viewport(self, x: float, y: float) -> QPoint:
        return self.view.mapFromScene(QPointF(float(x), float(y)))  # scene coordinates are data coordinates

    def neuron_view_pos(self, layer: int, j: int) -> QPoint:
        """Viewport position of unit ``j`` of dense layer ``layer`` (-1: the inputs)."""
        return self.data_to_viewport(*self.network_layout.positions(layer)[j])

    def edge_view_pos(self, layer: int, i: int, j: int, t: float = 0.5) -> QPoint:
        """Viewport position of the point a fraction ``t`` along the edge W[i, j] of ``layer``."""
        a, b = self.network_layout.positions(layer - 1)[i], self.network_layout.positions(layer)[j]
        return self.data_to_viewport(*(a + t * (b - a)))

    def bias_view_pos(self, layer: int) -> QPoint:
        """Viewport position of the +1 node of dense layer ``layer``."""
        return self.data_to_viewport(*self.network_layout.bias_positions[layer])
