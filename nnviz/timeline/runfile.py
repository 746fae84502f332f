"""A run file: a model file (:mod:`nnviz.core.model_io`) with the run's timeline beside it.

The model's own entries are those of any model file, so :func:`~nnviz.core.model_io.load_model`
opens a run file as a plain model. The timeline lives in entries named ``tl:…``: ``tl:meta``
(UTF-8 JSON as ``uint8``: the settings, the per-epoch metrics, and every checkpoint's scalars,
with each array named by its entry), ``tl:losses`` and one entry per checkpoint array (an
array shared by several checkpoints, such as an epoch's sample order, is stored once). Written
atomically, read with ``allow_pickle=False`` and every size checked first.
"""
from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnviz.core.errors import ModelFileError, NNVizError, cut
from nnviz.core.filekind import MISSING, not_a_file
from nnviz.core.model_io import SIDE, load_model, save_model
from nnviz.core.network import Network
from nnviz.core.npzfile import read_npz
from nnviz.experiment import Settings
from nnviz.i18n import N_
from nnviz.timeline.packed import Packer
from nnviz.timeline.timeline import Checkpoint, Timeline

FORMAT = "nnviz-run"
VERSION = 1
META = SIDE + "meta"
LOSSES = SIDE + "losses"
REF = "@array"


@dataclass
class RunFile:
    """What :func:`load_run` reads: the network (at the run's end), the settings, the timeline
    and the extra values saved with it."""

    net: Network
    settings: Settings
    timeline: Timeline
    extra: dict


def _out(value, arrays: dict, names: dict, prefix: str):
    """``value`` with every array replaced by ``{REF: entry}`` (and the array put in ``arrays``)."""
    if isinstance(value, np.ndarray):
        name = names.get(id(value))
        if name is None:
            name = names[id(value)] = f"{prefix}{len(arrays)}"
            arrays[name] = value
        return {REF: name}
    if isinstance(value, dict):
        return {k: _out(v, arrays, names, prefix) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_out(v, arrays, names, prefix) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _in(value, arrays: dict):
    if isinstance(value, dict):
        if REF in value:
            a = arrays[value[REF]]
            a.flags.writeable = False
            return a
        return {k: _in(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_in(v, arrays) for v in value]
    return value


def save_run(path, net: Network, settings: Settings, timeline: Timeline, extra: dict | None = None) -> Path:
    """Write ``net`` with ``settings`` and ``timeline`` to ``path`` (atomically; no pickle)."""
    arrays: dict[str, np.ndarray] = {}
    names: dict[int, str] = {}
    cps = timeline.checkpoints()
    meta = {
        "format": FORMAT, "version": VERSION, "settings": settings.to_dict(),
        "preset": timeline.preset, "budget_bytes": timeline.budget_bytes,
        "stride": timeline.stride, "dense": timeline.dense, "last_step": timeline.last_step,
        "pinned": sorted(timeline.pinned),
        "steps_per_epoch": timeline.steps_per_epoch, "epochs": list(timeline.epochs),
        "checkpoints": [{"step": cp.step, "epoch": cp.epoch, "step_in_epoch": cp.step_in_epoch,
                         "metrics": cp.metrics, "state": _out(cp.state, arrays, names, SIDE + "a")}
                        for cp in cps],
    }
    arrays[LOSSES] = timeline.losses
    text = json.dumps(meta, sort_keys=True)
    arrays[META] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    model_extra = {"settings": settings.to_dict(), "preset": timeline.preset, "run": FORMAT,
                   **(extra or {})}
    return save_model(net, path, extra=model_extra, side=arrays)


def _side_keys(path) -> tuple[str, ...]:
    try:
        with zipfile.ZipFile(path) as zf:
            return tuple(n for n in (i.filename.removesuffix(".npy") for i in zf.infolist())
                         if n.startswith(SIDE))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return ()


def load_run(path) -> RunFile:
    """Read a run file; one clear :class:`~nnviz.core.errors.NNVizError` line for a missing,
    damaged or other file."""
    if not_a_file(path) == MISSING:
        raise ModelFileError(N_("{path}: no such run file"), path=str(path))
    net, extra = load_model(path)  # says what is wrong with a truncated or other file
    keys = _side_keys(path)
    if META not in keys:
        raise ModelFileError(N_("{path}: a model without a recorded run (no timeline in it); "
                                "record one with nnviz train --record"), path=str(path))
    arrays = read_npz(path, ModelFileError, keys=keys)
    blob = arrays.pop(META)
    try:
        if blob.dtype != np.uint8 or blob.ndim != 1:
            raise ValueError("the description is not text")
        meta = json.loads(blob.tobytes().decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError("not an nnviz run description")
        if meta.get("version") != VERSION:
            raise ModelFileError(N_("{path}: a run file of version {version}, which this nnviz "
                                    "does not read"), path=str(path), version=meta.get("version"))
        return _build(path, net, extra, meta, arrays)
    except NNVizError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise ModelFileError(N_("{path}: the recorded run in it is damaged ({reason})"),
                             path=str(path), reason=cut(str(exc) or type(exc).__name__)) from None


def _build(path, net, extra, meta, arrays) -> RunFile:
    settings = Settings.from_dict(meta["settings"])
    tl = Timeline(int(meta["budget_bytes"]), settings=settings, preset=meta.get("preset"))
    tl.stride = int(meta["stride"])
    tl.dense = int(meta.get("dense", 0))
    tl.pinned = {int(p) for p in meta.get("pinned", [])}
    tl.steps_per_epoch = meta.get("steps_per_epoch")
    tl.set_epochs([dict(e) for e in meta["epochs"]])
    n = net.flat_params.shape
    prev = -1
    packer = Packer()
    for c in meta["checkpoints"]:
        state = _in(c["state"], arrays)
        params = state["params"]
        if not isinstance(params, np.ndarray) or params.shape != n or params.dtype != net.dtype:
            raise ValueError(f"checkpoint at step {c['step']} has parameters of another shape")
        step = int(c["step"])
        if step <= prev:
            raise ValueError("checkpoints out of order")
        prev = step
        pk = packer.from_state(state)
        cp = Checkpoint(step, int(c["epoch"]), int(c["step_in_epoch"]), dict(c["metrics"]),
                        pk.params, packed=pk)
        tl.add_checkpoint(cp, thin=False)
    if not len(tl):
        raise ValueError("no checkpoints")
    tl.last_step = int(meta["last_step"])
    tl.set_losses(arrays[LOSSES])
    extra = {k: v for k, v in extra.items() if k not in ("settings", "preset", "run")}
    return RunFile(net, settings, tl, extra)


def is_run_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an archive with a recorded run in it (without reading it)."""
    return os.path.isfile(path) and META in _side_keys(Path(path))
