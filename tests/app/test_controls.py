"""The controls panel, driven with mouse and keyboard as a learner would."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from nnviz.app.controls import FIELDS, ControlsPanel
from nnviz.experiment import LIVE_SETTINGS, Settings

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


def record(panel):
    sent = []
    panel.settingsChanged.connect(lambda s, rebuild: sent.append((s, rebuild)))
    return sent


def pick(combo, data):
    combo.setCurrentIndex(combo.findData(data))


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
                                lr=0.3, batch_size=None, epochs=12, seed=9, dtype="float32", dropout=0.2,
                                batchnorm=True, schedule="step", l1=0.002))
    data, net, train = panel.data_group, panel.network_group, panel.training_group
    assert data.dataset_combo.currentData() == "xor"
    assert data.dataset_combo.currentText() == "XOR quadrants"  # its display name, the id stays the data
    assert data.noise_slider.value() == 20 and data.noise_label.text() == "20"
    assert panel.hidden_sizes() == [5, 3]
    assert panel.widget("lr").currentText() == "0.3"
    assert train.full_batch_check.isChecked() and not train.batch_spin.isEnabled()
    assert panel.widget("epochs").value() == 12 and panel.widget("seed").value() == 9
    assert panel.widget("dtype").currentData() == "float32"
    assert panel.widget("dropout").value() == 0.2 and panel.widget("batchnorm").isChecked()
    assert panel.widget("l1").text() == "0.002"
    assert panel.widget("schedule").currentData() == "step"
    assert panel.widget("schedule").currentText() == "Step decay"
    assert train.schedule_edits["step_size"].isVisibleTo(panel)
    assert train.hyper_edits["momentum"].isVisibleTo(panel)
    assert train.hyper_edits["momentum"].text() == "0.9"  # the optimizer's default
    assert net.layers_count.text() == "2 hidden layers"


def test_every_simple_row_sends_its_field_with_the_right_rebuild_flag(panel, qtbot):
    """Each kind of table row edited like a user: the field changes, live ones need no rebuild."""
    sent = record(panel)
    type_into(qtbot, panel.widget("epochs"), "250")
    type_into(qtbot, panel.widget("seed"), "3")
    type_into(qtbot, panel.widget("weight_decay"), "0.001")
    type_into(qtbot, panel.widget("l1"), "1e-4")
    click_check(qtbot, panel.widget("batchnorm"))
    type_into(qtbot, panel.widget("dropout").lineEdit(), "0.3")
    pick(panel.widget("dtype"), "float32")
    pick(panel.widget("loss"), "mse")
    pick(panel.widget("init"), "he_normal")
    got = [(key, getattr(s, key), rebuild) for (s, rebuild), key in zip(sent, [
        "epochs", "seed", "weight_decay", "l1", "batchnorm", "dropout", "dtype", "loss", "init"])]
    assert got == [("epochs", 250, False), ("seed", 3, True), ("weight_decay", 0.001, False),
                   ("l1", 1e-4, False), ("batchnorm", True, True), ("dropout", 0.3, True),
                   ("dtype", "float32", True), ("loss", "mse", True), ("init", "he_normal", True)]
    final = panel.settings()
    assert (final.epochs, final.seed, final.dropout, final.loss) == (250, 3, 0.3, "mse")


def test_the_rebuild_flag_comes_from_live_settings():
    keys = {f.key for f in FIELDS}
    assert {"lr", "optimizer", "schedule", "epochs", "l1", "weight_decay"} <= keys
    for f in FIELDS:
        assert f.live == (f.key in LIVE_SETTINGS)


def test_typing_a_learning_rate_is_a_live_change(panel, qtbot):
    lr_edit = panel.widget("lr").lineEdit()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, lr_edit, "0.05")
    s, rebuild = sig.args
    assert s.lr == 0.05 and rebuild is False
    assert panel.settings().lr == 0.05 and lr_edit.text() == "0.05"
    sent = record(panel)
    type_into(qtbot, lr_edit, "0.3")  # a rate from the list: sent exactly once
    assert [s.lr for s, _ in sent] == [0.3]


def test_picking_a_learning_rate_from_the_list(panel, qtbot):
    combo = panel.widget("lr")
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        combo.setCurrentIndex(combo.findText("0.003"))
        combo.activated.emit(combo.currentIndex())  # what a click in the list sends
    assert sig.args[0].lr == 0.003 and sig.args[1] is False


def test_adding_and_removing_hidden_layers_needs_a_rebuild(panel, qtbot):
    net = panel.network_group
    before = panel.settings().hidden
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        qtbot.mouseClick(net.add_layer_button, LEFT)
    s, rebuild = sig.args
    assert rebuild is True
    assert s.hidden == before + [before[-1]]
    assert net.layers_count.text() == "3 hidden layers"
    with qtbot.waitSignal(panel.settingsChanged) as sig:  # resize the new layer by typing
        type_into(qtbot, net.layers[-1].spin, "7")
    assert sig.args[0].hidden == before + [7] and sig.args[1] is True
    for _ in range(3):
        qtbot.mouseClick(net.remove_layer_button, LEFT)
    assert panel.settings().hidden == []
    assert not net.remove_layer_button.isEnabled()
    assert net.layers_count.text() == "none: a single layer"


def test_per_layer_activation(panel, qtbot):
    combo = panel.network_group.layers[1].combo
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(combo, "relu")
    s = sig.args[0]
    assert s.activations == ["tanh", "relu", "sigmoid"] and sig.args[1] is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(combo, "tanh")  # all alike again: one activation
    assert sig.args[0].activations is None and sig.args[0].activation == "tanh"


def test_output_and_loss_that_do_not_pair_show_a_hint(panel, qtbot):
    net = panel.network_group
    assert not net.pairing_hint.isVisibleTo(panel)  # sigmoid + bce
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(panel.widget("loss"), "cross_entropy")
    assert sig.args[0].loss == "cross_entropy" and sig.args[1] is True
    assert net.pairing_hint.isVisibleTo(panel) and "softmax" in net.pairing_hint.text()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(net.output_combo, "softmax")
    assert sig.args[0].output_activation == "softmax"
    assert not net.pairing_hint.isVisibleTo(panel)


def test_choosing_adam_shows_its_betas_and_hides_momentum(panel, qtbot):
    train = panel.training_group
    panel.set_settings(Settings(optimizer="momentum", optimizer_options={"momentum": 0.5}))
    assert train.hyper_edits["momentum"].isVisibleTo(panel)
    assert not train.hyper_edits["beta1"].isVisibleTo(panel)
    combo = panel.widget("optimizer")
    combo.setFocus()
    sent = record(panel)
    qtbot.keyClicks(combo, "adam")  # keyboard search: adagrad, then adam
    assert sent[-1][0].optimizer == "adam" and all(r is False for _, r in sent)
    assert sent[-1][0].optimizer_options == {}  # the momentum's options are not Adam's
    assert panel.settings().optimizer == "adam"
    assert train.hyper_edits["beta1"].isVisibleTo(panel)
    assert train.hyper_edits["beta2"].isVisibleTo(panel)
    assert train.hyper_edits["eps"].text() == "1e-08"
    assert not train.hyper_edits["momentum"].isVisibleTo(panel)
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, train.hyper_edits["beta1"], "0.8")
    assert sig.args[0].optimizer_options == {"beta1": 0.8} and sig.args[1] is False


def test_full_batch_means_batch_size_none(panel, qtbot):
    train = panel.training_group
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, train.full_batch_check)
    assert sig.args[0].batch_size is None and sig.args[1] is True
    assert not train.batch_spin.isEnabled()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, train.full_batch_check)
    assert sig.args[0].batch_size == 10
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, train.batch_spin, "1")
    assert sig.args[0].batch_size == 1 and train.batch_spin.text() == "1 (SGD)"


def test_empty_learning_rate_is_flagged_and_not_sent(panel, qtbot):
    lr_edit = panel.widget("lr").lineEdit()
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, lr_edit, "")
    assert lr_edit.property("invalid") is True
    assert "empty" in lr_edit.toolTip()
    assert "#d62728" in lr_edit.styleSheet()
    assert "lr" in panel.invalid_fields() and not panel.is_valid()
    assert panel.settings().lr == 0.1  # the last valid value stays
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, lr_edit, "-2")
    assert "greater than 0" in panel.invalid_fields()["lr"]
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, lr_edit, "0.2")
    assert sig.args[0].lr == 0.2
    assert lr_edit.property("invalid") is False and panel.invalid_fields() == {} and panel.is_valid()


def test_bad_numbers_in_other_text_fields_are_flagged(panel, qtbot):
    panel.set_settings(Settings(optimizer="momentum", schedule="multistep"))
    train = panel.training_group
    with qtbot.assertNotEmitted(panel.settingsChanged):
        type_into(qtbot, train.hyper_edits["momentum"], "1.5")
        type_into(qtbot, panel.widget("l1"), "abc")
        type_into(qtbot, train.schedule_edits["milestones"], "5, x")
    bad = panel.invalid_fields()
    assert "less than 1" in bad["opt.momentum"]
    assert "not a number" in bad["l1"]
    assert "whole epoch numbers" in bad["schedule.milestones"]
    assert panel.widget("l1").property("invalid") is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, train.schedule_edits["milestones"], "20 5")
    assert sig.args[0].schedule_options == {"milestones": [5, 20]} and sig.args[1] is False
    panel.set_settings(Settings())  # loading clears the flags
    assert panel.invalid_fields() == {}


def test_schedule_shows_its_own_parameters(panel, qtbot):
    train = panel.training_group
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(panel.widget("schedule"), "exponential")
    assert sig.args[0].schedule == "exponential" and sig.args[1] is False
    assert train.schedule_edits["gamma"].isVisibleTo(panel)
    assert not train.schedule_edits["milestones"].isVisibleTo(panel)
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        type_into(qtbot, train.schedule_edits["gamma"], "0.5")
    assert sig.args[0].schedule_options == {"gamma": 0.5}
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(panel.widget("schedule"), "constant")
    assert sig.args[0].schedule is None and sig.args[0].schedule_options == {}
    assert not train.schedule_edits["gamma"].isVisibleTo(panel)


def test_data_options_follow_the_dataset(panel, qtbot):
    data = panel.data_group
    data.noise_slider.setFocus()
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        qtbot.keyClick(data.noise_slider, Qt.Key.Key_PageUp)
    assert sig.args[0].data_options["noise"] == 5 and sig.args[1] is True
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        click_check(qtbot, data.feature_checks["x1*x2"])
    assert sig.args[0].data_options["features"] == ["x1", "x2", "x1*x2"]
    with qtbot.waitSignal(panel.settingsChanged) as sig:  # MNIST takes no generator options
        pick(data.dataset_combo, "mnist")
    s = sig.args[0]
    assert s.dataset == "mnist" and s.data_options == {} and sig.args[1] is True
    assert not data.noise_slider.isEnabled() and not data.features_widget.isEnabled()
    # a regression set gets an output that can give any number; the sliders kept their values
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        pick(data.dataset_combo, "reg-plane")
    s = sig.args[0]
    assert s.output_activation == "identity" and s.loss == "mse"
    assert s.data_options["noise"] == 5 and s.data_options["features"] == ["x1", "x2", "x1*x2"]


def test_choosing_mnist_proposes_its_network_and_shows_it(panel, qtbot):
    sent = record(panel)
    pick(panel.data_group.dataset_combo, "mnist")
    assert len(sent) == 1
    s, rebuild = sent[0]
    assert rebuild is True
    assert s.hidden == [256, 128] and s.activation == "relu"
    assert (s.output_activation, s.loss, s.optimizer, s.lr, s.batch_size) == (
        "softmax", "cross_entropy", "adam", 0.001, 64)
    assert panel.settings() == s
    # the widgets show the proposal
    assert panel.hidden_sizes() == [256, 128]
    assert panel.network_group.output_combo.currentData() == "softmax"
    assert panel.widget("optimizer").currentData() == "adam"
    assert panel.widget("lr").currentText() == "0.001"
    assert panel.training_group.hyper_edits["beta1"].isVisibleTo(panel)
    assert panel.training_group.batch_spin.value() == 64
    pick(panel.data_group.dataset_combo, "circle")  # and back
    s, rebuild = sent[-1]
    assert s.hidden == [4, 4] and s.activation == "tanh" and (s.output_activation, s.loss) == ("sigmoid", "bce")
    assert panel.hidden_sizes() == [4, 4] and rebuild is True


def test_unchecking_every_input_is_refused(panel, qtbot):
    checks = panel.data_group.feature_checks
    click_check(qtbot, checks["x1"])
    with qtbot.assertNotEmitted(panel.settingsChanged):
        click_check(qtbot, checks["x2"])
    assert not checks["x2"].isChecked()
    assert panel.data_group.features_widget.property("invalid") is True
    assert not panel.is_valid()


def test_features_are_read_in_the_toy_data_spellings(panel):
    panel.set_settings(Settings(data_options={"features": "x1, x2², sinx1, nonsense"}))
    checks = panel.data_group.feature_checks
    assert [k for k, cb in checks.items() if cb.isChecked()] == ["x1", "x2^2", "sin(x1)"]


def test_open_csv_button_asks_the_window(panel, qtbot):
    data = panel.data_group
    with qtbot.waitSignal(panel.openDatasetRequested):
        qtbot.mouseClick(data.open_button, LEFT)
    with qtbot.waitSignal(panel.settingsChanged) as sig:
        panel.set_dataset("/data/my points.csv")
    assert sig.args[0].dataset == "/data/my points.csv"
    assert data.dataset_combo.currentText() == "my points.csv"


def test_the_wheel_does_not_change_an_unfocused_field(panel, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    spin = panel.widget("epochs")
    panel.widget("lr").setFocus()
    ev = QWheelEvent(QPointF(5, 5), QPointF(spin.mapToGlobal(QPoint(5, 5))), QPoint(0, 0), QPoint(0, 120),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.assertNotEmitted(panel.settingsChanged):
        QApplication.sendEvent(spin, ev)
    assert spin.value() == 100


def focus_order(start):
    order, w = [], start
    for _ in range(300):  # the chain also holds the spin boxes' and combos' inner editors
        w = w.nextInFocusChain()
        if w is start:
            break
        order.append(w)
    return order


def test_fits_a_narrow_dock_and_tabs_in_order(panel, qtbot):
    assert panel.minimumSizeHint().width() <= 340
    data, net = panel.data_group, panel.network_group
    panel.add_layer()  # an added row takes its place in the chain, before the output
    order = focus_order(data.dataset_combo)
    expect = [data.open_button, data.noise_slider, data.ratio_slider, net.add_layer_button,
              net.layers[0].spin, net.layers[1].combo, net.layers[2].spin, net.output_combo, panel.widget("loss"),
              panel.widget("optimizer"), panel.widget("lr"), panel.widget("epochs"), panel.widget("seed")]
    assert [e for e in expect if e not in order] == []
    pos = [order.index(e) for e in expect]
    assert pos == sorted(pos)


def test_a_new_row_is_one_line_of_the_table(qtbot, monkeypatch):
    """A check box for a data option, added to the table only, is built, loaded and sent."""
    from nnviz.app.controls import table

    row = table.Field("data_options.augment", table.CHECK, "data", "", "Shift the pictures a little",
                      text="Augment", default=False)
    monkeypatch.setattr(table, "FIELDS", (*table.FIELDS, row))
    p = ControlsPanel(Settings(data_options={"noise": 5}))
    qtbot.addWidget(p)
    p.show()
    box = p.widget("data_options.augment")
    assert box.text() == "Augment" and not box.isChecked() and box.toolTip() == "Shift the pictures a little"
    with qtbot.waitSignal(p.settingsChanged) as sig:
        click_check(qtbot, box)
    assert sig.args[0].data_options == {"noise": 5, "augment": True} and sig.args[1] is True
    p.set_settings(Settings(data_options={"augment": True}))
    assert box.isChecked()
    order = focus_order(p.data_group.dataset_combo)  # tab reaches it after the inputs
    assert (order.index(p.data_group.feature_checks["sin(x2)"]) < order.index(box)
            < order.index(p.network_group.remove_layer_button))


def test_a_dict_entry_row_reads_and_writes_its_entry():
    from nnviz.app.controls import table

    row = table.Field("schedule_options.gamma", table.EDIT, "training", default=0.1)
    s = Settings()
    assert row.attribute == "schedule_options" and row.live is True and row.get(s) == 0.1
    row.set(s, 0.5)
    assert s.schedule_options == {"gamma": 0.5} and Settings().schedule_options == {}
