"""The timeline from the terminal: ``nnviz timeline FILE``, ``nnviz race … --vary NAME=V1,V2``,
and the hooks of ``nnviz train`` (``--record FILE``, ``--from FILE@STEP``).

``build_parser`` in :mod:`nnviz.cli` registers the commands with :func:`add_parsers` and the
train flags with :func:`add_train_flags`; ``cmd_train`` calls :func:`continue_from` and uses a
:class:`Recorder`.
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import fields

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_


# -- nnviz train --record / --from --------------------------------------------------------------
def headless_cores():
    """Both cores for headless training where ``nnviz.core.parallel`` offers them (issue 19);
    its halves are deterministic, so a replay computes what the recorded run computed."""
    try:
        from nnviz.core.parallel import two_cores
    except ImportError:
        return contextlib.nullcontext()
    return two_cores()


def add_train_flags(sp) -> None:
    from nnviz.cliargs import text

    sp.add_argument("--record", metavar="FILE", type=text("--record"),
                    help="write the trained model with the run's timeline here (see `nnviz timeline`)")
    sp.add_argument("--from", dest="from_run", metavar="FILE@STEP", type=text("--from"),
                    help="continue a recorded run from its global step STEP (flags change its "
                         "settings; --epochs is the run's total)")


def parse_from(value: str) -> tuple[str, int]:
    """``"run.npz@120"`` → ``("run.npz", 120)``."""
    path, sep, step = value.rpartition("@")
    if not sep or not path:
        raise NNVizError(N_("--from {value}: expected FILE@STEP, e.g. run.npz@120"), value=repr(value))
    try:
        n = int(step.strip().replace("_", ""))
    except ValueError:
        raise NNVizError(N_("--from {value}: the step after @ must be a whole number, got {step}"),
                         value=repr(value), step=repr(step)) from None
    if n < 0:
        raise NNVizError(N_("--from {value}: the step must be 0 or more"), value=repr(value))
    return path, n


def changed_settings(old, new) -> dict:
    return {f.name: getattr(new, f.name) for f in fields(old)
            if getattr(old, f.name) != getattr(new, f.name)}


def continue_from(args):
    """``(preset, experiment)`` of a recorded run at ``--from``'s step, with the flags' changes."""
    from nnviz.cli import _settings_from_args
    from nnviz.presets import PRESETS
    from nnviz.timeline.branch import branch, check_changes, data_for
    from nnviz.timeline.runfile import load_run

    if getattr(args, "load", None):
        raise NNVizError(N_("--from and --load cannot be used together: --from starts from the "
                            "recorded run's own network"))
    path, step = parse_from(args.from_run)
    rf = load_run(path)
    tl = rf.timeline
    if step > tl.last_step:
        raise NNVizError(N_("--from {path}@{step}: the recording ends at step {last}"),
                         path=path, step=step, last=tl.last_step)
    if tl.preset in PRESETS:
        args.preset = tl.preset
    _preset, s, _layers = _settings_from_args(args, base=rf.settings)
    changes = check_changes(changed_settings(rf.settings, s))
    data = data_for(tl, download=getattr(args, "download", False))
    with headless_cores():
        exp = branch(tl, step, changes, data=data)
    args.branch_source = (tl, step)
    return PRESETS.get(tl.preset) or _preset, exp


def start_train(args, experiment):
    """``(preset, experiment, recorder)`` for ``nnviz train``: the recorded run at ``--from``'s
    step (with the flags' changes) or ``experiment(args)``'s new one."""
    preset, exp = continue_from(args) if getattr(args, "from_run", None) else experiment(args)
    return preset, exp, Recorder(args, preset)


class Recorder:
    """Runs ``nnviz train``'s epochs (on both cores, :func:`headless_cores`), recording every
    batch into a timeline with ``--record``."""

    def __init__(self, args, preset):
        self.path = getattr(args, "record", None)
        self.source = getattr(args, "branch_source", None)
        self.preset = getattr(preset, "name", None)
        self.timeline = None
        self.loss = None

    def _start(self, trainer) -> None:
        from nnviz.timeline.timeline import Timeline

        if self.source is not None:  # a branch's file keeps the history up to where it left
            tl, step = self.source
            self.timeline = tl.truncated(step)
        else:
            self.timeline = Timeline(preset=self.preset)
        self.timeline.record(trainer, force=True)

    def run_epoch(self, trainer, on_batch=None):
        """``trainer.run_epoch(on_batch)``, each batch and the epoch's end recorded."""
        if self.path and self.timeline is None:
            self._start(trainer)

        def batch(r):
            self.loss = r.loss
            if self.timeline is not None and not r.epoch_done:
                self.timeline.record(trainer, r.loss)
            if on_batch is not None:
                on_batch(r)
        with headless_cores():
            res = trainer.run_epoch(on_batch=batch)
        if self.timeline is not None:
            self.timeline.record(trainer, self.loss, epoch_result=res, force=True)
        return res

    def save(self, exp, args, res) -> None:
        """Write the run file (``--record``)."""
        if not self.path:
            return
        import shlex

        from nnviz.timeline.runfile import save_run

        if self.timeline is None:  # no epoch to train (--from at the run's end)
            self._start(exp.trainer)
        self.timeline.settings = exp.settings
        extra = {"command": shlex.join(["nnviz", *getattr(args, "argv", [])]),
                 "test_acc": res.test_acc if res is not None else None}
        path = save_run(self.path, exp.net, exp.settings, self.timeline, extra=extra)
        sys.stderr.write(f"recorded the run to {path} ({len(self.timeline)} checkpoints)\n")


# -- nnviz timeline FILE ------------------------------------------------------------------------
def cmd_timeline(args) -> int:
    from nnviz.cliargs import dumps
    from nnviz.timeline.runfile import load_run

    rf = load_run(args.file)
    tl = rf.timeline
    cps = tl.checkpoints()
    if args.json:
        print(dumps({"file": os.path.abspath(args.file), "preset": tl.preset,
                     "settings": rf.settings.to_dict(), "last_step": tl.last_step,
                     "steps_per_epoch": tl.steps_per_epoch, "budget_bytes": tl.budget_bytes,
                     "nbytes": tl.nbytes, "epochs": tl.epochs,
                     "checkpoints": [{"step": c.step, "epoch": c.epoch,
                                      "step_in_epoch": c.step_in_epoch, "metrics": c.metrics}
                                     for c in cps]}))
        return 0
    print(f"# {args.file}: {len(cps)} checkpoints, steps 0..{tl.last_step}, "
          f"{tl.nbytes / 2**20:.1f} MB of {tl.budget_bytes / 2**20:.0f} MB")
    print(f"{'step':>8} {'epoch':>6} {'loss':>12} {'train_loss':>12} {'test_acc':>9}")

    def f(v, w, p):
        return f"{'-':>{w}}" if v is None else f"{v:>{w}.{p}f}"
    for c in cps:
        m = c.metrics
        print(f"{c.step:>8} {c.epoch:>6} {f(m.get('loss'), 12, 6)} {f(m.get('train_loss'), 12, 6)} "
              f"{f(m.get('test_acc'), 9, 4)}")
    return 0


# -- nnviz race -------------------------------------------------------------------------------
def _value(name: str, text: str, current):
    """One ``--vary`` value of setting ``name`` (typed like its current value)."""
    t = text.strip()
    try:
        if name == "hidden":
            return [int(p) for p in t.replace("x", "-").split("-")]
        if name == "batch_size":
            n = int(t)
            return None if n == 0 else n
        if isinstance(current, bool):
            if t.lower() in ("true", "yes", "on", "1"):
                return True
            if t.lower() in ("false", "no", "off", "0"):
                return False
            raise ValueError(t)
        if isinstance(current, int):
            return int(t)
        if isinstance(current, float):
            return float(t)
        if isinstance(current, (dict, list)):
            raise NNVizError(N_("--vary {name}: this setting cannot vary from the command line"),
                             name=name)
    except ValueError:
        raise NNVizError(N_("--vary {name}: {value} is not a valid value"), name=name,
                         value=repr(text)) from None
    if t.lower() == "none" and current is None:
        return None
    return t


def parse_vary(items: list[str], base) -> dict[str, list]:
    """``["optimizer=sgd,adam", "lr=0.1,0.01"]`` → ``{"optimizer": [...], "lr": [...]}``."""
    from nnviz.timeline.race import check_vary

    names = {f.name for f in fields(base)}
    out: dict[str, list] = {}
    for item in items or []:
        key, sep, values = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise NNVizError(N_("--vary {item}: expected NAME=V1,V2,…, e.g. optimizer=sgd,adam"),
                             item=repr(item))
        if key not in names:
            check_vary({key: [None]})  # says the setting is unknown, with the valid names
        parts = [v for v in values.split(",") if v.strip()]
        out[key] = [_value(key, v, getattr(base, key)) for v in parts]
    return check_vary(out)


def cmd_race(args) -> int:
    from nnviz.cli import _experiment, _settings_from_args
    from nnviz.cliargs import dumps
    from nnviz.timeline.race import Race

    _preset, base, _layers = _settings_from_args(args)
    vary = parse_vary(args.vary, base)  # bad --vary: refused before any data is read
    preset, exp = _experiment(args)     # the data, checked against the network's shape
    race = Race(exp.settings, vary, data=exp.data, preset=preset.name,
                follow_lr=getattr(args, "lr", None) is None, budget_bytes=args.budget * 2**20)
    if not args.json:
        print(f"# race on {exp.data.name}: {', '.join(race.names)}")
        print(f"{'run':<24} {'epoch':>6} {'train_loss':>12} {'train_acc':>10} {'test_loss':>12} "
              f"{'test_acc':>9}")
    reported = [0] * len(race.names)
    while not race.finished:
        race.step()
        for i, (name, tl) in enumerate(zip(race.names, race.timelines)):
            for e in tl.epochs[reported[i]:]:
                _print_epoch(name, e, args.json, dumps)
            reported[i] = len(tl.epochs)
    for name, err in zip(race.names, race.errors):
        if err is not None:
            sys.stderr.write(f"nnviz: {name}: {err}\n")
    return 3 if any(race.errors) else 0


def _print_epoch(name, e, as_json, dumps):
    if as_json:
        print(dumps({"run": name, **e}), flush=True)
        return

    def f(v, w, p):
        return f"{'-':>{w}}" if v is None else f"{v:>{w}.{p}f}"
    print(f"{name:<24} {e['epoch']:>6} {f(e['train_loss'], 12, 6)} {f(e['train_acc'], 10, 4)} "
          f"{f(e['test_loss'], 12, 6)} {f(e['test_acc'], 9, 4)}", flush=True)


def add_parsers(sub) -> None:
    from nnviz.cli import _add_model_flags
    from nnviz.cliargs import text, whole

    add_train_flags(sub.choices["train"])
    sp = sub.add_parser("timeline", help="list the checkpoints of a recorded run (nnviz train --record)")
    sp.add_argument("file", metavar="FILE", type=text("FILE"), help="a run file")
    sp.add_argument("--json", action="store_true", help="one JSON document")
    sp.set_defaults(func=cmd_timeline)

    sp = sub.add_parser("race", help="train variants of one setup in lockstep on the same samples")
    _add_model_flags(sp, train=True)
    sp.add_argument("--vary", action="append", required=True, metavar="NAME=V1,V2,…",
                    help="a setting and its values, e.g. optimizer=sgd,momentum,adam or lr=0.1,0.01 "
                         "(repeat for every combination)")
    sp.add_argument("--budget", type=whole("epochs"), default=256, metavar="MB",
                    help="memory for the timelines of all variants together, in MB (default 256)")
    sp.add_argument("--json", action="store_true", help="one JSON object per variant and epoch")
    sp.set_defaults(func=cmd_race)
