"""Going back to any recorded step, and training on from there (a branch).

:func:`replay_to` rebuilds the run's experiment, puts back the newest checkpoint at or before
the step and trains the batches in between: the same batches, with the same generators, so
the trainer arrives at exactly the state the original run had. :func:`branch` then applies the
learner's changes (the settings that may change between two batches, as the window's worker
applies them); the original timeline is not touched.
"""
from __future__ import annotations

from dataclasses import fields

from nnviz.core.errors import NNVizError
from nnviz.core.optim import get_optimizer
from nnviz.core.schedules import get_schedule
from nnviz.experiment import LIVE_SETTINGS, Experiment, Settings, build, make_optimizer
from nnviz.i18n import N_
from nnviz.timeline.state import restore_state

#: The settings that shape the optimizer (changing one builds a new optimizer; it keeps its
#: state when it is of the same kind).
OPTIMIZER_SETTINGS = frozenset({"optimizer", "optimizer_options", "lr", "weight_decay", "l1"})
SCHEDULE_SETTINGS = frozenset({"schedule", "schedule_options"})


def data_for(timeline, progress=None, download: bool = False):
    """The data of the timeline's run (its preset's own data, or the dataset it names)."""
    s = timeline.settings
    if getattr(timeline, "preset", None):
        from nnviz.presets import PRESETS, preset_data

        p = PRESETS.get(timeline.preset)
        if p is not None:
            return preset_data(p, s, progress=progress, download=download)
    from nnviz.experiment import load_data

    return load_data(s, progress=progress, download=download)


def _check_step(timeline, step) -> int:
    if isinstance(step, bool) or not isinstance(step, int) and not hasattr(step, "__index__"):
        raise NNVizError(N_("the step must be a whole number, got {step}"), step=repr(step))
    step = int(step)
    if step < 0 or step > timeline.last_step:
        raise NNVizError(N_("step {step} is not in the recording (it has steps 0 to {last})"),
                         step=step, last=max(timeline.last_step, 0))
    return step


def _as_recorded(trainer, state: dict) -> None:
    """A trainer whose optimizer or schedule is not the recorded one (changed live during the
    run) gets the recorded ones."""
    o, sched = state["optimizer"], state.get("schedule")
    opt = trainer.optimizer
    if opt.name != o["name"] or opt.hyperparameters != o["hyperparameters"]:
        trainer.optimizer = get_optimizer(o["name"], **dict(o["hyperparameters"]))
    if sched is not None and (trainer.schedule.name != sched["name"]
                              or trainer.schedule.hyperparameters != sched["options"]):
        trainer.schedule = get_schedule(sched["name"], **sched["options"])


def replay_to(timeline, step: int, data=None) -> Experiment:
    """A new :class:`Experiment` of the timeline's run at exactly ``global_step == step``."""
    if timeline.settings is None:
        raise NNVizError(N_("this timeline does not know its run's settings, so it cannot be replayed"))
    step = _check_step(timeline, step)
    if data is None:
        data = data_for(timeline)
    exp = build(timeline.settings, data=data)
    tr = exp.trainer
    if tr is None:
        raise NNVizError(N_("this network cannot be trained (the step activation has no gradient)"))
    cp = timeline.at(step)
    _as_recorded(tr, cp.state)
    restore_state(tr, cp.state)
    exp.optimizer = tr.optimizer
    while tr.global_step < step:
        r = tr.train_batch()
        if r.epoch_done:
            tr.finish_epoch()
    return exp


def check_changes(changes: dict | None) -> dict:
    """``changes`` as a dict of known settings that a branch may change, or one clear error."""
    changes = dict(changes or {})
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise NNVizError(N_("unknown setting(s): {unknown}"), unknown=", ".join(unknown))
    fixed = sorted(set(changes) - LIVE_SETTINGS)
    if fixed:
        raise NNVizError(N_("a branch keeps the network, the data and the batches, so {names} "
                            "cannot change; it may change {live}"),
                         names=", ".join(fixed), live=", ".join(sorted(LIVE_SETTINGS)))
    return changes


def apply_changes(exp: Experiment, changes: dict | None) -> Experiment:
    """Apply live setting ``changes`` to ``exp`` between two batches (in place); a new
    optimizer of the same kind keeps the state (momentum, Adam's moments)."""
    changes = check_changes(changes)
    s = exp.settings
    changed = {k for k, v in changes.items() if getattr(s, k) != v}
    if not changed:
        return exp
    s = s.replace(**{k: changes[k] for k in changed})
    tr = exp.trainer
    if changed & OPTIMIZER_SETTINGS:
        old = exp.optimizer
        new = make_optimizer(s)
        if type(new) is type(old):
            new.state, new.t = old.state, old.t
        if "lr" not in changed and not ({"optimizer"} & changed):
            new.lr = old.lr  # the schedule's rate of this epoch stays
        exp.optimizer = new
        if tr is not None:
            tr.optimizer = new
            if {"lr", "optimizer"} & changed:
                tr.base_lr = new.lr
    if changed & SCHEDULE_SETTINGS and tr is not None:
        tr.schedule = get_schedule(s.schedule, **s.schedule_options)
    exp.settings = s
    return exp


def branch(timeline, step: int, changes: dict | None = None, data=None) -> Experiment:
    """A new run from the timeline's ``step`` with ``changes`` (live settings only) applied."""
    check_changes(changes)
    return apply_changes(replay_to(timeline, step, data=data), changes)
