"""The application model without a window: settings, experiments, presets, files, thread ownership."""
import math

import numpy as np
import pytest

from nnviz.app.appmodel import DEFAULT_SETTINGS, AppModel
from nnviz.core.model_io import load_model
from nnviz.experiment import Settings, build
from nnviz.presets import PRESETS, get_preset, preset_data, settings_for_dataset


@pytest.fixture
def model(qtbot):
    m = AppModel()
    m.errors = []
    m.error.connect(lambda title, text: m.errors.append((title, text)))
    m.request_settings(DEFAULT_SETTINGS.replace(epochs=100000), confirm=False)
    qtbot.waitUntil(lambda: m.last_snapshot is not None, timeout=5000)
    yield m
    m.shutdown()


def test_the_first_experiment_is_described_before_the_worker_owns_it(model):
    info = model.info
    assert info.sizes == [2, 4, 4, 1] and info.activations == ["tanh", "tanh", "sigmoid"]
    assert info.layer_names == ["input", "hidden 1", "hidden 2", "output"]
    assert info.output_names == [f"P({info.class_names[1]})"]
    # circle with a 50% split: 250 training samples in batches of 10
    assert info.n_train == len(info.data.x_train) and info.steps_per_epoch == math.ceil(info.n_train / 10)
    assert info.trainable and model.state == "paused" and model.global_step == 0


def test_settings_are_the_models_own_copy(model):
    s = model.settings()
    s.hidden.append(99)
    s.data_options["noise"] = 50
    assert model.settings().hidden == [4, 4] and model.settings().data_options["noise"] == 10


def test_a_save_right_after_a_settings_change_carries_the_new_settings(qtbot, model, tmp_path):
    path = tmp_path / "m.nnviz"
    model.apply_settings(model.settings().replace(lr=0.77))
    with qtbot.waitSignal(model.saved, timeout=3000):
        model.save_model(str(path))            # at once: the worker may not have applied lr yet
    _, extra = load_model(path)
    assert extra["settings"]["lr"] == 0.77 and extra["settings"]["hidden"] == [4, 4]


def test_a_refused_rebuild_keeps_the_network_and_shows_the_old_settings(qtbot, model):
    model.step_batch()
    qtbot.waitUntil(lambda: model.global_step == 1, timeout=3000)
    model.confirm_discard = lambda: False
    replaced, shown = [], []
    model.experimentReplaced.connect(replaced.append)
    model.settingsChanged.connect(shown.append)
    assert not model.request_settings(model.settings().replace(hidden=[8]))
    assert replaced == [] and shown[-1].hidden == [4, 4] and model.info.sizes == [2, 4, 4, 1]
    model.confirm_discard = lambda: True
    assert model.request_settings(model.settings().replace(hidden=[8]))
    assert replaced[-1].sizes == [2, 8, 1]
    qtbot.waitUntil(lambda: model.last_snapshot is not None and len(model.last_snapshot.weights) == 2, timeout=3000)
    assert model.global_step == 0


def test_play_after_finishing_clears_the_finished_message(qtbot, model):
    model.request_settings(model.settings().replace(epochs=2), confirm=False)
    messages = []
    model.status.connect(messages.append)
    with qtbot.waitSignal(model.stateChanged, check_params_cb=lambda s: s == "finished", timeout=10000):
        model.play()
    assert "Finished the planned epochs" in messages[-1]
    assert model.epoch_history()[:, 0].tolist() == [1, 2]
    with qtbot.waitSignal(model.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        model.play()
    assert "" in messages[messages.index(next(m for m in messages if "Finished" in m)):]


def test_a_non_finite_weight_is_refused_with_a_message(model):
    assert not model.set_param(0, "W", (0, 0), float("nan"))
    assert model.errors and model.errors[0][0] == "Not a number"


@pytest.mark.parametrize("name", [n for n, p in PRESETS.items() if p.kind == "network"
                                  and p.settings.dataset not in ("mnist", "fashion-mnist")])
def test_every_small_preset_opens_as_the_cli_builds_it(qtbot, model, name):
    p = get_preset(name)
    replaced = []
    model.experimentReplaced.connect(replaced.append)
    assert model.open_preset(name)
    expected = build(p.settings, data=preset_data(p))
    assert replaced[-1].sizes == expected.net.sizes and model.settings() == p.settings
    assert replaced[-1].trainable == (expected.trainer is not None)
    qtbot.waitUntil(lambda: model.last_snapshot is not None
                    and len(model.last_snapshot.weights) == len(expected.net.sizes) - 1, timeout=3000)
    for (W, b), layer in zip(model.last_snapshot.weights, expected.net.dense_layers()):
        np.testing.assert_array_equal(W, layer.W)       # the same seeded (or fixed) weights
        np.testing.assert_array_equal(b, layer.b)


def test_the_graph_preset_is_not_a_network(model):
    assert not model.open_preset("apple")
    assert model.errors and "nnviz trace --preset apple" in model.errors[0][1]
    assert model.info.sizes == [2, 4, 4, 1]


def test_a_dataset_gets_a_network_that_fits_it():
    toy = DEFAULT_SETTINGS
    mnist = settings_for_dataset(toy, "mnist")
    fast = get_preset("mnist-fast").settings
    assert (mnist.dataset, mnist.hidden, mnist.optimizer, mnist.lr, mnist.loss) == (
        "mnist", fast.hidden, fast.optimizer, fast.lr, fast.loss)
    assert settings_for_dataset(mnist, "fashion-mnist").hidden == fast.hidden   # same family: kept
    back = settings_for_dataset(mnist, "spiral")
    assert (back.hidden, back.optimizer, back.scaling, back.loss) == (Settings().hidden, "sgd", None, "bce")
    assert settings_for_dataset(toy, "xor").hidden == [4, 4]                     # toy to toy: kept
    assert settings_for_dataset(toy, "reg-plane").loss == "mse"
    assert settings_for_dataset(toy, "spiral-k").output_activation == "softmax"
    assert settings_for_dataset(get_preset("gate-and").settings, "circle").weights is None
