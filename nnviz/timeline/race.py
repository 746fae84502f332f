"""Several variants of one setup trained in lockstep on the identical sample stream.

Every variant is built from the same settings with one (or more) of them changed, on the same
data and with the same seed: the same initial weights (when the change leaves the network's
shape alone), the same shuffled order, the same dropout and augmentation draws. One
:meth:`Race.step` trains one batch of each, so curves can be compared live; each variant is
exactly the run the same settings give trained alone.
"""
from __future__ import annotations

import itertools
from dataclasses import fields

from nnviz.core.errors import Diverged, NNVizError
from nnviz.experiment import Settings, build
from nnviz.i18n import N_
from nnviz.timeline.timeline import DEFAULT_BUDGET, Timeline

#: Settings a race cannot vary: its variants share one dataset.
SHARED = frozenset({"dataset", "data_options", "scaling"})


def value_text(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "-".join(value_text(x) for x in v)
    if v is None:
        return "none"
    return str(v).lower() if isinstance(v, bool) else str(v)


def check_vary(vary: dict) -> dict[str, list]:
    """``vary`` checked: known settings, each with a non-empty list of values."""
    if not vary:
        raise NNVizError(N_("a race needs a setting to vary, e.g. optimizer=sgd,adam"))
    names = {f.name for f in fields(Settings)}
    out = {}
    for k, values in vary.items():
        if k not in names:
            raise NNVizError(N_("unknown setting {name} to vary; valid: {valid}"), name=repr(k),
                             valid=", ".join(sorted(names - SHARED)))
        if k in SHARED:
            raise NNVizError(N_("a race trains every variant on the same data, so {name} cannot "
                                "vary"), name=k)
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if not values:
            raise NNVizError(N_("no values given for {name} to vary"), name=k)
        out[k] = values
    return out


def variants(settings: Settings, vary: dict, follow_lr: bool = False) -> list[tuple[str, Settings]]:
    """``(name, settings)`` of every combination of the varied values, in order. With
    ``follow_lr`` a varied optimizer brings its own default learning rate (unless the learning
    rate varies too), as ``nnviz train --optimizer`` does."""
    from nnviz.core.optim import OPTIMIZERS

    vary = check_vary(vary)
    keys = list(vary)
    out = []
    for combo in itertools.product(*(vary[k] for k in keys)):
        name = ",".join(f"{k}={value_text(v)}" for k, v in zip(keys, combo))
        changes = dict(zip(keys, combo))
        opt = changes.get("optimizer")
        if follow_lr and "lr" not in changes and opt is not None and opt != settings.optimizer:
            changes["lr"] = OPTIMIZERS.get_cls(opt).defaults.get("lr", settings.lr)
        out.append((name, settings.replace(**changes)))
    return out


class Race:
    """The variants' experiments and timelines; :meth:`step` trains one batch of each.

    ``budget_bytes`` bounds all the variants' timelines together (each gets an equal share).
    ``follow_lr``: a varied optimizer brings its own default learning rate (see :func:`variants`).
    """

    def __init__(self, settings: Settings, vary: dict, data=None, budget_bytes: int = DEFAULT_BUDGET,
                 preset: str | None = None, follow_lr: bool = False):
        pairs = variants(settings, vary, follow_lr)
        if data is None:
            from nnviz.timeline.branch import data_for

            data = data_for(Timeline(settings=settings, preset=preset))
        self.settings, self.data = settings, data
        self.names = [n for n, _ in pairs]
        self.experiments = [build(s, data=data) for _, s in pairs]
        for name, exp in zip(self.names, self.experiments):
            if exp.trainer is None:
                raise NNVizError(N_("variant {name} cannot be trained (the step activation has no "
                                    "gradient)"), name=name)
        each = int(budget_bytes) // len(self.experiments)  # the budget is the race's, shared
        self.timelines = [Timeline(each, settings=exp.settings, preset=preset)
                          for exp in self.experiments]
        self.errors: list[Exception | None] = [None] * len(self.experiments)
        for exp, tl in zip(self.experiments, self.timelines):
            tl.record(exp.trainer, force=True)

    def running(self, i: int) -> bool:
        """Whether variant ``i`` still trains (epochs left, not diverged)."""
        exp = self.experiments[i]
        return self.errors[i] is None and exp.trainer.epoch < exp.settings.epochs

    @property
    def finished(self) -> bool:
        return not any(self.running(i) for i in range(len(self.experiments)))

    def step(self) -> list:
        """One batch of every running variant: its ``BatchResult`` (``None`` for one that has
        finished or diverged; its error is in ``errors``). Epoch ends are closed here."""
        out = []
        for i, (exp, tl) in enumerate(zip(self.experiments, self.timelines)):
            if not self.running(i):
                out.append(None)
                continue
            tr = exp.trainer
            try:
                r = tr.train_batch()
            except Diverged as exc:
                self.errors[i] = exc
                out.append(None)
                continue
            res = tr.finish_epoch() if r.epoch_done else None
            tl.record(tr, r.loss, epoch_result=res, force=not self.running(i))
            out.append(r)
        return out
