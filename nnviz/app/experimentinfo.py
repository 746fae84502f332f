"""What the window knows of an experiment once the worker owns it, and small helpers of the
application model (which data loads on a thread, which settings share their data)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from nnviz.experiment import Settings

#: The first view: a small toy problem, ready to Play, no download needed.
DEFAULT_SETTINGS = Settings(dataset="circle", data_options={"noise": 10, "train_ratio": 0.5},
                            hidden=[4, 4], activation="tanh", output_activation="sigmoid", loss="bce",
                            optimizer="sgd", lr=0.03, batch_size=10, epochs=1000)
BIG_DATASETS = ("mnist", "fashion-mnist")
#: Columns of :meth:`AppModel.epoch_history` (NaN where an epoch has no such value).
HISTORY_COLUMNS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc")


#: Toy sets with more points than this are made on the loader thread too.
TOY_ON_THREAD = 5_000


def slow_to_load(s: Settings) -> bool:
    """Data loaded on a thread: MNIST-sized sets, files, and big toy sets."""
    n = (s.data_options or {}).get("n_samples", 0)
    big_toy = isinstance(n, int) and n > TOY_ON_THREAD
    return (big_toy or s.dataset in BIG_DATASETS or Path(s.dataset).suffix.lower() in (".csv", ".gz", ".npz", ".txt")
            or Path(s.dataset).is_dir())


def same_data(a: Settings, b: Settings) -> bool:
    return (a.dataset, a.data_options, a.scaling, a.seed) == (b.dataset, b.data_options, b.scaling, b.seed)


@dataclass
class ExperimentInfo:
    """What the views need of an experiment, captured before the worker owns it."""

    settings: Settings
    data: object                 # the Dataset (read-only; the output view draws it)
    sizes: list
    activations: list
    layer_names: list
    input_names: list | None
    output_names: list | None
    image_shape: tuple | None
    class_names: list
    is_classification: bool
    n_train: int
    steps_per_epoch: int | None
    trainable: bool


def describe(exp) -> ExperimentInfo:
    """What the views need of ``exp`` (the layer names in the current language: one name per
    layer, :func:`nnviz.i18n.names.layer_title`)."""
    from nnviz.i18n.names import layer_title

    net, data = exp.net, exp.data
    layers = net.dense_layers()
    names = [layer_title(k, len(layers)) for k in range(-1, len(layers))]
    output_names = None
    if data.is_classification and len(data.class_names) == net.n_outputs:
        output_names = list(data.class_names)
    elif data.is_classification and net.n_outputs == 1 and len(data.class_names) == 2:
        output_names = ["P({cls})".format(cls=data.class_names[1])]  # a formula: the same in every language
    return ExperimentInfo(
        settings=copy.deepcopy(exp.settings), data=data, sizes=list(net.sizes),
        activations=[l.activation.name for l in layers], layer_names=names,
        input_names=list(data.feature_names) or None, output_names=output_names,
        image_shape=data.image_shape, class_names=list(data.class_names or []),
        is_classification=bool(data.is_classification), n_train=len(data.x_train),
        steps_per_epoch=exp.trainer.steps_per_epoch if exp.trainer is not None else None,
        trainable=exp.trainer is not None)
