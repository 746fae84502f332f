"""What the "Draw a digit" dock holds: the model selector, two buttons and the digit panel, in a
scroll area that arranges them for the dock's size (:class:`CanvasWidgets`).

On a small screen the dock is narrow and short: the panel puts its bars below the drawing
rather than beside it, the header's buttons go to a second row, and when the whole panel is
taller than the dock, the drawing and the ten probabilities fill the first screenful and the
rest ("teach it") is scrolled to. The content is never wider than the dock.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from nnviz.app.canvas.panel import DigitPanel
from nnviz.app.translation import retranslate
from nnviz.i18n import _

SHIPPED, LIVE, FILE = "shipped", "live", "file"


class CanvasWidgets:
    """What the "Draw a digit" dock holds: the model selector, two buttons and the panel."""

    def __init__(self, docks):
        self.panel = DigitPanel()
        self.panel.layout().setContentsMargins(0, 0, 0, 0)
        self.selector = QComboBox()
        for kind in (SHIPPED, LIVE, FILE):
            self.selector.addItem("", kind)
        self.selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.selector.setMinimumContentsLength(10)   # (a narrow dock elides the choice)
        self.selector.activated.connect(docks._on_selector)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(docks._request_step)
        self.mistakes_button = QPushButton()
        self.mistakes_button.clicked.connect(lambda: docks.show_mistakes())
        self.read_by = QLabel()
        self.header = QGridLayout()   # one row, or (narrow) the two buttons on a second row
        self.box = QWidget()
        lay = QVBoxLayout(self.box)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(self.header)
        lay.addWidget(self.panel, 1)
        self._arrange_header(False)
        self.scroll = _FitScroll(self)  # the dock may be smaller than the panel (small screens)
        self.scroll.setWidget(self.box)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # it narrows instead
        retranslate(self)

    def retranslate_ui(self) -> None:
        for i, text in enumerate((_("Shipped model"), _("The network being trained"), _("Open a model file…"))):
            self.selector.setItemText(i, text)
        self.selector.setToolTip(_("Which network reads the drawing"))
        self.step_button.setText(_("Step through this digit"))
        self.step_button.setToolTip(_("Follow this digit through the network one computation at a time"))
        self.mistakes_button.setText(_("Mistakes…"))
        self.mistakes_button.setToolTip(_("The test digits this model reads wrongly"))
        self.read_by.setText(_("Read by"))
        self.scroll.fit()  # (the texts' widths changed)

    def _arrange_header(self, narrow: bool) -> None:
        g = self.header
        for w in (self.read_by, self.selector, self.step_button, self.mistakes_button):
            g.removeWidget(w)
        g.addWidget(self.read_by, 0, 0)
        g.addWidget(self.selector, 0, 1, 1, 2 if narrow else 1)
        g.addWidget(self.step_button, 1 if narrow else 0, 1 if narrow else 2)
        g.addWidget(self.mistakes_button, 1 if narrow else 0, 2 if narrow else 3)
        g.setColumnStretch(1, 1)

    def header_width(self) -> int:
        gap = max(self.header.horizontalSpacing(), 0)
        return sum(w.minimumSizeHint().width() for w in (self.read_by, self.selector, self.step_button,
                                                         self.mistakes_button)) + 3 * gap + 4

    def wide_width(self) -> int:
        """The dock content's least width with the bars beside the drawing (a scroll bar's room
        included)."""
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return max(self.panel.wide_width() + 4, self.header_width()) + bar + 2

    def fit(self, width: int, height: int) -> None:
        """Arrange the dock's content for a viewport of ``width`` × ``height``: side by side when
        it is wide enough, else the bars below the drawing; when the whole panel is taller than
        the viewport, the drawing and the bars fill it and the rest is scrolled to."""
        narrow = width < max(self.panel.wide_width() + 4, self.header_width())
        self.panel.arrange(narrow)
        self._arrange_header(width < self.header_width())
        top = self.panel.top_box
        top.setMinimumHeight(0)
        need = self.box.minimumSizeHint().height()
        if need > height:   # the canvas and the bars take the first screenful
            rest = need - top.minimumSizeHint().height()
            below = self.panel.model_label.sizeHint().height() + self.panel.teach.minimumSizeHint().height()
            top.setMinimumHeight(max(top.minimumSizeHint().height(), height - (rest - below) - 4))


class _FitScroll(QScrollArea):
    """A scroll area that arranges the canvas's widgets for its size (never wider than it)."""

    def __init__(self, widgets: CanvasWidgets):
        super().__init__()
        self._widgets = widgets

    def fit(self) -> None:
        vp = self.maximumViewportSize()
        bar = self.verticalScrollBar().sizeHint().width()
        self._widgets.fit(vp.width() - bar, vp.height())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        self.fit()
        super().resizeEvent(ev)
