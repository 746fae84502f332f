"""``nnviz``: with no sub-command it opens the window; the sub-commands are headless.

Every result the window shows can be reproduced here: ``presets``, ``trace``, ``train``,
``gradcheck``, ``bench`` and ``data``. User errors print one clear line to stderr and exit
with code 2 (3 when training diverged); there is never a Python traceback for them.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from nnviz import __version__
from nnviz.cliargs import Progress, dumps, range_help, real, text, whole
from nnviz.core.errors import NNVizError


# ---------------------------------------------------------------------------------------------
# settings from flags
def _settings_from_args(args, base=None):
    """The preset's settings (or ``base``) with the command line's overrides applied."""
    from nnviz.experiment import parse_layers
    from nnviz.presets import get_preset

    preset = get_preset(args.preset)
    s = (preset.settings if base is None else base).replace()
    over = {}
    for flag, key in (("optimizer", "optimizer"), ("lr", "lr"), ("epochs", "epochs"), ("loss", "loss"),
                      ("init", "init"), ("seed", "seed"), ("dtype", "dtype"), ("schedule", "schedule"),
                      ("reduction", "reduction"), ("weight_decay", "weight_decay"), ("l1", "l1"),
                      ("dropout", "dropout")):
        v = getattr(args, flag, None)
        if v is not None:
            over[key] = v
    if getattr(args, "batch_size", None) is not None:
        over["batch_size"] = None if args.batch_size == 0 else args.batch_size
    if getattr(args, "activation", None):
        over["activation"] = args.activation
        over["activations"] = None
    if getattr(args, "output_activation", None):
        over["output_activation"] = args.output_activation
        over["activations"] = None
    if getattr(args, "batchnorm", False):
        over["batchnorm"] = True
    if getattr(args, "augment", False):
        over["augment"] = True
    if getattr(args, "dataset", None):
        over["dataset"] = args.dataset
    from nnviz.data.cli import csv_options
    if csv_options(args):  # --label-column, --delimiter, --encoding
        over["data_options"] = {**s.data_options, **csv_options(args)}
    if "optimizer" in over and "lr" not in over and over["optimizer"] != s.optimizer:
        from nnviz.core.optim import OPTIMIZERS
        over["lr"] = OPTIMIZERS.get_cls(over["optimizer"]).defaults.get("lr", s.lr)
    if "dataset" in over:
        over["weights"] = None  # fixed weights fit the preset's own data only
    s = s.replace(**over)
    layers = parse_layers(args.layers) if getattr(args, "layers", None) else None
    if layers is not None:
        s = s.replace(hidden=layers[1:-1], weights=None)
    return preset, s, layers


def _experiment(args, progress=None):
    from nnviz.experiment import build
    from nnviz.presets import preset_data

    preset, s, layers = _settings_from_args(args)
    if preset.kind == "graph":
        raise NNVizError(f"preset {preset.name!r} is a computational graph, not a network: "
                         f"use `nnviz trace --preset {preset.name}`")
    data = preset_data(preset, s, progress=progress, download=getattr(args, "download", False))
    if layers is not None:
        from nnviz.core.errors import ShapeError
        from nnviz.experiment import output_size
        want = (data.n_features, output_size(data, s))
        if (layers[0], layers[-1]) != want:
            raise ShapeError(f"--layers {args.layers}: the data {data.name!r} needs {want[0]} inputs "
                             f"and {want[1]} outputs (e.g. {want[0]},{','.join(map(str, layers[1:-1])) + ',' if len(layers) > 2 else ''}{want[1]})")
    return preset, build(s, data=data)


# ---------------------------------------------------------------------------------------------
# commands
def cmd_presets(args) -> int:
    from nnviz.presets import PRESETS

    if args.json:
        print(json.dumps({n: {"description": p.description, "kind": p.kind, "expected": p.expected}
                          for n, p in PRESETS.items()}, ensure_ascii=False, indent=1))
        return 0
    width = max(map(len, PRESETS))
    for n, p in PRESETS.items():
        print(f"{n:<{width}}  {p.description}")
    return 0


def cmd_list(args) -> int:
    """``nnviz list`` — every registered piece by kind."""
    from nnviz.core.activations import ACTIVATIONS
    from nnviz.core.init import INITIALIZERS
    from nnviz.core.losses import LOSSES
    from nnviz.core.optim import OPTIMIZERS
    from nnviz.core.schedules import SCHEDULES

    tables = {"activations": ACTIVATIONS, "losses": LOSSES, "initializers": INITIALIZERS,
              "optimizers": OPTIMIZERS, "schedules": SCHEDULES}
    if args.json:
        print(json.dumps({k: t.describe() for k, t in tables.items()}, ensure_ascii=False, indent=1))
        return 0
    for kind, table in tables.items():
        print(f"{kind}:")
        for n, d in table.describe().items():
            print(f"  {n:<15} {d}")
    return 0


def _graph_trace(args) -> int:
    from nnviz.core.graph import apple_graph

    g = apple_graph()
    out = g.forward()
    g.backward(1.0)
    if args.json:
        print(dumps({"preset": "apple", "output": out, "nodes": g.nodes(), "trace": g.trace}))
        return 0
    print("apple computational graph: price = apple × count × tax")
    print(f"{'node':<12} {'value':>22} {'d price / d node':>22}")
    for n in g.nodes():
        print(f"{n['name']:<12} {n['value']!r:>22} {n['grad']!r:>22}")
    return 0


def cmd_trace(args) -> int:
    from nnviz.presets import get_preset

    if get_preset(args.preset).kind == "graph":
        return _graph_trace(args)
    preset, exp = _experiment(args)
    net, data = exp.net, exp.data
    layers_before = [{"name": l.name, "activation": l.activation.name, "W": l.W.copy(), "b": l.b.copy()}
                     for l in net.dense_layers()]
    if preset.trace_all and args.sample is None:
        x_raw, y_raw = data.x_train, data.y_train
    else:
        i = args.sample or 0
        if not 0 <= i < len(data.x_train):
            raise NNVizError(f"--sample {i}: the training set has samples 0..{len(data.x_train) - 1}")
        x_raw, y_raw = data.x_train[i:i + 1], data.y_train[i:i + 1]
    x = data.inputs(x_raw, dtype=net.dtype)
    from nnviz.experiment import output_size

    t = data.targets(y_raw, dtype=net.dtype, off=exp.settings.target_off, on=exp.settings.target_on,
                     n_outputs=output_size(data, exp.settings))
    from nnviz.clitrace import print_text, trace_steps, write_json

    steps = trace_steps(net, x, t, exp.optimizer, args.steps) if net.can_train() else iter(
        [net.trace_forward(x)])
    first = next(steps)
    doc = {"preset": preset.name, "weight_layout": net.weight_layout, "layers": layers_before,
           "input": x, "target": t, "loss_name": net.loss.name, "loss_reduction": net.loss.reduction,
           "output": first.output(0), "trainable": net.can_train(),
           "optimizer": str(exp.optimizer) if net.can_train() else None}
    (write_json if args.json else print_text)(doc, first, steps)
    return 0


def cmd_train(args) -> int:
    from nnviz.core.model_io import load_model, save_model, save_target
    from nnviz.timeline.cli import start_train

    for target in filter(None, (args.save, args.record)):
        save_target(target)  # a target that cannot take a model is refused before training
    preset, exp, rec = start_train(args, _experiment)  # (--from FILE@STEP, --record FILE)
    if args.load:
        from nnviz.experiment import with_network

        net, _extra = load_model(args.load)
        exp = with_network(exp.settings, exp.data, net)
    if exp.trainer is None:
        raise NNVizError(f"preset {preset.name!r} uses the step activation and cannot be trained; "
                         f"try `nnviz trace --preset {preset.name}`")
    tr, s = exp.trainer, exp.settings
    if not args.json:
        print(f"# {preset.name} on {exp.data.name}: {' → '.join(map(str, exp.net.sizes))}, "
              f"{exp.optimizer}, batch {tr.batch_size} ({tr.mode}), {s.dtype}")
        print(f"{'epoch':>6} {'train_loss':>12} {'train_acc':>10} {'test_loss':>12} {'test_acc':>9} "
              f"{'seconds':>8} {'lr':>9}")
    every = args.every
    res = None
    for e in range(tr.epoch, s.epochs):
        bar = Progress(tr.steps_per_epoch, f"epoch {e + 1}/{s.epochs}")
        res = rec.run_epoch(tr, on_batch=lambda r: bar.update(r.step, f"loss {r.loss:.4g}"))
        bar.close()
        if (e + 1) % every and e + 1 != s.epochs:
            continue
        if args.json:
            print(dumps(res.as_dict()), flush=True)
        else:
            def f(v, w, p):
                return f"{'-':>{w}}" if v is None else f"{v:>{w}.{p}f}"
            print(f"{res.epoch:>6} {f(res.train_loss, 12, 6)} {f(res.train_acc, 10, 4)} "
                  f"{f(res.test_loss, 12, 6)} {f(res.test_acc, 9, 4)} {res.seconds:>8.3f} {res.lr:>9.3g}",
                  flush=True)
        if args.json:
            sys.stderr.write(f"epoch {res.epoch}/{s.epochs}: loss {res.train_loss:.5g}"
                             + (f", test acc {res.test_acc:.4f}" if res.test_acc is not None else "")
                             + f" ({res.seconds:.2f} s)\n")
    if args.save:
        import shlex
        extra = {"preset": preset.name, "settings": s.to_dict(),
                 "command": shlex.join(["nnviz", *getattr(args, "argv", [])]),
                 "test_acc": res.test_acc if res is not None else None}
        path = save_model(exp.net, args.save, extra=extra)
        sys.stderr.write(f"saved model to {path}\n" if str(path) == os.path.abspath(args.save)
                         else f"saved model to {path} (the file {args.save} links to)\n")
    rec.save(exp, args, res)
    return 0


def cmd_gradcheck(args) -> int:
    import numpy as np

    from nnviz.core.gradcheck import gradient_check

    _, s, _ = _settings_from_args(args)
    args.dtype = "float64"
    preset, exp = _experiment(args)
    n = min(len(exp.data.x_train), args.samples)
    x = exp.data.inputs(exp.data.x_train[:n], dtype=np.float64)
    t = exp.trainer.t_train[:n] if exp.trainer else None
    if t is None:
        raise NNVizError(f"preset {preset.name!r} cannot be trained, so it has no gradients to check")
    res = gradient_check(exp.net, x, t, max_params=args.max_params)
    res["preset"] = preset.name
    print(dumps(res) if args.json else
          f"{preset.name}: max relative error {res['max_rel_error']:.3e} over {res['checked']} parameters "
          f"(worst: {res['worst']})")
    return 0 if res["max_rel_error"] < 1e-6 else 1


def cmd_bench(args) -> int:
    from nnviz.bench import main

    return main(args)


def cmd_app(args) -> int:
    try:
        from nnviz.app.main import run_app
    except ImportError as exc:  # e.g. Qt libraries missing on this machine
        raise NNVizError(f"cannot start the window: {exc}. Headless commands still work "
                         f"(nnviz --help).") from None
    return run_app(args)


# ---------------------------------------------------------------------------------------------
def _add_model_flags(p, train: bool) -> None:
    p.add_argument("--preset", default="mnist-fast" if train else "network-2-2-1",
                   help="named setup (see `nnviz presets`)")
    p.add_argument("--optimizer", help="sgd, momentum, nesterov, adagrad, rmsprop, adam")
    p.add_argument("--lr", type=real("learning rate", lo=0, lo_open=True),
                   help="learning rate (a positive number)")
    p.add_argument("--loss", help="mse, sse_half, mae, huber, smooth_l1, bce, cross_entropy")
    p.add_argument("--reduction", choices=["mean", "sum"])
    p.add_argument("--init", help="initialiser for the weights (see `nnviz list`)")
    p.add_argument("--seed", type=whole("seed"), help=range_help("seed", "random seed"))
    p.add_argument("--dtype", choices=["float32", "float64"])
    p.add_argument("--dataset", help="dataset name (`nnviz data list`) or a CSV/IDX/npz file")
    p.add_argument("--label-column", type=text("--label-column"), metavar="COLUMN",
                   help="CSV files: the label column, by header name or number (1 = first, -1 = last)")
    from nnviz.data.cli import add_csv_flags
    add_csv_flags(p)
    p.add_argument("--download", action="store_true", help="download the dataset if it is not found")
    if train:
        p.add_argument("--epochs", type=whole("epochs"), help=range_help("epochs"))
        p.add_argument("--batch-size", type=whole("batch-size"),
                       help=range_help("batch-size", "1 = per sample, 0 = full batch"))
        p.add_argument("--layers", help="sizes, e.g. 784,100,10 (input and output must fit the data)")
        p.add_argument("--activation", help="activation of the hidden layers")
        p.add_argument("--output-activation", help="activation of the last layer")
        p.add_argument("--schedule", help="step, multistep, exponential")
        p.add_argument("--weight-decay", type=real("weight decay", lo=0),
                       help="L2 penalty (PyTorch's weight_decay), a number ≥ 0")
        p.add_argument("--l1", type=real("L1 penalty", lo=0), help="L1 penalty, a number ≥ 0")
        p.add_argument("--dropout", type=real("dropout", lo=0, hi=1, hi_open=True),
                       help="dropout probability of hidden layers, 0 to below 1")
        p.add_argument("--batchnorm", action="store_true", help="batch-norm before hidden activations")
        p.add_argument("--augment", action="store_true",
                       help="randomly rotate, scale, shift, shear and thicken training images")


class OneLineErrorParser(argparse.ArgumentParser):
    """A bad argument is one line (what is wrong, and where the help is), not the whole usage."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    p = OneLineErrorParser(prog="nnviz", description="Watch a neural network learn. "
                                "With no command, opens the window.")
    p.add_argument("--version", action="version", version=f"nnviz {__version__}")
    p.add_argument("--self-test", action="store_true",
                   help="open the window offscreen, train a few batches, check and exit")
    p.add_argument("--lang", help="interface language, e.g. en (remembered for the next start)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser)

    sp = sub.add_parser("presets", help="list the named setups (the seeds' lessons)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_presets)

    sp = sub.add_parser("list", help="list activations, losses, initialisers, optimizers, schedules")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("trace", help="run N training steps and print every intermediate value")
    _add_model_flags(sp, train=False)
    sp.add_argument("--steps", type=whole("steps"), default=1, help=range_help("steps", "training steps"))
    sp.add_argument("--sample", type=whole("sample"),
                    help="which training sample (default: 0, or all for gates)")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_trace)

    sp = sub.add_parser("train", help="train and print one line per epoch")
    _add_model_flags(sp, train=True)
    sp.add_argument("--save", metavar="FILE", type=text("--save"),
                    help="write the trained model here (a link is followed to its file)")
    sp.add_argument("--load", metavar="FILE", type=text("--load"), help="start from a saved model")
    sp.add_argument("--every", type=whole("every"), default=1,
                    help=range_help("every", "print every N-th epoch (and the last)"))
    sp.add_argument("--json", action="store_true", help="one JSON object per epoch")
    sp.set_defaults(func=cmd_train)

    sp = sub.add_parser("gradcheck", help="compare backprop with central differences")
    _add_model_flags(sp, train=True)
    sp.add_argument("--samples", type=whole("samples"), default=8, help=range_help("samples"))
    sp.add_argument("--max-params", type=whole("max-params"), default=400,
                    help=range_help("max-params", "parameters to check"))
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_gradcheck)

    sp = sub.add_parser("bench", help="time training (and PyTorch beside it, if installed)")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--epochs", type=whole("epochs"), default=1, help=range_help("epochs"))
    sp.add_argument("--quick", action="store_true", help="small nets only (no MNIST epoch)")
    sp.add_argument("--no-torch", action="store_true", help="do not run PyTorch even if installed")
    sp.add_argument("--gui", action="store_true",
                    help="window figures: throughput with the window open, UI latency, redraw, start-up")
    sp.add_argument("--soak", type=real("--soak", lo=0, lo_open=True), metavar="MINUTES",
                    help="with --gui: train MNIST with live redraws this long; memory and refcounts")
    sp.add_argument("--seconds", type=real("--seconds", lo=0, lo_open=True), default=3.0, help="with --gui: seconds per measurement")
    sp.set_defaults(func=cmd_bench)

    from nnviz.classify import add_classify_parser
    add_classify_parser(sub)
    from nnviz.lessons.cli import add_parsers as add_lesson_parsers
    add_lesson_parsers(sub)
    from nnviz.timeline.cli import add_parsers as add_timeline_parsers  # and train's flags
    add_timeline_parsers(sub)
    try:
        from nnviz.data.cli import add_data_parser
        add_data_parser(sub)
    except ImportError:
        pass
    return p


def main(argv: list[str] | None = None) -> int:
    if not os.environ.get("LANG"):
        os.environ["LANG"] = "C.UTF-8"
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    func = getattr(args, "func", None) or cmd_app
    if args.command == "data" and func is cmd_app:
        from nnviz.data.cli import run_data
        func = run_data
    try:
        return int(func(args) or 0)
    except NNVizError as exc:
        sys.stderr.write(f"nnviz: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("nnviz: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        sys.stderr.write("nnviz: error: out of memory (try something smaller: the data, the picture, the network or the batch)\n")
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        from nnviz.cliargs import unexpected_message
        sys.stderr.write(unexpected_message(exc))
        return 1


if __name__ == "__main__":
    sys.exit(main())
