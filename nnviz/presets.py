"""The seeds' lessons as named, exact setups (``nnviz presets`` lists them).

Each preset is a :class:`~nnviz.experiment.Settings` plus, for the tiny worked examples, the
data it was computed on. Numbers the seeds print are reproduced exactly (tests check them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnviz.core.errors import UnknownNameError
from nnviz.experiment import Settings


@dataclass
class Preset:
    name: str
    description: str
    settings: Settings
    data_factory: Callable | None = None   # builds the Dataset when it is not a catalog name
    kind: str = "network"                  # "network" or "graph" (the apple example)
    trace_all: bool = False                # trace every sample at once (gates: 00, 01, 10, 11)
    expected: str = ""                     # what the seed prints, for the listing


def _tiny(name, x, t):
    from nnviz.data.base import Dataset

    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    return lambda: Dataset(name, x, t, x, t, n_classes=None, description="the seed's worked example")


def _gate(name):
    def make():
        from nnviz.data import load_dataset
        return load_dataset(name)
    return make


def _torch_data():
    from nnviz.data.base import Dataset

    rng = np.random.default_rng(66)
    x = rng.standard_normal((5, 3))
    y = rng.integers(0, 2, size=5)
    return Dataset("torch-5x3", x, y, x, y, n_classes=2,
                   description="5 seeded standard-normal samples with 3 features, 2 classes")


_STEP = dict(activation="step", output_activation="step", loss="mse", epochs=0, batch_size=None)
_GATE_W = {"and": (0.5, 0.5, -0.7), "nand": (-0.5, -0.5, 0.7), "or": (1.0, 1.0, -0.5)}


def _gate_preset(g):
    w1, w2, b = _GATE_W[g]
    return Preset(f"gate-{g}", f"{g.upper()} gate as one perceptron: w = ({w1}, {w2}), b = {b}, step",
                  Settings(dataset=f"gate-{g}", hidden=[], weights=[[[[w1], [w2]], [b]]], **_STEP),
                  data_factory=_gate(f"gate-{g}"), trace_all=True,
                  expected={"and": "0 0 0 1", "nand": "1 1 1 0", "or": "0 1 1 1"}[g])


PRESETS: dict[str, Preset] = {p.name: p for p in [
    Preset("neuron", "one sigmoid neuron, w = [0, 1], b = 4, x = [2, 3]",
           Settings(dataset="neuron", hidden=[], activation="sigmoid", output_activation="sigmoid",
                    loss="mse", optimizer="sgd", lr=0.1, batch_size=None, epochs=1,
                    weights=[[[[0.0], [1.0]], [4.0]]]),
           data_factory=_tiny("neuron", [[2, 3]], [[1]]), expected="0.9990889488055994"),
    Preset("network-2-2-1", "2-2-1 sigmoid network, every w = [0, 1], b = 0, x = [2, 3]; mse against 1",
           Settings(dataset="network-2-2-1", hidden=[2], activation="sigmoid", output_activation="sigmoid",
                    loss="mse", optimizer="sgd", lr=0.1, batch_size=None, epochs=1,
                    weights=[[[[0.0, 0.0], [1.0, 1.0]], [0.0, 0.0]], [[[0.0], [1.0]], [0.0]]]),
           data_factory=_tiny("network-2-2-1", [[2, 3]], [[1]]), expected="0.7216325609518421"),
    _gate_preset("and"), _gate_preset("nand"), _gate_preset("or"),
    Preset("gate-xor", "XOR = AND(NAND(x1, x2), OR(x1, x2)): two layers of step perceptrons",
           Settings(dataset="gate-xor", hidden=[2],
                    weights=[[[[-0.5, 1.0], [-0.5, 1.0]], [0.7, -0.5]], [[[0.5], [0.5]], [-0.7]]], **_STEP),
           data_factory=_gate("gate-xor"), trace_all=True, expected="0 1 1 0"),
    Preset("gender", "the seed's 4 people (weight, height → gender): 2-2-1 sigmoid, mse, per-sample SGD",
           Settings(dataset="gender", hidden=[2], activation="sigmoid", output_activation="sigmoid",
                    loss="mse", init="normal", optimizer="sgd", lr=0.1, batch_size=1, shuffle=False,
                    epochs=1000, seed=0), expected="loss falls over the epochs"),
    Preset("xor", "XOR with a 2-4-1 sigmoid net, full batch, lr 0.1, 10 000 epochs (the seed's loop)",
           Settings(dataset="gate-xor", hidden=[4], activation="sigmoid", output_activation="sigmoid",
                    loss="sse_half", reduction="sum", init="normal", optimizer="sgd", lr=0.1,
                    batch_size=None, epochs=10000, seed=1), expected="predictions ≈ 0 1 1 0"),
    Preset("torch-3-3-2-2", "the seed's PyTorch model: 3-3-2-2, sigmoid/relu/softmax, xavier/he init, 12/8/6 params",
           Settings(dataset="torch-5x3", hidden=[3, 2], activations=["sigmoid", "relu", "softmax"],
                    loss="cross_entropy", inits=["xavier_normal", "he_normal", "torch_default"],
                    bias_inits=["zeros", "zeros", "torch_default"], optimizer="sgd", lr=0.1, batch_size=None,
                    epochs=100, seed=66),
           data_factory=_torch_data, trace_all=True, expected="parameters 12 + 8 + 6 = 26"),
    Preset("apple", "computational graph: 2 apples at 100 with 10% tax = 220, and its gradients",
           Settings(dataset="none", hidden=[], epochs=0), kind="graph",
           expected="220; d/d apple 2.2, d/d count 110, d/d tax 200"),
    Preset("mnist-seed", "the seed's MNIST net: 784-100-10 sigmoid, x/255·0.99+0.01, targets 0.01/0.99, "
                         "per-sample SGD lr 0.3",
           Settings(dataset="mnist", scaling="seed", hidden=[100], activation="sigmoid",
                    output_activation="sigmoid", loss="sse_half", init="mnist_seed", optimizer="sgd", lr=0.3,
                    batch_size=1, shuffle=False, epochs=1, target_off=0.01, target_on=0.99, dtype="float64"),
           expected="about 95% test accuracy after 1 epoch"),
    Preset("mnist-fast", "784-256-128-10 relu + softmax cross-entropy, he_normal, Adam 1e-3, batch 64, float32",
           Settings(dataset="mnist", scaling="unit", hidden=[256, 128], activation="relu",
                    output_activation="softmax", loss="cross_entropy", init="he_normal", optimizer="adam",
                    lr=1e-3, batch_size=64, shuffle=True, epochs=1, dtype="float32"),
           expected="≥ 96% test accuracy after 1 epoch"),
]}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownNameError("preset", name, PRESETS) from None


def preset_data(p: Preset, settings: Settings | None = None, progress=None, download: bool = False):
    """The preset's dataset (its own tiny data, or the catalog's by name)."""
    from nnviz.experiment import load_data

    s = settings or p.settings
    if p.data_factory is not None and s.dataset == p.settings.dataset:
        return p.data_factory()
    return load_data(s, progress=progress, download=download)


# -- a network that fits a newly chosen dataset ------------------------------------------------
#: Settings that describe the network and its training (not the data).
_NETWORK_FIELDS = ("scaling", "hidden", "activation", "activations", "output_activation", "loss", "reduction",
                   "init", "init_options", "bias_init", "inits", "bias_inits", "optimizer", "lr",
                   "optimizer_options", "weight_decay", "l1", "schedule", "schedule_options", "batch_size",
                   "shuffle", "epochs", "dtype", "batchnorm", "dropout", "target_off", "target_on")
_IMAGES = ("mnist", "fashion-mnist")
_REGRESSION = ("reg-plane", "reg-gauss")
_MULTICLASS = ("spiral-k", "blobs")


def _family(name: str) -> str:
    """``"images"`` (MNIST-style), ``"toy"`` (generated or built-in tables) or ``"file"``."""
    from nnviz.data import list_datasets

    if name in _IMAGES:
        return "images"
    return "toy" if name in list_datasets() else "file"


def settings_for_dataset(current: Settings, name: str) -> Settings:
    """The settings to switch to when the dataset becomes ``name``.

    Within one family of data (toy ↔ toy, MNIST ↔ Fashion-MNIST, file ↔ file) the network is
    kept. Moving to MNIST-style images proposes the ``mnist-fast`` preset's network and
    optimizer (a 4-4 tanh toy net with SGD reaches only ~70% there); moving to toy data, or
    from images to a file, proposes the default :class:`Settings` network. The output and
    loss follow the task (regression: identity + mse; several classes: softmax +
    cross-entropy). Fixed weights are dropped (they fit one input size only), and the data
    options are kept only from toy data to toy data.
    """
    old, new = _family(current.dataset), _family(name)
    s = current.replace(dataset=str(name), weights=None,
                        data_options=dict(current.data_options) if old == new == "toy" else {})
    if old != new:
        if new == "images":
            base = PRESETS["mnist-fast"].settings
        elif new == "toy" or old == "images":
            base = Settings()
        else:
            base = None
        if base is not None:
            import copy
            s = s.replace(**{k: copy.deepcopy(getattr(base, k)) for k in _NETWORK_FIELDS})
    out = s.activations[-1] if s.activations else s.output_activation
    if name in _REGRESSION and (s.loss in ("bce", "cross_entropy") or out in ("sigmoid", "softmax", "step")):
        s = s.replace(output_activation="identity", activations=None, loss="mse")
    elif name in _MULTICLASS and out != "softmax":
        s = s.replace(output_activation="softmax", activations=None, loss="cross_entropy")
    elif new == "toy" and name not in _REGRESSION and (out == "identity" or s.loss not in (
            "bce", "cross_entropy", "mse", "sse_half")):
        s = s.replace(output_activation="sigmoid", activations=None, loss="bce")
    return s
