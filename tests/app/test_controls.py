"""The controls panel, driven with mouse and keyboard as a learner would."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from nnviz.app.controls import ControlsPanel
from nnviz.experiment import Settings

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot):
    p = ControlsPanel(Settings())
    area = QScrollArea()
    area.setWidget(p)
    area.setWidgetResizable(True)
    area.resize(360, 700)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    yield p  # (qtbot keeps only a weak reference to the scroll area)
    area.close()


def click_check(qtbot, box):
    """Click a check box on its indicator (its centre may be empty space in a grid)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def type_into(qtbot, edit, text):
    """Select everything in ``edit``, type ``text`` and press Enter."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.mark.parametrize("s", [
    Settings(),
    Settings(dataset="spiral-k", data_options={"noise": 15, "train_ratio": 0.7, "features": "x1,x2,x1*x2",
                                              "n_classes": 4},
             hidden=[8, 6, 3], activations=["relu", "tanh", "relu", "softmax"], loss="cross_entropy",
             init="he_uniform", optimizer="adam", lr=0.0123, optimizer_options={"beta1": 0.85, "eps": 1e-7},
             schedule="multistep", schedule_options={"milestones": [5, 20], "gamma": 0.3},
             batch_size=None, epochs=7, seed=42, dtype="float32", l1=1e-4, weight_decay=0.003,
             batchnorm=True, dropout=0.25, shuffle=False, target_off=0.01, target_on=0.99),
    Settings(dataset="gate-xor", hidden=[2], activation="step", output_activation="step", loss="mse",
             epochs=0, batch_size=0, weights=[[[[-0.5, 1.0], [-0.5, 1.0]], [0.7, -0.5]], [[[0.5], [0.5]], [-0.7]]]),
    Settings(dataset="/tmp/some/points.csv", data_options={"label": "y", "train_ratio": 0.8}, hidden=[]),
])
def test_set_settings_round_trips_without_signals(panel, qtbot, s):
    with qtbot.assertNotEmitted(panel.settingsChanged):
        panel.set_settings(s)
    assert panel.settings() == s
    assert panel.settings() is not s


def test_panel_shows_the_loaded_values(panel):
    panel.set_settings(Settings(dataset="xor", data_options={"noise": 20}, hidden=[5, 3], optimizer="momentum",
                                lr=0.3, batch_size=None, epochs=12))
    assert panel.dataset_combo.currentText() == "xor"
    assert panel.noise_slider.value() == 20 and panel.noise_label.text() == "20"
    assert panel.hidden_sizes() == [5, 3]
    assert panel.lr_edit.text() == "0.3"
    assert panel.full_batch_check.isChecked() and not panel.batch_spin.isEnabled()
    assert panel.epochs_spin.value() == 12
    assert panel.hyper_edits["momentum"].isVisibleTo(panel)
    assert panel.hyper_edits["momentum"].text() == "0.9"  # the optimizer's default


def test_typing_a_learning_rate_is_a_live_change(panel, qtbot):
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.lr_edit, "0.05")
    s, rebuild = sig.args
    assert s.lr == 0.05 and rebuild is False
    assert panel.settings().lr == 0.05 and panel.lr_edit.text() == "0.05"
    sent = []
    panel.settingsChanged.connect(lambda s, r: sent.append(s.lr))
    type_into(qtbot, panel.lr_edit, "0.3")  # a rate from the list: sent exactly once
    assert sent == [0.3]


def test_picking_a_learning_rate_from_the_list(panel, qtbot):
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.lr_combo.setCurrentIndex(panel.lr_combo.findText("0.003"))
        panel.lr_combo.activated.emit(panel.lr_combo.currentIndex())  # what a click in the list sends
    assert sig.args[0].lr == 0.003 and sig.args[1] is False


def test_adding_and_removing_hidden_layers_needs_a_rebuild(panel, qtbot):
    before = panel.settings().hidden
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        qtbot.mouseClick(panel.add_layer_button, LEFT)
    s, rebuild = sig.args
    assert rebuild is True
    assert s.hidden == before + [before[-1]]
    assert panel.layers_count.text() == "3 hidden layers"
    # resize the new layer by typing into its spin box
    spin = panel._layers[-1].spin
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, spin, "7")
    assert sig.args[0].hidden == before + [7] and sig.args[1] is True
    for _ in range(3):
        qtbot.mouseClick(panel.remove_layer_button, LEFT)
    assert panel.settings().hidden == []
    assert not panel.remove_layer_button.isEnabled()


def test_per_layer_activation(panel, qtbot):
    combo = panel._layers[1].combo
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        combo.setCurrentIndex(combo.findData("relu"))
    s = sig.args[0]
    assert s.activations == ["tanh", "relu", "sigmoid"] and sig.args[1] is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        combo.setCurrentIndex(combo.findData("tanh"))  # all alike again: one activation
    assert sig.args[0].activations is None and sig.args[0].activation == "tanh"


def test_choosing_adam_shows_its_betas_and_hides_momentum(panel, qtbot):
    panel.set_settings(Settings(optimizer="momentum"))
    assert panel.hyper_edits["momentum"].isVisibleTo(panel)
    assert not panel.hyper_edits["beta1"].isVisibleTo(panel)
    panel.optimizer_combo.setFocus()
    sent = []
    panel.settingsChanged.connect(lambda s, rebuild: sent.append((s.optimizer, rebuild)))
    qtbot.keyClicks(panel.optimizer_combo, "adam")  # keyboard search: adagrad, then adam
    assert sent[-1] == ("adam", False) and all(r is False for _, r in sent)
    assert panel.settings().optimizer == "adam"
    assert panel.hyper_edits["beta1"].isVisibleTo(panel)
    assert panel.hyper_edits["beta2"].isVisibleTo(panel)
    assert panel.hyper_edits["eps"].text() == "1e-08"
    assert not panel.hyper_edits["momentum"].isVisibleTo(panel)
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.hyper_edits["beta1"], "0.8")
    assert sig.args[0].optimizer_options == {"beta1": 0.8} and sig.args[1] is False


def test_full_batch_means_batch_size_none(panel, qtbot):
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, panel.full_batch_check)
    assert sig.args[0].batch_size is None and sig.args[1] is True
    assert not panel.batch_spin.isEnabled()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, panel.full_batch_check)
    assert sig.args[0].batch_size == 10
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.batch_spin, "1")
    assert sig.args[0].batch_size == 1 and panel.batch_spin.text() == "1 (SGD)"


def test_empty_learning_rate_is_flagged_and_not_sent(panel, qtbot):
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, panel.lr_edit, "")
    assert panel.lr_edit.property("invalid") is True
    assert "empty" in panel.lr_edit.toolTip()
    assert "red" in panel.lr_edit.styleSheet() or "#d62728" in panel.lr_edit.styleSheet()
    assert "lr" in panel.invalid_fields()
    assert panel.settings().lr == 0.1  # the last valid value stays
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, panel.lr_edit, "-2")
    assert "greater than 0" in panel.invalid_fields()["lr"]
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.lr_edit, "0.2")
    assert sig.args[0].lr == 0.2
    assert panel.lr_edit.property("invalid") is False and panel.invalid_fields() == {}


def test_out_of_range_momentum_is_flagged(panel, qtbot):
    panel.set_settings(Settings(optimizer="momentum"))
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, panel.hyper_edits["momentum"], "1.5")
    assert "less than 1" in panel.invalid_fields()["opt.momentum"]


def test_data_options_follow_the_dataset(panel, qtbot):
    panel.noise_slider.setFocus()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        qtbot.keyClick(panel.noise_slider, Qt.Key.Key_PageUp)
    assert sig.args[0].data_options["noise"] == 5 and sig.args[1] is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, panel.feature_checks["x1*x2"])
    assert sig.args[0].data_options["features"] == ["x1", "x2", "x1*x2"]
    # MNIST takes no generator options, and its 10 classes want softmax + cross-entropy
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.dataset_combo.setCurrentIndex(panel.dataset_combo.findData("mnist"))
    s = sig.args[0]
    assert s.dataset == "mnist" and s.data_options == {} and sig.args[1] is True
    assert not panel.noise_slider.isEnabled() and not panel.features_widget.isEnabled()
    # a regression set gets an output that can give any number
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.dataset_combo.setCurrentIndex(panel.dataset_combo.findData("reg-plane"))
    s = sig.args[0]
    assert s.output_activation == "identity" and s.loss == "mse"
    assert s.data_options["noise"] == 5 and s.data_options["features"] == ["x1", "x2", "x1*x2"]


def test_unchecking_every_input_is_refused(panel, qtbot):
    click_check(qtbot, panel.feature_checks["x1"])
    with qtbot.assertNotEmitted(panel.settingsChanged):
        click_check(qtbot, panel.feature_checks["x2"])
    assert not panel.feature_checks["x2"].isChecked()
    assert panel.features_widget.property("invalid") is True
    assert not panel.is_valid()


def test_live_and_rebuild_kinds(panel, qtbot):
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.epochs_spin, "250")
    assert sig.args[0].epochs == 250 and sig.args[1] is False
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.l2_edit, "0.001")
    assert sig.args[0].weight_decay == 0.001 and sig.args[1] is False
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, panel.seed_spin, "3")
    assert sig.args[0].seed == 3 and sig.args[1] is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.schedule_combo.setCurrentIndex(panel.schedule_combo.findData("exponential"))
    assert sig.args[0].schedule == "exponential" and sig.args[1] is False
    assert panel.schedule_edits["gamma"].isVisibleTo(panel)
    assert not panel.schedule_edits["milestones"].isVisibleTo(panel)


def test_open_csv_button_asks_the_window(panel, qtbot):
    with qtbot.waitSignal(panel.openDatasetRequested):
        qtbot.mouseClick(panel.open_button, LEFT)
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.set_dataset("/data/my points.csv")
    assert sig.args[0].dataset == "/data/my points.csv"
    assert panel.dataset_combo.currentText() == "my points.csv"


def test_fits_a_narrow_dock_and_tabs_in_order(panel, qtbot):
    assert panel.minimumSizeHint().width() <= 340
    panel.dataset_combo.setFocus()
    order = []
    w = panel.dataset_combo
    for _ in range(12):
        w = w.nextInFocusChain()
        order.append(w)
    assert panel.open_button in order and panel.noise_slider in order
    assert order.index(panel.open_button) < order.index(panel.noise_slider)
