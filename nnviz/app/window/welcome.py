"""The first-run welcome: what nnviz is, and three ways in (a lesson, Play on a toy problem,
draw a digit), each a button. Shown once on the first start (``ui/welcomed`` in the window's
settings), reopened from Help → Welcome; in the chosen language, retranslated live."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QLabel, QPushButton, QSizePolicy,
                               QVBoxLayout)

from nnviz.app.translation import retranslate
from nnviz.i18n import _

#: The lesson the first button opens: a network small enough to follow every number.
FIRST_LESSON = "network-2-2-1"
#: Datasets the "Play on a toy problem" button keeps (any other is replaced by the default one).
TOY_DATASETS = ("circle", "xor", "gauss", "spiral", "spiral-k", "blobs", "reg-plane", "reg-gauss")


class WelcomeDialog(QDialog):
    """Non-modal: the window stays usable behind it; each way in closes it."""

    def __init__(self, window):
        super().__init__(window)
        self.main_window = window
        self.setObjectName("welcome")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.setSpacing(12)
        self.heading = QLabel()
        f = self.heading.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.4)
        self.heading.setFont(f)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        lay.addWidget(self.heading)
        lay.addWidget(self.intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        self.lesson_button, self.lesson_text = self._way(grid, 0, self.open_lesson)
        self.play_button, self.play_text = self._way(grid, 1, self.play_toy)
        self.draw_button, self.draw_text = self._way(grid, 2, self.draw_digit)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        retranslate(self)

    def _way(self, grid: QGridLayout, row: int, slot):
        button = QPushButton()
        button.setMinimumHeight(34)
        button.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        button.clicked.connect(slot)
        text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        grid.addWidget(button, row, 0)
        grid.addWidget(text, row, 1)
        return button, text

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to nnviz"))
        self.heading.setText(_("Watch a neural network learn"))
        self.intro.setText(_("nnviz shows every weight, activation and gradient of a small neural "
                             "network while it learns, computed exactly with NumPy. Change the "
                             "network, the data or the learning rate at any time and see what it does. "
                             "Three ways to begin:"))
        self.lesson_button.setText(_("Open a lesson"))
        self.lesson_text.setText(_("Follow a 2-2-1 network forward and backward, one number at a time. "
                                   "More lessons are in the Lessons menu."))
        self.play_button.setText(_("Play on a toy problem"))
        self.play_text.setText(_("Train a small network to separate two classes of points and watch "
                                 "its decision regions form."))
        self.draw_button.setText(_("Draw a digit"))
        self.draw_text.setText(_("Draw a digit with the mouse and watch a network trained on MNIST "
                                 "read it (Ctrl+D)."))
        close = self.buttons.button(QDialogButtonBox.Close)
        if close is not None:
            close.setText(_("Close"))

    # -- the three ways in -------------------------------------------------------------------------
    def open_lesson(self) -> None:
        from nnviz.lessons.catalog import load_lessons

        self.accept()
        step_ui = getattr(self.main_window, "step_ui", None)
        lesson = next((les for les in load_lessons() if les.name == FIRST_LESSON), None)
        if step_ui is not None and lesson is not None:
            step_ui.open_lesson(lesson)

    def play_toy(self) -> None:
        from nnviz.app.experimentinfo import DEFAULT_SETTINGS

        self.accept()
        model = self.main_window.model
        current = model.settings()
        if current is None or current.dataset not in TOY_DATASETS or model.info is None \
                or not model.info.trainable:
            if not model.request_settings(DEFAULT_SETTINGS):
                return
        model.play()

    def draw_digit(self) -> None:
        self.accept()
        self.main_window.digits.show_canvas()
