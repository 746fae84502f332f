"""``nnviz landscape``: the loss over a 2-D slice of weight space, as JSON.

``nnviz landscape [setup flags as for train] [--epochs N] [--load MODEL] [--record FILE]
--axes w:L:R:C,w:L:R:C | b:L:I,… | random | pca [--span S] [--grid N] [--subset K] [--seed X] --json``

Builds the setup (default preset ``xor``), trains ``--epochs`` (default 0) while recording a
timeline (``--record FILE`` also writes the run there, as ``nnviz train --record`` does), then
prints one object: ``alphas``, ``betas``, ``loss`` (``loss[i][j]`` at ``alphas[i]``,
``betas[j]``; ``null`` where not finite), ``center_loss``, ``directions`` and ``paths``. With
``--epochs 0`` (the default) and ``--record FILE`` the recorded run is read instead: its last
weights are the centre (unless ``--load``) and its checkpoints the path. ``--seed`` seeds the
setup, the random directions and the subset alike.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_
from nnviz.landscape.surface import MAX_GRID, MIN_GRID


def _grid(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from {MIN_GRID} to {MAX_GRID}, got {text!r}") from None
    if not MIN_GRID <= n <= MAX_GRID:
        raise argparse.ArgumentTypeError(f"must be from {MIN_GRID} to {MAX_GRID}, got {n}")
    return n


def _subset(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of samples (at least 1), got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 sample, got {n}")
    return n


def add_parsers(sub) -> None:
    from nnviz.cli import _add_model_flags
    from nnviz.cliargs import real, text

    sp = sub.add_parser("landscape", help="the loss over a 2-D slice of weight space (and the training path on it)")
    _add_model_flags(sp, train=True)
    sp.set_defaults(preset="xor")
    sp.add_argument("--load", metavar="MODEL", type=text("--load"), help="start from a saved model")
    sp.add_argument("--record", metavar="FILE", type=text("--record"),
                    help="with --epochs: write the run with its timeline here; without: read a recorded run")
    sp.add_argument("--axes", required=True,
                    help="w:LAYER:ROW:COL,w:LAYER:ROW:COL (b:LAYER:INDEX for a bias; 0-based, W in the "
                         "in_out layout), random (filter-normalised) or pca (of the recorded path)")
    sp.add_argument("--span", type=real("span", lo=0, lo_open=True),
                    help="α and β go from -S to S (default: 1, or the path's reach with a margin)")
    sp.add_argument("--grid", type=_grid, default=31, help=f"points per side, {MIN_GRID} to {MAX_GRID} (default 31)")
    sp.add_argument("--subset", type=_subset, help="use K training samples (drawn once with --seed)")
    sp.add_argument("--bias", choices=["zero", "filter"], default="zero",
                    help="random directions: biases 0 (default, as Li et al.) or normalised with their neuron")
    sp.add_argument("--json", action="store_true", help="one JSON object")
    sp.set_defaults(func=cmd_landscape)


def _train(exp, epochs: int):
    """Train ``epochs`` epochs, recording a timeline when nnviz.timeline is there."""
    try:
        from nnviz.timeline import Timeline
    except ImportError:
        Timeline = None
    tl = Timeline(settings=exp.settings) if Timeline is not None else None
    tr = exp.trainer
    if tl is not None:
        tl.record(tr, force=True)
    for e in range(epochs):
        done = False
        while not done:
            r = tr.train_batch()
            done = r.epoch_done
            res = tr.finish_epoch() if done else None
            if tl is not None:
                tl.record(tr, loss=r.loss, epoch_result=res)
        sys.stderr.write(f"epoch {e + 1}/{epochs}\n")
    return tl


def _setup(args):
    """``(experiment, timeline or None, run name)``: built, trained or read from a run file."""
    from nnviz.cli import _experiment
    from nnviz.experiment import with_network

    epochs = args.epochs or 0
    timeline, name = None, None
    if args.record and not epochs:
        from nnviz.experiment import load_data
        from nnviz.timeline import load_run

        run = load_run(args.record)
        data = load_data(run.settings)
        net = run.net
        if args.load:
            from nnviz.core.model_io import load_model
            net, _extra = load_model(args.load)
        return with_network(run.settings, data, net), run.timeline, str(args.record)
    _preset, exp = _experiment(args)
    if args.load:
        from nnviz.core.model_io import load_model
        net, _extra = load_model(args.load)
        exp = with_network(exp.settings, exp.data, net)
    if epochs:
        if exp.trainer is None:
            raise NNVizError(N_("this network cannot be trained (the step activation has no gradient); use --epochs 0"))
        timeline = _train(exp, epochs)
        if args.record and timeline is not None:
            from nnviz.timeline import save_run
            save_run(args.record, exp.net, exp.settings, timeline)
            sys.stderr.write(f"recorded the run to {args.record}\n")
        name = str(args.record) if args.record else "run"
    return exp, timeline, name


def landscape_doc(args) -> dict:
    from nnviz.landscape.compute import compute_surface, default_span, make_directions, project_paths
    from nnviz.landscape.surface import PlaneLoss, subset_rows
    from nnviz.experiment import output_size

    exp, timeline, name = _setup(args)
    net, data, s = exp.net, exp.data, exp.settings
    seed = args.seed if args.seed is not None else 0
    used = subset_rows(len(data.x_train), args.subset, seed)
    x = data.inputs(data.x_train[used], dtype=net.dtype)
    t = (exp.trainer.t_train[used] if exp.trainer is not None else
         data.targets(data.y_train[used], dtype=net.dtype, off=s.target_off, on=s.target_on,
                      n_outputs=output_size(data, s)))
    center = np.array(net.flat_params)
    checkpoints = timeline.checkpoints() if timeline is not None else []
    steps = [int(c.step) for c in checkpoints]
    rows = [np.asarray(c.params, dtype=np.float64) for c in checkpoints]
    if rows and not np.array_equal(rows[-1], center):   # the path ends at the current weights
        rows.append(center.astype(np.float64))
        steps.append(int(exp.trainer.global_step) if exp.trainer is not None else steps[-1])
    path = np.array(rows) if rows else np.zeros((0, net.n_params))
    directions = make_directions(net, args.axes, seed=seed, paths=[path] if len(path) else [],
                                 bias=args.bias, center=center)
    projected = project_paths([path], center, directions) if len(path) else []
    span = args.span if args.span is not None else default_span(directions, [p["coords"] for p in projected])
    surf = compute_surface(net, x, t, directions, span=span, grid=args.grid, center=center,
                           evaluator=PlaneLoss(net, x, t))
    doc = surf.as_dict()
    doc["subset"] = None if args.subset is None else int(min(args.subset, len(data.x_train)))
    doc["loss_name"] = net.loss.name
    doc["sizes"] = net.sizes
    doc["paths"] = [{"name": name, "steps": steps,
                     "alphas": p["coords"][:, 0].tolist(), "betas": p["coords"][:, 1].tolist(),
                     "off_plane": p["off"].tolist()} for p in projected]
    return doc


def cmd_landscape(args) -> int:
    from nnviz.cliargs import dumps

    doc = landscape_doc(args)
    if args.json:
        print(dumps(doc))
        return 0
    d = doc["directions"]
    loss = np.array([[np.nan if v is None else v for v in row] for row in doc["loss"]])
    print(f"directions: {d['kind']} {d.get('axes', '')}".rstrip())
    print(f"span ±{doc['span']:g}, grid {doc['grid']}×{doc['grid']}, {doc['samples']} samples")
    print(f"loss at the centre: {doc['center_loss']:.6g}; over the grid: "
          f"{np.nanmin(loss):.6g} to {np.nanmax(loss):.6g}")
    for p in doc["paths"]:
        print(f"path {p['name']}: {len(p['alphas'])} checkpoints, starts at "
              f"({p['alphas'][0]:.4g}, {p['betas'][0]:.4g})")
    return 0
