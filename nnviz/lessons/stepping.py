"""A preset's network, one training sample and one recorded step: what ``nnviz step`` explains."""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_
from nnviz.lessons.record import StepRecord, record_step


def preset_settings(name: str, optimizer: str | None = None, lr: float | None = None,
                    weight_decay: float | None = None, l1: float | None = None):
    """``(preset, settings)`` with the given overrides (a new optimizer brings its default lr)."""
    from nnviz.core.optim import OPTIMIZERS
    from nnviz.presets import get_preset

    p = get_preset(name)
    if p.kind == "graph":
        raise NNVizError(N_("preset {preset} is a computational graph, not a network: use `nnviz lesson apple`"),
                         preset=repr(name))
    over = {}
    if optimizer is not None:
        OPTIMIZERS.get_cls(optimizer)  # unknown name → a clear error
        over["optimizer"] = optimizer
        if lr is None and optimizer != p.settings.optimizer:
            over["lr"] = OPTIMIZERS.get_cls(optimizer).defaults.get("lr", p.settings.lr)
    if lr is not None:
        over["lr"] = lr
    if weight_decay is not None:
        over["weight_decay"] = weight_decay
    if l1 is not None:
        over["l1"] = l1
    return p, p.settings.replace(**over)


def sample_batch(exp, sample: int | None = 0, all_samples: bool = False):
    """Inputs and targets of training sample ``sample`` (or the whole training set)."""
    from nnviz.experiment import output_size

    data = exp.data
    n = len(data.x_train)
    if all_samples:
        xr, yr = data.x_train, data.y_train
    else:
        i = 0 if sample is None else int(sample)
        if not 0 <= i < n:
            raise NNVizError(N_("sample {sample}: the training set has samples 0..{last}"), sample=i, last=n - 1)
        xr, yr = data.x_train[i:i + 1], data.y_train[i:i + 1]
    s = exp.settings
    x = data.inputs(xr, dtype=exp.net.dtype)
    t = data.targets(yr, dtype=exp.net.dtype, off=s.target_off, on=s.target_on, n_outputs=output_size(data, s))
    return np.asarray(x), np.asarray(t)


def step_preset(name: str, sample: int | None = None, optimizer: str | None = None, lr: float | None = None,
                weight_decay: float | None = None, l1: float | None = None, download: bool = False):
    """``(experiment, record)``: one step of preset ``name`` on one sample (all for the gates)."""
    from nnviz.experiment import build
    from nnviz.presets import preset_data

    p, s = preset_settings(name, optimizer, lr, weight_decay, l1)
    exp = build(s, data=preset_data(p, s, download=download))
    x, t = sample_batch(exp, sample, all_samples=p.trace_all and sample is None)
    rec: StepRecord = record_step(exp.net, x, t, exp.optimizer)
    return exp, rec
