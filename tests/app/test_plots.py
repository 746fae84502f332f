"""Metrics plots and the confusion matrix, used as a learner would."""
import csv

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from nnviz.app.plots import ConfusionMatrixView


def epoch(e, loss, acc=0.5, test_loss=None, test_acc=None, **extra):
    d = dict(epoch=e, train_loss=loss, train_acc=acc, test_loss=loss * 1.1 if test_loss is None else test_loss,
             test_acc=(None if acc is None else acc - 0.05) if test_acc is None else test_acc,
             seconds=0.25, lr=0.1)
    d.update(extra)
    return d


def curve_len(curve):
    x, _ = curve.getOriginalDataset()
    return 0 if x is None else len(x)


@pytest.fixture
def plots(show_plots):
    return show_plots(600, 500)


# -- MetricsPlots -------------------------------------------------------------------------------
def test_three_epochs_give_three_points_per_curve(plots):
    for e, loss in enumerate([0.9, 0.5, 0.3], start=1):
        plots.add_epoch(epoch(e, loss, acc=0.5 + e / 10))
    for c in (plots.train_loss_curve, plots.test_loss_curve, plots.train_acc_curve, plots.test_acc_curve):
        assert curve_len(c) == 3
    x, y = plots.train_loss_curve.getOriginalDataset()
    assert list(x) == [1, 2, 3] and list(y) == pytest.approx([0.9, 0.5, 0.3])
    _, acc = plots.train_acc_curve.getOriginalDataset()
    assert list(acc) == pytest.approx([60, 70, 80])  # drawn in percent


def test_loss_points_grow_the_step_curve_in_fractional_epochs(plots):
    plots.set_steps_per_epoch(4)
    plots.add_loss_points([(1, 0.9), (2, 0.8)])
    assert curve_len(plots.step_curve) == 2
    plots.add_loss_points([(g, 1.0 / g) for g in range(3, 600)])  # past the first doubling
    x, y = plots.step_curve.getOriginalDataset()
    assert len(x) == 599
    assert x[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert y[-1] == pytest.approx(1 / 599)
    plots.set_steps_per_epoch(2)  # rescales what is already drawn
    x, _ = plots.step_curve.getOriginalDataset()
    assert x[1] == pytest.approx(1.0)


def test_clear_empties_everything(plots):
    plots.set_steps_per_epoch(2)
    plots.add_loss_points([(1, 0.5), (2, 0.4)])
    for e in range(1, 4):
        plots.add_epoch(epoch(e, 1.0 / e))
    plots.clear()
    for c in (plots.step_curve, plots.train_loss_curve, plots.test_loss_curve,
              plots.train_acc_curve, plots.test_acc_curve):
        assert curve_len(c) == 0
    assert plots.epochs() == []
    plots.add_epoch(epoch(1, 0.7))  # starts again from scratch
    assert curve_len(plots.train_loss_curve) == 1


def test_log_checkbox_switches_the_loss_axis(plots, qtbot):
    assert not plots.loss_plot.getAxis("left").logMode
    qtbot.mouseClick(plots.log_check, Qt.MouseButton.LeftButton)
    assert plots.log_check.isChecked()
    assert plots.loss_plot.getAxis("left").logMode
    assert plots.loss_plot.ctrl.logYCheck.isChecked()
    plots.set_log_loss(False)
    assert not plots.log_check.isChecked()
    assert not plots.loss_plot.getAxis("left").logMode


def test_hover_shows_the_nearest_epoch(plots, qtbot):
    for e in range(1, 21):
        plots.add_epoch(epoch(e, 1.0 / e, acc=0.5 + e / 50, test_loss=1.2 / e))
    plots.loss_plot.setXRange(0, 21, padding=0)
    vb = plots.loss_plot.vb
    scene_pt = vb.mapViewToScene(pg_point(12.3, 0.5))
    view_pt = plots.glw.mapFromScene(scene_pt)
    qtbot.mouseMove(plots.glw.viewport(), QPoint(int(view_pt.x()), int(view_pt.y())))
    qtbot.waitUntil(lambda: plots.readout.text().startswith("epoch 12 "))
    assert plots.readout.text() == "epoch 12 · train loss 0.0833 · test loss 0.1000"
    assert plots._hover_lines[0].isVisible() and plots._hover_lines[0].value() == 12
    # over the accuracy plot the readout gives accuracies
    scene_pt = plots.acc_plot.vb.mapViewToScene(pg_point(3.8, 60))
    view_pt = plots.glw.mapFromScene(scene_pt)
    qtbot.mouseMove(plots.glw.viewport(), QPoint(int(view_pt.x()), int(view_pt.y())))
    qtbot.waitUntil(lambda: plots.readout.text().startswith("epoch 4 "))
    assert plots.readout.text() == "epoch 4 · train acc 58.0% · test acc 53.0%"


def pg_point(x, y):
    return QPointF(x, y)


def test_export_csv_writes_every_row_exactly(plots, tmp_path):
    rows = [epoch(1, 0.6931471805599453, acc=0.5), epoch(2, 0.123456789012345, acc=0.875, note="x"),
            dict(epoch=3, train_loss=0.1, train_acc=0.9, test_loss=None, test_acc=None, seconds=0.5, lr=0.01)]
    for r in rows:
        plots.add_epoch(r)
    path = tmp_path / "metrics.csv"
    plots.export_csv(path)
    with open(path, newline="") as f:
        got = list(csv.reader(f))
    assert got[0] == ["epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "lr", "note"]
    assert got[1] == ["1", "0.6931471805599453", "0.5", repr(0.6931471805599453 * 1.1), "0.45", "0.25", "0.1", ""]
    assert got[2][:3] == ["2", "0.123456789012345", "0.875"] and got[2][-1] == "x"
    assert got[3] == ["3", "0.1", "0.9", "", "", "0.5", "0.01", ""]
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.csv"]  # no temp file left


def test_export_png_and_svg(plots, tmp_path):
    for e in range(1, 6):
        plots.add_epoch(epoch(e, 1.0 / e))
    plots.export_png(tmp_path / "m.png")
    plots.export_svg(tmp_path / "m.svg")
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "m.svg").read_text()[:2000]


def test_regression_hides_the_accuracy_plot(plots):
    assert plots.acc_plot.isVisible()
    plots.add_epoch(epoch(1, 0.4, acc=None))
    plots.add_epoch(epoch(2, 0.3, acc=None))
    assert not plots.acc_plot.isVisible()
    assert not plots.accuracy_visible()
    assert curve_len(plots.train_loss_curve) == 2
    plots.clear()
    plots.add_epoch(epoch(1, 0.4, acc=0.7))  # a classification run shows it again
    assert plots.acc_plot.isVisible() and curve_len(plots.train_acc_curve) == 1


# -- ConfusionMatrixView -------------------------------------------------------------------------
def test_confusion_view_writes_the_counts(qtbot):
    v = ConfusionMatrixView()
    qtbot.addWidget(v)
    C = np.array([[50, 2, 0], [3, 40, 7], [0, 1, 47]])
    v.set_matrix(C, ["cat", "dog", "bird"])
    assert v.cell_texts() == ["50", "2", "0", "3", "40", "7", "0", "1", "47"]
    assert v.image.image.shape == (3, 3)
    assert v.image.image[1, 1] == pytest.approx(40 / 50)  # coloured by share of the row
    ticks = v.plot.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == ["cat", "dog", "bird"]
    assert v.title.text() == "test set: 150 samples · accuracy 91.3%"  # 137 of 150 right
    v.clear()
    assert set(v.cell_texts()) == {""} and v.image.image is None


def _legend_labels(legend):
    return [label.text for _, label in legend.items]


def test_legends_list_only_curves_that_can_be_drawn(plots):
    # before the first epoch: train and test (most data sets have a test split), no hidden entry
    assert _legend_labels(plots.loss_legend) == ["train", "test"]
    assert _legend_labels(plots.acc_legend) == ["train", "test"]
    plots.add_loss_points([(1, 0.9), (2, 0.8)])
    assert _legend_labels(plots.loss_legend) == ["train (per batch)", "train", "test"]
    # a data set without a test split: its test curves leave the legends (not shown crossed out)
    plots.add_epoch(dict(epoch(1, 0.7), test_loss=None, test_acc=None))
    assert _legend_labels(plots.loss_legend) == ["train (per batch)", "train"]
    assert _legend_labels(plots.acc_legend) == ["train"]
    assert not plots.test_loss_curve.isVisible()
    plots.clear()
    assert _legend_labels(plots.loss_legend) == ["train", "test"]
