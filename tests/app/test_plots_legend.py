"""A legend wider than its plot stacks its entries (the loss legend's "train (per batch)" was cut
at the plot's left edge in the default, narrow dock), and spreads them again when there is room."""
import numpy as np
import pytest

from nnviz.app.plots.metrics import MetricsPlots


@pytest.fixture
def plots(qtbot):
    w = MetricsPlots()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.add_loss_points(np.column_stack([np.arange(1, 50), np.linspace(0.9, 0.2, 49)]))
    w.add_epochs([dict(epoch=e, train_loss=1 / e, test_loss=1.1 / e, train_acc=0.5, test_acc=0.4)
                  for e in range(1, 4)])
    return w


def settle(qtbot, w, width):
    w.resize(width, 500)
    qtbot.wait(50)                       # (the legends are fitted once the plots have their sizes)
    w.glw.fit_legends()                  # (and again, whatever the order of the resize events)


def inside(legend) -> bool:
    box = legend.parentItem().boundingRect()
    rect = legend.mapRectToParent(legend.boundingRect())
    return box.left() <= rect.left() and rect.right() <= box.right()


def test_a_narrow_plot_stacks_the_loss_legend_and_a_wide_one_spreads_it(plots, qtbot):
    assert len(plots.loss_legend.items) == 3     # per batch, train, test
    settle(qtbot, plots, 900)
    assert plots.loss_legend.columnCount == 3 and inside(plots.loss_legend)
    settle(qtbot, plots, 260)
    assert plots.loss_legend.columnCount < 3 and inside(plots.loss_legend)
    settle(qtbot, plots, 900)
    assert plots.loss_legend.columnCount == 3 and inside(plots.loss_legend)
