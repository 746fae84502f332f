"""What the network sees (the 28×28 input) and what it answers (ten probability bars)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _

#: The message the bars show with no drawing (translated when painted).
DRAW_A_DIGIT = N_("Draw a digit")


def percent(p: float) -> str:
    """A probability as the bars and the headline both show it: one decimal, ``99.6%``."""
    return "{0:.1%}".format(float(p))


class ElidedLabel(QLabel):
    """One line of text that never widens its dock: elided (…) when narrow, the whole text in
    its tooltip. (A word-wrapped label would make the dock's scroll area size its content by
    height-for-width, from preferred rather than least heights.)"""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 4 * self.fontMetrics().averageCharWidth()), hint.height())

    def elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, ev) -> None:  # noqa: N802
        p = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        p.end()


class InputPreview(QWidget):
    """The 28×28 image as the network gets it, each pixel a crisp square (ink dark on white,
    as drawn), with a mark at MNIST's centre of mass position."""

    def __init__(self, parent=None, zoom: int = 6):
        super().__init__(parent)
        self.image: np.ndarray | None = None
        self.setMinimumSize(28 * 4, 28 * 4)
        self._zoom = zoom
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setToolTip(_("What the network sees: your drawing cropped, scaled to 20 pixels "
                          "and centred in 28×28, as MNIST's digits were made"))

    def sizeHint(self) -> QSize:
        return QSize(28 * self._zoom, 28 * self._zoom)

    def set_image(self, image28: np.ndarray | None) -> None:
        self.image = None if image28 is None else np.asarray(image28, dtype=np.float32).reshape(28, 28)
        self.update()

    def paintEvent(self, ev) -> None:
        from nnviz.data.preprocess import CENTRE

        p = QPainter(self)
        side = min(self.width(), self.height())
        sq = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        p.fillRect(self.rect(), self.palette().window())
        p.fillRect(sq, QColor("#ffffff"))
        if self.image is not None:
            grey = np.ascontiguousarray(255 - np.clip(np.rint(self.image), 0, 255).astype(np.uint8))
            img = QImage(grey.data, 28, 28, 28, QImage.Format.Format_Grayscale8)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawImage(sq, img)
        k = side / 28
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(QColor(8, 119, 189, 150), 1))
        cx, cy = sq.left() + (CENTRE[1] + 0.5) * k, sq.top() + (CENTRE[0] + 0.5) * k
        p.drawLine(int(cx - 4), int(cy), int(cx + 4), int(cy))
        p.drawLine(int(cx), int(cy - 4), int(cx), int(cy + 4))
        p.setPen(QPen(self.palette().mid().color(), 1))
        p.drawRect(sq.adjusted(0, 0, -1, -1))
        p.end()


class ProbabilityBars(QWidget):
    """The top class in large type and one bar per class with its probability."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self.class_names = [str(i) for i in range(10)]
        self.message = DRAW_A_DIGIT   # an English text, translated when painted
        self.setMinimumSize(130, 200)  # (fits a short dock beside the canvas and preview)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.update()  # the headline's words are translated when painted

    def headline(self) -> str:
        """The words beside the top class: how sure it is (as the bars show it), or the message."""
        top = self.top_class
        if top is None:
            return _(self.message)
        return _("{percent} sure").format(percent=percent(self.probabilities[top]))

    def sizeHint(self) -> QSize:
        return QSize(220, 300)

    def set_probabilities(self, probs: np.ndarray | None, message: str | None = None) -> None:
        """``message`` (shown with no probabilities) is an English text marked with ``N_``."""
        self.probabilities = None if probs is None else np.asarray(probs, dtype=float).ravel()
        if message is not None:
            self.message = message
        self.update()

    @property
    def top_class(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    def paintEvent(self, ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        text, accent = pal.text().color(), QColor("#0877bd")
        w, h = self.width(), self.height()
        head = min(90, max(36, h // 4))   # (a short dock keeps its room for the ten rows)
        big = QFont(self.font())
        big.setPixelSize(max(12, int(head * 0.8)))
        big.setBold(True)
        p.setFont(big)
        top = self.top_class
        p.setPen(accent if top is not None else pal.placeholderText().color())
        p.drawText(QRectF(0, 0, w * 0.45, head), Qt.AlignmentFlag.AlignCenter,
                   self.class_names[top] if top is not None else "?")
        small = QFont(self.font())
        small.setPixelSize(max(11, int(head * 0.28)))
        p.setFont(small)
        p.setPen(text)
        info = self.headline()
        p.drawText(QRectF(w * 0.45, 0, w * 0.55, head),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                   info)
        n = len(self.class_names)
        row = (h - head - 4) / n
        font = QFont(self.font())
        font.setPixelSize(max(10, min(16, int(row * 0.7))))
        p.setFont(font)
        label_w = 22
        pct_w = p.fontMetrics().horizontalAdvance("100.0%") + 8
        bar_w = max(10, w - label_w - pct_w - 6)
        for i in range(n):
            y = head + 4 + i * row
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w, row), Qt.AlignmentFlag.AlignCenter, self.class_names[i])
            frame = QRectF(label_w + 2, y + row * 0.15, bar_w, row * 0.7)
            p.fillRect(frame, pal.alternateBase())
            if self.probabilities is not None:
                v = float(np.clip(self.probabilities[i], 0, 1))
                fill = QRectF(frame.left(), frame.top(), bar_w * v, frame.height())
                p.fillRect(fill, accent if i == top else QColor("#9bbcd6"))
                p.drawText(QRectF(frame.right() + 4, y, pct_w, row),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           percent(v))
        p.end()
