"""The misclassified browser: the test digits a model reads wrongly, to look at and to draw on.

:class:`MistakesBrowser` runs the model over the test digits on a background thread
(:func:`nnviz.data.mistakes.find_mistakes`, with a progress bar), then shows the wrong ones as
thumbnails with their true and predicted class and how sure the model was, most sure first.
A list filters them by (true, predicted) pair; :meth:`MistakesBrowser.show_pair` does the
same for a click on the confusion matrix. Clicking a thumbnail emits
``digitChosen(image28, label)`` for the canvas.
"""
from __future__ import annotations

import copy

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListView, QListWidget,
                               QListWidgetItem, QProgressBar, QVBoxLayout, QWidget)

from nnviz.app.canvas.background import TestDigits, run_in_background
from nnviz.app.canvas.views import percent
from nnviz.app.translation import retranslate
from nnviz.i18n import _

THUMB = 56        #: thumbnail side (two screen pixels per MNIST pixel)
MAX_SHOWN = 300   #: thumbnails built at once (the list stays quick to fill)


def thumbnail(image28: np.ndarray, side: int = THUMB) -> QPixmap:
    """A 28×28 ink-bright digit as dark ink on white, each pixel a crisp square."""
    grey = np.ascontiguousarray(255 - np.clip(np.asarray(image28, dtype=np.float64).reshape(28, 28),
                                              0, 255).astype(np.uint8))
    img = QImage(grey.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(img.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.FastTransformation))


def _thread_safe(model):
    """A predictor the background thread may call while the UI thread uses ``model``: a deep
    copy of a network (its forward pass keeps caches), a plain function as it is."""
    from nnviz.app.canvas.panel import as_predictor
    from nnviz.classify import DigitModel
    from nnviz.core.network import Network

    if isinstance(model, (DigitModel, Network)):
        model = copy.deepcopy(model)
    return as_predictor(model)


class MistakesBrowser(QWidget):
    """Thumbnails of the wrongly read test digits, filterable by (true, predicted) pair.

    Signals: ``digitChosen(object image28, int label)`` on a click, ``computed(object)`` with
    the :class:`~nnviz.data.mistakes.Mistakes` when a run ends, ``failed(str)``.
    """

    digitChosen = Signal(object, int)
    computed = Signal(object)
    failed = Signal(str)

    def __init__(self, model=None, parent=None, images=None, labels=None):
        super().__init__(parent)
        self.mistakes = None
        self._predict = None
        self._run = 0            # the current run's number: an older run's result is dropped
        self._relay = None
        self._read = (None, None)   # the digits the shown mistakes index
        self._own_digits = images is not None
        self._images, self._labels = (np.asarray(images), np.asarray(labels)) if self._own_digits else (None, None)
        self._filter: tuple[int | None, int | None] = (None, None)
        self._status = ("none", {})   # what the status line says, written again on a switch

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.pair_combo = QComboBox()
        self.pair_combo.currentIndexChanged.connect(self._on_pair_chosen)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 26, THUMB + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_item_clicked)
        top = QHBoxLayout()
        self.show_label = QLabel()
        top.addWidget(self.show_label)
        top.addWidget(self.pair_combo, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(self.list, 1)
        self.test_digits = TestDigits(self)
        self.test_digits.upgraded.connect(self._digits_upgraded)
        retranslate(self)
        if model is not None:
            self.set_model(model)

    def retranslate_ui(self) -> None:
        self.show_label.setText(_("Show"))
        self.pair_combo.setToolTip(_("Show only the digits of one class read as another"))
        self.list.setToolTip(_("Test digits the network reads wrongly, the surest mistakes "
                               "first. Click one to put it on the canvas."))
        if self.mistakes is not None:
            self._fill_pairs()      # the list's entries, the thumbnails' tooltips, the status
        else:
            self._write_status()

    def _set_status(self, kind: str, **values) -> None:
        self._status = (kind, values)
        self._write_status()

    def _write_status(self) -> None:
        kind, v = self._status
        if kind == "reading":
            text = _("Reading {n} test digits…").format(**v)
        elif kind == "failed":
            text = _("Could not read the test digits: {reason}").format(**v)
        elif kind == "shown":
            t, p = v["pair"]
            what = (_("{true} read as {predicted}").format(true=t, predicted=p)
                    if t is not None and p is not None else _("all mistakes"))
            text = _("{wrong} of {n} test digits read wrongly (accuracy {accuracy}); showing {what}: "
                     "{shown}").format(wrong=v["wrong"], n=v["n"], accuracy=v["accuracy"], what=what,
                                       shown=v["shown"])
            if v["shown"] > MAX_SHOWN:
                text += " " + _("(the first {n})").format(n=MAX_SHOWN)
        else:
            text = _("No model yet")
        self.status.setText(text)

    # -- inputs ------------------------------------------------------------------------------
    def set_model(self, model) -> None:
        """Find the mistakes of ``model`` (a network, a DigitModel or a function) anew."""
        self._predict = _thread_safe(model)
        self.compute()

    def set_digits(self, images: np.ndarray | None, labels: np.ndarray | None) -> None:
        """Look at these labelled digits (uint8 (n, 28, 28)) instead of MNIST's test set
        (``None``: MNIST's test set again)."""
        self._own_digits = images is not None
        self._images, self._labels = ((np.asarray(images), np.asarray(labels)) if self._own_digits
                                      else (None, None))
        self.compute()

    def digits(self) -> tuple[np.ndarray, np.ndarray]:
        if self._own_digits:
            return self._images, self._labels
        shared = self.test_digits
        shared.ensure_full()  # the sample now, the full test set when its background load ends
        return shared.images, shared.labels

    def _digits_upgraded(self) -> None:
        if not self._own_digits and self._predict is not None:
            self.compute()

    # -- the background run -------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._relay is not None

    def compute(self) -> None:
        """Start a run over the digits (a running one is abandoned)."""
        from nnviz.data.mistakes import Cancelled, find_mistakes

        if self._predict is None:
            return
        self._run += 1
        run, predict = self._run, self._predict
        images, labels = self.digits()
        self.progress.setRange(0, len(labels))
        self.progress.setValue(0)
        self.progress.show()
        self._set_status("reading", n=len(labels))

        def work(report):
            def progress(done, total):
                if run != self._run:
                    return False  # a newer run started: stop this one
                report(done, total)
                return True
            try:
                found = find_mistakes(predict, images, labels, n_classes=10, progress=progress)
            except Cancelled:
                found = None
            return run, found, images, labels

        self._relay = run_in_background(work, self._finished, self._failed, self._progress_made)

    def cancel(self) -> None:
        """Abandon the running run (it stops after its current chunk; its result is dropped)."""
        self._run += 1
        self._relay = None
        self.progress.hide()

    def _progress_made(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self._relay = None
        self.progress.hide()
        self._set_status("failed", reason=message)
        self.failed.emit(message)

    def _finished(self, result) -> None:
        run, found, images, labels = result
        if run != self._run or found is None:
            return
        self._relay = None
        self.progress.hide()
        self.mistakes, self._read = found, (images, labels)
        self._fill_pairs()
        self.computed.emit(found)

    # -- showing --------------------------------------------------------------------------------
    def _fill_pairs(self) -> None:
        m = self.mistakes
        combo = self.pair_combo
        was = combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All mistakes ({n})").format(n=len(m.indices)), None)
        for t, p, n in m.pairs():
            combo.addItem(_("{true} read as {predicted} ({n})").format(true=t, predicted=p, n=n), (t, p))
        combo.setCurrentIndex(self._pair_index(self._filter))
        combo.blockSignals(was)
        self._show()

    def show_pair(self, true: int | None, predicted: int | None) -> None:
        """Show only the digits of class ``true`` read as ``predicted`` (``None``: any)."""
        self._filter = (None if true is None else int(true), None if predicted is None else int(predicted))
        if self.mistakes is not None:
            was = self.pair_combo.blockSignals(True)
            self.pair_combo.setCurrentIndex(self._pair_index(self._filter))
            self.pair_combo.blockSignals(was)
            self._show()

    def _pair_index(self, pair) -> int:
        """The list entry of ``pair`` (0, "all", when it is not listed)."""
        for i in range(1, self.pair_combo.count()):
            if tuple(self.pair_combo.itemData(i)) == tuple(pair):
                return i
        return 0

    def _on_pair_chosen(self, _i: int) -> None:
        data = self.pair_combo.currentData()
        self._filter = tuple(data) if data else (None, None)
        self._show()

    def shown(self) -> np.ndarray:
        """Indices (into the digits) of the mistakes the current filter shows, in order."""
        if self.mistakes is None:
            return np.zeros(0, np.int64)
        return self.mistakes.indices[self.mistakes.select(*self._filter)]

    def _show(self) -> None:
        m = self.mistakes
        images = self._read[0]
        sel = m.select(*self._filter)
        self.list.clear()
        for pos in sel[:MAX_SHOWN]:
            i = int(m.indices[pos])
            item = QListWidgetItem(QIcon(thumbnail(images[i])), "{0} → {1}\n{2}".format(
                m.true[pos], m.pred[pos], percent(m.prob[pos])))
            item.setToolTip(_("Test digit {index}: a {true}, read as {predicted} ({percent} sure); the "
                              "right class got {right}").format(index=i, true=m.true[pos], predicted=m.pred[pos],
                                                                percent=percent(m.prob[pos]),
                                                                right=percent(m.prob_true[pos])))
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.list.addItem(item)
        self._set_status("shown", pair=self._filter, wrong=len(m.indices), n=m.n,
                         accuracy="{0:.2%}".format(m.accuracy), shown=len(sel))

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        i = int(item.data(Qt.ItemDataRole.UserRole))
        images, labels = self._read
        self.digitChosen.emit(np.asarray(images[i], dtype=np.float32).reshape(28, 28), int(labels[i]))
