"""A realistic Qt workload that prints how the refcounts of None/True/False moved (JSON).

Run in a subprocess by test_canary.py: with a PySide6 build that corrupts these counts (6.12
on CPython 3.11) the interpreter aborts ("Fatal Python error: none_dealloc") or the counts fall.
"""
import json
import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QObject, QThread, Signal, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget  # noqa: E402


class Worker(QObject):
    data = Signal(object)
    flag = Signal(bool)
    done = Signal()

    def __init__(self, n):
        super().__init__()
        self.n = n

    @Slot()
    def run(self):
        rng = np.random.default_rng(0)
        for i in range(self.n):
            self.data.emit(rng.normal(size=20))
            self.flag.emit(i % 2 == 0)
        self.done.emit()


def main(iterations: int) -> dict:
    app = QApplication.instance() or QApplication([])
    w = QWidget()
    lay = QVBoxLayout(w)
    label = QLabel("start")
    plot = pg.PlotWidget()
    curve = plot.plot()
    scatter = pg.ScatterPlotItem()
    plot.addItem(scatter)
    image = pg.ImageItem()
    plot.addItem(image)
    lay.addWidget(label)
    lay.addWidget(plot)
    w.resize(400, 300)
    w.show()
    brushes = [pg.mkBrush(c, 200 - c, 100) for c in range(0, 200, 10)]

    received = {"data": 0, "flag": 0}

    def on_data(arr):
        received["data"] += 1
        curve.setData(arr)

    def on_flag(b):
        received["flag"] += 1
        label.setText(str(b))

    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    rng = np.random.default_rng(1)
    for i in range(iterations):
        label.setText(f"iteration {i}")
        label.update()
        scatter.setData(x=rng.random(10), y=rng.random(10), brush=[brushes[j % len(brushes)] for j in range(10)])
        image.setImage(rng.random((8, 8)), autoLevels=False, levels=(0, 1))
        if i % 100 == 0:
            w.grab()
        app.processEvents()

    thread = QThread()
    worker = Worker(iterations)
    worker.moveToThread(thread)
    worker.data.connect(on_data)
    worker.flag.connect(on_flag)
    finished = threading.Event()
    worker.done.connect(lambda: finished.set())
    thread.started.connect(worker.run)
    thread.start()
    while not (finished.is_set() and received["flag"] >= iterations):
        app.processEvents()
    thread.quit()
    thread.wait(5000)
    app.processEvents()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    w.close()
    return {"iterations": iterations, "received": received,
            "delta": {"None": after[0] - before[0], "True": after[1] - before[1], "False": after[2] - before[2]}}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
