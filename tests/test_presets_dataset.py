"""settings_for_dataset: a dataset change proposes a network that fits the new data."""
import pytest

from nnviz.experiment import Settings, build
from nnviz.presets import PRESETS, settings_for_dataset


def test_mnist_gets_the_fast_preset_network_and_training():
    s = settings_for_dataset(Settings(data_options={"noise": 10, "features": ["x1", "x1*x2"]}), "mnist")
    fast = PRESETS["mnist-fast"].settings
    assert s.dataset == "mnist" and s.data_options == {}
    assert s.hidden == [256, 128] and s.activation == "relu" and s.activations is None
    assert (s.output_activation, s.loss) == ("softmax", "cross_entropy")
    assert (s.optimizer, s.lr, s.batch_size, s.epochs, s.dtype) == ("adam", 1e-3, 64, 1, "float32")
    assert s.init == fast.init and s.weights is None
    assert s.seed == Settings().seed  # what is not part of the proposal stays


def test_fashion_mnist_too_and_the_preset_is_not_shared():
    s = settings_for_dataset(Settings(), "fashion-mnist")
    assert s.hidden == [256, 128] and s.loss == "cross_entropy" and s.optimizer == "adam"
    s.hidden.append(3)
    assert PRESETS["mnist-fast"].settings.hidden == [256, 128]


def test_back_to_circle_gets_the_default_toy_network_and_training():
    mnist = settings_for_dataset(Settings(), "mnist")
    s = settings_for_dataset(mnist, "circle")
    assert s.dataset == "circle"
    assert s.hidden == [4, 4] and s.activation == "tanh"
    assert (s.output_activation, s.loss) == ("sigmoid", "bce")
    assert (s.optimizer, s.lr, s.batch_size, s.epochs, s.dtype) == ("sgd", 0.1, 10, 100, "float64")
    assert s.scaling is None


@pytest.mark.parametrize("name, out, loss", [
    ("spiral-k", "softmax", "cross_entropy"), ("blobs", "softmax", "cross_entropy"),
    ("reg-plane", "identity", "mse"), ("reg-gauss", "identity", "mse"),
    ("xor", "sigmoid", "bce"), ("spiral", "sigmoid", "bce"), ("gauss", "sigmoid", "bce"),
])
def test_each_toy_gets_its_task_output_and_loss(name, out, loss):
    s = settings_for_dataset(Settings(hidden=[9], activation="relu"), name)
    assert s.hidden == [4, 4] and s.activation == "tanh"
    assert (s.output_activation, s.loss) == (out, loss)
    exp = build(s)  # and it trains on the data as built
    assert exp.trainable and exp.net.n_inputs == 2


def test_a_toy_for_a_toy_keeps_the_training_and_the_data_options():
    cur = Settings(lr=0.03, epochs=7, optimizer="adam",
                   data_options={"noise": 20, "train_ratio": 0.7, "features": ["x1", "x2", "x1*x2"],
                                 "n_classes": 5})
    s = settings_for_dataset(cur, "blobs")
    assert (s.lr, s.epochs, s.optimizer) == (0.03, 7, "adam")
    assert s.data_options == cur.data_options
    s = settings_for_dataset(cur, "xor")  # n_classes is for the multi-class sets only
    assert s.data_options == {"noise": 20, "train_ratio": 0.7, "features": ["x1", "x2", "x1*x2"]}


def test_gates_and_gender_get_their_presets_networks():
    s = settings_for_dataset(Settings(), "gate-and")
    assert s.hidden == [] and s.activation == "step" and s.weights == [[[[0.5], [0.5]], [-0.7]]]
    s = settings_for_dataset(s, "gate-xor")
    assert s.hidden == [2] and s.weights == PRESETS["gate-xor"].settings.weights
    s = settings_for_dataset(s, "gender")
    g = PRESETS["gender"].settings
    assert (s.hidden, s.activation, s.loss, s.init, s.batch_size, s.epochs) == (
        [2], "sigmoid", "mse", "normal", 1, 1000)
    assert s.weights is None and g.weights is None
    assert build(s).net.n_inputs == 2


def test_a_csv_keeps_the_network_but_fits_output_and_loss(tmp_path):
    cur = Settings(hidden=[7, 3], activation="relu", output_activation="identity", loss="mse",
                   data_options={"noise": 10, "train_ratio": 0.8})
    s = settings_for_dataset(cur, str(tmp_path / "points.csv"))
    assert s.hidden == [7, 3] and s.activation == "relu"
    assert (s.output_activation, s.loss) == ("softmax", "cross_entropy")  # classification by default
    assert s.data_options == {"train_ratio": 0.8}
    ok = settings_for_dataset(Settings(hidden=[5]), "x.csv")  # sigmoid + bce can already classify
    assert (ok.hidden, ok.output_activation, ok.loss) == ([5], "sigmoid", "bce")
    reg = Settings(dataset="x.csv", data_options={"task": "regression"},
                   activations=["relu", "sigmoid"], hidden=[3])
    s = settings_for_dataset(reg, "x.csv")
    assert s.activations == ["relu", "identity"] and s.output_activation == "identity" and s.loss == "mse"
    assert s.data_options == {"task": "regression"}  # the same file keeps its options
    assert settings_for_dataset(reg, "y.csv").data_options == {}  # another file does not
