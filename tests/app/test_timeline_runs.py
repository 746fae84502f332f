"""The run list widget and the plots' overlay of every run (issue 20)."""
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.plots import MetricsPlots
from nnviz.app.plots.overlay import RunOverlay, thin
from nnviz.app.runs import RunList
from nnviz.app.timeline.runlist import RunListView, describe_changes
from nnviz.app.translation import apply_language
from nnviz.experiment import Settings


def _timeline(n_epochs, scale=1.0, steps=10):
    epochs = [{"epoch": e + 1, "train_loss": scale / (e + 1), "test_loss": scale / (e + 2),
               "train_acc": 0.5 + e / (4 * n_epochs), "test_acc": 0.5, "seconds": 0.1, "lr": 0.1}
              for e in range(n_epochs)]
    s = np.arange(1, n_epochs * steps + 1, dtype=float)
    return SimpleNamespace(epochs=epochs, losses=np.column_stack([s, scale / s]))


@pytest.fixture
def runs(qapp):
    rl = RunList()
    base = Settings()
    a = rl.add(base, _timeline(5))
    rl.add(base.replace(lr=0.01, optimizer="adam"), _timeline(3, 2.0), parent=a.id, branch_step=20,
           name="A → Adam")
    rl.add(base.replace(activation="relu"), _timeline(4, 3.0))
    return rl


def test_rows_show_name_colour_changes_and_tooltip(runs, qtbot, english):
    view = RunListView(runs)
    qtbot.addWidget(view)
    assert view.tree.topLevelItemCount() == 3
    a, b, c = (view.item(r.id) for r in runs.runs())
    assert a.text(0) == "A" and b.text(0) == "A → Adam" and c.text(0) == "B"
    assert b.text(1) == "learning rate 0.01 · optimizer Adam" == describe_changes(runs.runs()[1].changes)
    assert a.text(1) == ""
    assert not a.icon(0).isNull()
    tip = b.toolTip(0)
    assert "Branched from A at step 20" in tip and "learning rate: 0.01" in tip and "optimizer: Adam" in tip
    assert a.checkState(0) == Qt.CheckState.Checked
    # the selected run is the current row, both ways
    assert view.tree.currentItem() is c
    view.tree.setCurrentItem(a)
    assert runs.selected.id == runs.runs()[0].id
    runs.select(runs.runs()[1].id)
    assert view.tree.currentItem() is b


def test_hide_rename_delete_and_the_live_run_is_protected(runs, qtbot, english):
    view = RunListView(runs)
    qtbot.addWidget(view)
    ra, rb, rc = runs.runs()
    view.item(ra.id).setCheckState(0, Qt.CheckState.Unchecked)
    assert ra.visible is False
    runs.set_visible(ra.id, True)
    assert view.item(ra.id).checkState(0) == Qt.CheckState.Checked
    view.item(rb.id).setText(0, "  Adam branch ")
    assert rb.name == "Adam branch"
    view.item(rb.id).setText(0, "   ")  # an empty name is refused
    assert rb.name == "Adam branch" and view.item(rb.id).text(0) == "Adam branch"
    # F2 opens the editor on the name
    view.tree.setCurrentItem(view.item(rb.id))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    assert view.tree.isPersistentEditorOpen(view.item(rb.id), 0) or view.tree.state() == view.tree.State.EditingState
    qtbot.keyClick(view.tree.focusWidget(), Qt.Key.Key_Escape)
    # Delete on the live run asks; refused: kept; accepted: gone
    view.is_live = lambda run: run.id == rc.id
    asked = []
    view.confirm_delete = lambda run: asked.append(run.id) or False
    view.tree.setCurrentItem(view.item(rc.id))
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert asked == [rc.id] and runs.get(rc.id) is not None
    view.confirm_delete = lambda run: True
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert runs.get(rc.id) is None and view.item(rc.id) is None
    # a run that is not live goes without asking
    view.confirm_delete = lambda run: pytest.fail("asked for a run that is not training")
    assert view.delete_run(ra.id) and view.tree.topLevelItemCount() == 1


def test_run_list_switches_language_on_the_same_widget(runs, qtbot, english):
    view = RunListView(runs)
    qtbot.addWidget(view)
    header = view.tree.headerItem()
    b = view.item(runs.runs()[1].id)
    assert header.text(0) == "Run" and header.text(1) == "Changes"
    apply_language("zh_CN")
    assert header.text(0) != "Run" and header.text(1) != "Changes"
    assert "Adam" in b.text(1) and "learning rate" not in b.text(1)
    apply_language("en")
    assert header.text(0) == "Run" and b.text(1) == "learning rate 0.01 · optimizer Adam"


def test_overlay_draws_every_visible_run_but_the_plots_own(runs, qtbot, english):
    plots = MetricsPlots()
    qtbot.addWidget(plots)
    plots.set_steps_per_epoch(10)
    overlay = RunOverlay(plots, runs)
    ra, rb, rc = runs.runs()
    overlay.redraw()
    assert overlay.curves(rc.id) is None or not overlay.curves(rc.id).train_loss.isVisible()  # selected
    ca, cb = overlay.curves(ra.id), overlay.curves(rb.id)
    x, y = ca.train_loss.getData()
    assert np.array_equal(x, [1, 2, 3, 4, 5]) and np.allclose(y, [1 / (e + 1) for e in range(5)])
    x, y = cb.test_acc.getData()
    assert np.allclose(y, 50.0)
    assert ca.train_loss.opts["pen"].color().name() == ra.colour
    bx, by = ca.batch.getData()
    assert bx is None or len(bx) == 0  # five epochs: the per-batch noise is left out
    runs.runs()[1].timeline.epochs[1:] = []
    overlay.redraw()
    bx, by = cb.batch.getData()
    assert len(bx) == 30 and bx[-1] == pytest.approx(3.0)  # one epoch: its batches, in epochs
    names = [label.text for _sample, label in plots.acc_legend.items]
    assert "A" in names and "A → Adam" in names and "B" not in names
    # hide one, select another: the overlay follows
    runs.set_visible(ra.id, False)
    runs.select(ra.id)
    overlay.redraw()
    assert not ca.train_loss.isVisible()
    assert overlay.curves(rc.id).train_loss.isVisible()
    names = [label.text for _sample, label in plots.acc_legend.items]
    assert "A" not in names and "B" in names
    # new epochs arrive: only the new ones are converted
    ra.visible = True
    runs.select(rb.id)
    ra.timeline.epochs.append({"epoch": 6, "train_loss": 0.1, "test_loss": 0.1})
    overlay.redraw()
    assert ca.seen == 6 and len(ca.train_loss.getData()[0]) == 6
    # the plots' own legend rebuild keeps the runs' names
    plots.clear()
    plots.add_epoch({"epoch": 1, "train_loss": 1.0, "test_loss": None, "train_acc": 0.5})
    names = [label.text for _sample, label in plots.acc_legend.items]
    assert "A" in names and "B" in names
    # no accuracy (regression): the names move to the loss legend
    plots.set_accuracy_visible(False)
    plots.clear()
    plots.set_accuracy_visible(False)
    overlay.redraw()
    names = [label.text for _sample, label in plots.loss_legend.items]
    assert "A" in names and not [1 for _s, label in plots.acc_legend.items if label.text == "A"]
    # a run that has not trained yet is not listed
    fresh = runs.add(Settings(), SimpleNamespace(epochs=[], losses=np.zeros((0, 2)), last_step=0), select=False)
    overlay.redraw()
    assert fresh.id not in [r.id for r in overlay.shown_runs()]
    # removing a run drops its curves
    runs.remove(rc.id)
    overlay.redraw()
    assert overlay.curves(rc.id) is None


def test_overlay_redraws_are_throttled(runs, qtbot):
    plots = MetricsPlots()
    qtbot.addWidget(plots)
    overlay = RunOverlay(plots, runs)
    qtbot.waitUntil(lambda: overlay.redraws >= 1, timeout=20000)
    n = overlay.redraws
    for _ in range(200):
        runs.touch(runs.runs()[0].id)
    qtbot.wait(overlay.INTERVAL_MS + 150)
    assert overlay.redraws == n + 1


def test_thin_keeps_the_mean_and_bounds_the_points():
    pts = np.column_stack([np.arange(10_001.0), np.ones(10_001)])
    out = thin(pts, 800)
    assert len(out) <= 801 and np.allclose(out[:, 1], 1.0)
    assert thin(pts[:5]).shape == (5, 2)


def test_race_dialog_choices_validation_and_language(qtbot, english):
    from PySide6.QtWidgets import QDialogButtonBox

    from nnviz.app.timeline.racedialog import RaceDialog, parse_rates

    d = RaceDialog(lr=0.1)
    qtbot.addWidget(d)
    ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert d.vary() == {"optimizer": ["sgd", "momentum", "rmsprop", "adam"]} and ok.isEnabled()
    d.set_kind("activation")
    assert d.vary() == {"activation": ["sigmoid", "relu"]}
    d.act_checks["relu"].setChecked(False)
    assert d.vary() == {} and not ok.isEnabled() and d.problem.text()
    d.set_kind("lr")
    assert d.vary() == {"lr": [0.3, 0.1, 0.033]}
    d.rates.setText("0.5, fast")
    assert d.vary() == {} and not ok.isEnabled() and "fast" in d.problem.text()
    d.rates.setText("0.5 0.05; 0.005")
    assert d.vary() == {"lr": [0.5, 0.05, 0.005]} and ok.isEnabled()
    with pytest.raises(ValueError):
        parse_rates("0.1, -1")
    assert ok.text() == "Start race"
    apply_language("zh_CN")
    assert ok.text() != "Start race" and d.kind.itemText(0) != "Optimizer" and d.kind.currentData() == "lr"
    apply_language("en")
    assert ok.text() == "Start race" and d.kind.itemText(1) == "Learning rate"
