"""What the network answers, as one dock: the input plane for 2-D data, else the shown sample.

:class:`OutputView` draws a :class:`~nnviz.app.training.state.Snapshot`; it never runs the network.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from nnviz.app.output.plane import PlaneView, plane_columns
from nnviz.app.output.sample import SampleView
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class OutputView(QWidget):
    """Decision regions + data points for 2-D data (:class:`PlaneView`); the shown image +
    output bars otherwise (:class:`SampleView`); a hint before any data."""

    PAGE_EMPTY, PAGE_PLANE, PAGE_SAMPLE = range(3)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.plane_view = PlaneView()
        self.sample_view = SampleView()
        #: The pyqtgraph views (the window settles their auto-ranges before painting).
        self.plane_widget = self.plane_view.plot_widget
        self.sample_widget = self.sample_view.graphics
        self.stack = QStackedWidget()
        for page in (self.empty_label, self.plane_view, self.sample_view):
            self.stack.addWidget(page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.setMinimumSize(240, 220)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.empty_label.setText(_("Load a dataset to see what the network answers."))

    def set_data(self, dataset) -> None:
        """Show ``dataset`` (a :class:`nnviz.data.base.Dataset`): its points or its samples."""
        self.clear()
        if dataset is None:
            return
        cols = plane_columns(dataset)
        if cols is not None:
            self.plane_view.set_data(dataset, cols)
            self.stack.setCurrentIndex(self.PAGE_PLANE)
        else:
            self.sample_view.set_data(dataset)
            self.stack.setCurrentIndex(self.PAGE_SAMPLE)

    def mode(self) -> str:
        """``"plane"``, ``"sample"`` or ``"empty"``."""
        return ("empty", "plane", "sample")[self.stack.currentIndex()]

    def update_snapshot(self, snap) -> None:
        """Draw the regions (2-D data) or the shown sample and its outputs."""
        if snap is None:
            return
        page = self.stack.currentIndex()
        try:
            if page == self.PAGE_PLANE:
                self.plane_view.draw(snap)
            elif page == self.PAGE_SAMPLE:
                self.sample_view.draw(snap)
        except (ValueError, IndexError, TypeError, KeyError, AttributeError):
            pass  # a snapshot that does not fit this data (a rebuild is on its way)

    def bar_heights(self) -> np.ndarray:
        """The output bars' heights (empty unless the sample page shows a snapshot)."""
        return self.sample_view.bar_heights()

    def highlighted_bar(self) -> int | None:
        """The output bar drawn as the network's answer, or None."""
        return self.sample_view.highlighted_bar()

    def clear(self) -> None:
        """Forget the data and every drawn item."""
        self.plane_view.clear()
        self.sample_view.clear()
        self.stack.setCurrentIndex(self.PAGE_EMPTY)
