"""One training setup — settings → data, network, optimizer, trainer — shared by the CLI and the window.

:class:`Settings` is a flat, JSON-able record of every choice a learner can make (the
window's controls edit one, the CLI's flags override one, presets are named ones).
:func:`build` turns it into an :class:`Experiment`.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, NNVizError, ShapeError, shown
from nnviz.core.init import INITIALIZERS
from nnviz.core.network import Network, build_mlp
from nnviz.core.optim import Optimizer, get_optimizer
from nnviz.core.schedules import get_schedule
from nnviz.core.training import Trainer


@dataclass
class Settings:
    """Everything that defines a run. Input and output sizes come from the data."""

    dataset: str = "circle"
    data_options: dict = field(default_factory=dict)   # e.g. {"noise": 10, "train_ratio": 0.5}
    scaling: str | None = None                          # None: the dataset's own
    hidden: list[int] = field(default_factory=lambda: [4, 4])
    activation: str = "tanh"
    activations: list[str] | None = None                # per layer, overrides activation/output
    output_activation: str = "sigmoid"
    loss: str = "bce"
    reduction: str = "mean"
    init: str = "xavier_normal"
    init_options: dict = field(default_factory=dict)
    bias_init: str = "zeros"
    inits: list[str] | None = None                      # per layer, overrides init
    bias_inits: list[str] | None = None                 # per layer, overrides bias_init
    optimizer: str = "sgd"
    lr: float = 0.1
    optimizer_options: dict = field(default_factory=dict)
    weight_decay: float = 0.0
    l1: float = 0.0
    schedule: str | None = None
    schedule_options: dict = field(default_factory=dict)
    batch_size: int | None = 10                         # None/0: full batch, 1: per sample
    shuffle: bool = True
    epochs: int = 100
    seed: int = 0
    dtype: str = "float64"
    batchnorm: bool = False
    dropout: float = 0.0
    target_off: float = 0.0
    target_on: float = 1.0
    weights: list | None = None                         # fixed [[W, b], ...] (in_out layout)
    augment: bool = False                               # distort training images (image data only)
    augment_options: dict = field(default_factory=dict)  # see nnviz.data.augment.AugmentOptions

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Settings":
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise NNVizError(N_("unknown setting(s): {unknown}"), unknown=', '.join(sorted(unknown)))
        return cls(**d)

    def replace(self, **changes) -> "Settings":
        return replace(self, **changes)


#: Settings the worker applies between two batches, without a new network or new data
#: (the optimizer is rebuilt with its state kept, the schedule replaced, the epoch limit moved).
#: Every other field needs a rebuild. The one list of them: the controls panel's field table
#: reads it, and the worker's ``apply_settings`` applies exactly these.
LIVE_SETTINGS: frozenset[str] = frozenset({
    "lr", "optimizer", "optimizer_options", "weight_decay", "l1", "schedule", "schedule_options",
    "epochs"})


def changed_fields(old: Settings, new: Settings) -> set[str]:
    """Names of the fields whose values differ between ``old`` and ``new``."""
    return {f.name for f in fields(Settings) if getattr(old, f.name) != getattr(new, f.name)}


def needs_rebuild(old: Settings, new: Settings) -> bool:
    """True when going from ``old`` to ``new`` changes a field outside :data:`LIVE_SETTINGS`."""
    return bool(changed_fields(old, new) - LIVE_SETTINGS)


@dataclass
class Experiment(CompactState):
    """A built setup: ``settings``, ``data``, ``net``, ``optimizer`` and its ``trainer``."""

    settings: Settings
    data: object
    net: Network
    optimizer: Optimizer
    trainer: Trainer | None

    @property
    def trainable(self) -> bool:
        return self.trainer is not None and self.net.can_train()


def output_size(data, s: Settings) -> int:
    """Outputs the network needs for ``data``: one for a binary label read by a sigmoid/step/tanh."""
    if not data.is_classification:
        return data.n_outputs
    last_act = s.activations[-1] if s.activations else s.output_activation
    if data.n_classes == 2 and last_act in ("sigmoid", "step", "tanh", "identity") and s.loss != "cross_entropy":
        return 1
    return int(data.n_classes)


def load_data(s: Settings, progress=None, download: bool = False):
    """The settings' dataset; ``s.scaling`` applies to pixel data (uint8) only."""
    import dataclasses

    from nnviz.data import load_dataset  # the data package; imported here to keep startup light

    data = load_dataset(s.dataset, seed=s.seed, progress=progress, download=download, **s.data_options)
    if s.scaling is not None and data.x_train.dtype == np.uint8 and data.scaling != s.scaling:
        data = dataclasses.replace(data, scaling=s.scaling)
    return data


def make_optimizer(s: Settings) -> Optimizer:
    return get_optimizer(s.optimizer, lr=s.lr, weight_decay=s.weight_decay, l1=s.l1, **s.optimizer_options)


def make_network(s: Settings, n_in: int, n_out: int) -> Network:
    sizes = [n_in, *[int(h) for h in s.hidden], n_out]
    init = s.init
    if s.init_options:
        init = INITIALIZERS.create(s.init, **s.init_options)
    net = build_mlp(sizes, activation=s.activation, output_activation=s.output_activation,
                    activations=s.activations, inits=s.inits, bias_inits=s.bias_inits, loss=s.loss, reduction=s.reduction, init=init,
                    bias_init=s.bias_init, batchnorm=s.batchnorm, dropout=s.dropout, dtype=s.dtype,
                    seed=s.seed)
    if s.weights is not None:
        layers = net.dense_layers()
        if len(s.weights) != len(layers):
            raise ShapeError(N_("{weights} fixed weight sets given for {layers} layers"), weights=len(s.weights), layers=len(layers))
        for i, (W, b) in enumerate(s.weights):
            net.set_param(i, "W", np.asarray(W, dtype=float))
            net.set_param(i, "b", np.asarray(b, dtype=float).reshape(-1))
    return net


def build(s: Settings, data=None, progress=None, download: bool = False) -> Experiment:
    """Load the data (unless given), build network, optimizer and trainer."""
    check_settings(s)
    if data is None:
        data = load_data(s, progress=progress, download=download)
    n_out = output_size(data, s)
    check_memory(s, data, n_out)
    return with_network(s, data, make_network(s, data.n_features, n_out))


def with_network(s: Settings, data, net: Network) -> Experiment:
    """An experiment around a given network (e.g. one loaded from a file)."""
    check_settings(s)
    want = [data.n_features, output_size(data, s)]
    if [net.n_inputs, net.n_outputs] != want:
        raise ShapeError(N_("the network has {n_inputs} inputs and {n_outputs} outputs, but the data {data} needs {want_inputs} and {want_outputs}"), n_inputs=net.n_inputs, n_outputs=net.n_outputs, data=shown(getattr(data, 'name', '')), want_inputs=want[0], want_outputs=want[1])
    opt = make_optimizer(s)
    schedule = get_schedule(s.schedule, **s.schedule_options)
    trainer = None
    transform = None
    if s.augment:
        from nnviz.data.augment import augmenter_for
        transform = augmenter_for(data, s.augment_options)
    if net.can_train():
        trainer = Trainer(net, data, opt, batch_size=s.batch_size, shuffle=s.shuffle, seed=s.seed,
                          schedule=schedule, target_off=s.target_off, target_on=s.target_on,
                          transform=transform)
    return Experiment(s, data, net, opt, trainer)


#: The widest layer a setting may ask for (MNIST's input is 784 wide).
MAX_UNITS = 1_000_000


def parse_layers(text: str) -> list[int]:
    """``"784,100,10"`` → ``[784, 100, 10]`` with a clear message for anything else."""
    parts = str(text).replace(" ", "").split(",")
    if "" in parts:
        raise NNVizError(N_("layer sizes must be whole numbers separated by single commas, e.g. 784,100,10; got {text}"), text=shown(text))
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise NNVizError(N_("layer sizes must be whole numbers separated by commas, e.g. 784,100,10; got {text}"), text=shown(text)) from None
    if len(sizes) < 2 or any(not 1 <= n <= MAX_UNITS for n in sizes):
        raise NNVizError(N_("layer sizes need an input and an output size, each from 1 to {max_units}; got {text}"), max_units=MAX_UNITS, text=shown(text))
    return sizes


def _finite(value, what: str, lo: float = 0.0, hi: float | None = None, lo_open: bool = False) -> None:
    ok = (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
          and (value > lo if lo_open else value >= lo) and (hi is None or value < hi))
    if not ok:
        rng = f"above {lo:g}" if lo_open else f"at least {lo:g}"
        rng += f" and below {hi:g}" if hi is not None else ""
        raise NNVizError(N_("{what} must be a finite number {rng}, got {value}"), what=what, rng=rng, value=shown(value))


def _whole(value, what: str, lo: int, hi: int | None = None) -> None:
    if (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo
            or (hi is not None and value > hi)):
        rng = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        raise NNVizError(N_("{what} must be a whole number {rng}, got {value}"), what=what, rng=rng, value=shown(value))


def check_settings(s: Settings) -> None:
    """Refuse settings no run can use (a NaN weight decay, negative epochs, a 2.5-unit layer),
    each with a message naming the setting, before anything is built."""
    _finite(s.lr, "the learning rate", lo_open=True)
    _finite(s.weight_decay, "the weight decay")
    _finite(s.l1, "the L1 penalty")
    _finite(s.dropout, "the dropout probability", hi=1.0)
    _whole(s.epochs, "the number of epochs", 0)
    _whole(s.seed, "the seed", 0, 2**63 - 1)
    if s.batch_size is not None:
        _whole(s.batch_size, "the batch size", 0)
    if not isinstance(s.hidden, (list, tuple)):
        raise NNVizError(N_("the hidden layer sizes must be a list, got {hidden}"), hidden=shown(s.hidden))
    for h in s.hidden:
        _whole(h, "a hidden layer size", 1, MAX_UNITS)


def check_memory(s: Settings, data, n_out: int) -> None:
    """Refuse, with the estimate, a network that will not fit in the memory that is free."""
    from nnviz.core.memory import check_fits, network_bytes

    sizes = [data.n_features, *s.hidden, n_out]
    n_train, n_test = len(data.x_train), len(data.x_test)
    batch = n_train if not s.batch_size else min(s.batch_size, n_train)
    batch = max(batch, min(2000, n_test))  # the evaluation's chunks
    itemsize = 4 if s.dtype == "float32" else 8
    check_fits(network_bytes(sizes, batch=batch, itemsize=itemsize),
               f"a network of {'-'.join(map(str, sizes))} ({s.optimizer}, batch {batch})")
