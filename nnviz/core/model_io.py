"""Saving and loading models safely: JSON for the architecture, ``.npz`` arrays, no pickle.

A model file is one ``.npz`` archive holding an ``__nnviz__`` entry (UTF-8 JSON as ``uint8``:
format, version, architecture, hyper-parameters, and the shape, dtype and SHA-256 of every
array) plus one entry per parameter (``p:layer0.W``) and buffer (``buf:layer0.running_mean``).
It is written to a temporary file beside the target and renamed over it, so a crash never
leaves half a model; loading uses ``allow_pickle=False`` and checks every checksum.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from nnviz.core.errors import ModelFileError, NNVizError
from nnviz.core.layers import layer_from_config
from nnviz.core.memory import check_fits
from nnviz.core.network import Network
from nnviz.core.npzfile import read_npz

FORMAT = "nnviz-model"
VERSION = 1
META = "__nnviz__"


def _sha(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def _arrays(net: Network) -> dict[str, np.ndarray]:
    out = {}
    for li, layer in enumerate(net.layers):
        for k, v in layer.params.items():
            out[f"p:{li}.{k}"] = v
        for k, v in layer.buffers.items():
            out[f"buf:{li}.{k}"] = v
    return out


class SaveError(NNVizError):
    """A save that was refused or failed; whatever was at the target is unchanged."""


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-by-setting, restored at once
    os.umask(mask)
    return mask


def save_target(path: str | os.PathLike) -> Path:
    """Where a save to ``path`` really goes, or :class:`SaveError` if it must not go there.

    A symlink is followed: the file it points to is replaced and the link stays. A target
    that exists must be a regular file (never a device, FIFO, socket or folder); one that
    does not exist yet needs an existing folder.
    """
    if path is None or os.fspath(path) == "":
        raise SaveError("cannot save: no file name given")
    given = Path(path)
    try:
        real = Path(os.path.realpath(given))
        st = os.stat(real) if os.path.lexists(real) else None
    except (OSError, RuntimeError, ValueError) as exc:
        raise SaveError(f"cannot save {given}: {getattr(exc, 'strerror', None) or exc}") from None
    shown = given if real == given.absolute() else f"{given} (a link to {real})"
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise SaveError(f"cannot save to {shown}: it is {kind}, not a file; choose a file name")
    if st is None and os.path.islink(real):
        raise SaveError(f"cannot save to {shown}: the link points nowhere")
    if not real.parent.is_dir():
        raise SaveError(f"cannot save {shown}: the folder {real.parent} does not exist")
    return real


def atomic_write(path: str | os.PathLike, write, *, by_name: bool = False) -> Path:
    """Write a file atomically: ``write`` fills a temporary file beside the target, which is
    then renamed over it, so a failure (a full disk, a crash) never harms what was there.

    ``write(fileobj)`` gets the open binary temporary file, or with ``by_name=True``
    ``write(name)`` gets its name (for writers that open files themselves; the name keeps the
    target's extension). The target is checked by :func:`save_target` (symlinks followed;
    devices, FIFOs and folders refused). An existing file keeps its permission bits (and its
    owner, where allowed); a new one gets 0666 minus the umask, like any new file. Returns
    the path written (the link's target for a symlink). Errors are :class:`SaveError`.
    """
    real = save_target(path)
    try:
        old = os.stat(real) if real.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=f".tmp{real.suffix}",
                                   dir=real.parent)
    except OSError as exc:
        raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from None
    try:
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
            if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(tmp, old.st_uid, old.st_gid)
                except OSError:
                    pass  # only root may give a file away; the contents matter more
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if by_name:
            os.close(fd)
            fd = -1
            write(tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        else:
            with os.fdopen(fd, "wb") as f:
                fd = -1
                write(f)
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, real)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SaveError(f"cannot save {path}: {exc.strerror or exc}") from None
        raise
    return real


def save_model(net: Network, path: str | os.PathLike, extra: dict | None = None) -> Path:
    """Write ``net`` (and JSON-able ``extra`` hyper-parameters) to ``path`` atomically."""
    arrays = _arrays(net)
    meta = {"format": FORMAT, "version": VERSION, "network": net.config(), "extra": extra or {},
            "arrays": {k: {"shape": list(v.shape), "dtype": str(v.dtype), "sha256": _sha(v)}
                       for k, v in arrays.items()}}
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    return atomic_write(path, lambda f: np.savez(f, **{META: blob}, **arrays))


def load_model(path: str | os.PathLike) -> tuple[Network, dict]:
    """Read a model file; returns ``(network, extra)``. Raises :class:`ModelFileError`.

    Nothing is built before the description, the stored arrays' shapes and checksums and the
    architecture agree with each other and the network fits in memory.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not is_zip:
        raise ModelFileError(f"{path}: not an nnviz model file, or it is truncated "
                             f"(it is not a complete .npz archive)")
    arrays = read_npz(path, ModelFileError)
    if META not in arrays:
        raise ModelFileError(f"{path}: not an nnviz model (no {META} entry)")
    blob = arrays.pop(META)
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise ModelFileError(f"{path}: not an nnviz model (its {META} entry is not text)")
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{path}: the model description is not UTF-8 text (byte {exc.start})") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{path}: the model description is not valid JSON ({exc})") from None
    return _build(path, meta, arrays)


#: A model file's layer may not be wider than this (MNIST's input is 784).
MAX_UNITS = 1_000_000


def _whole(value, what: str, path, lo: int = 1, hi: int = MAX_UNITS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelFileError(f"{path}: invalid architecture: {what} must be a whole number, "
                             f"got {value!r}")
    if not lo <= value <= hi:
        raise ModelFileError(f"{path}: invalid architecture: {what} must be between {lo} and "
                             f"{hi}, got {value}")
    return value


def _expected_arrays(path, cfg) -> dict[str, tuple[int, ...]]:
    """Every array the described layers need, with its shape (checked sizes only)."""
    if not isinstance(cfg, dict) or not isinstance(cfg.get("layers"), list) or not cfg["layers"]:
        raise ModelFileError(f"{path}: invalid architecture: no list of layers")
    want: dict[str, tuple[int, ...]] = {}
    prev = None
    for li, c in enumerate(cfg["layers"]):
        if not isinstance(c, dict):
            raise ModelFileError(f"{path}: invalid architecture: layer {li} is not a description")
        kind = c.get("kind")
        if kind == "dense":
            n_in = _whole(c.get("n_in"), f"layer {li}'s n_in", path)
            n_out = _whole(c.get("n_out"), f"layer {li}'s n_out", path)
            if prev is not None and prev != n_in:
                raise ModelFileError(f"{path}: invalid architecture: layer {li} expects {n_in} "
                                     f"inputs but the layer before gives {prev}")
            want[f"p:{li}.W"], want[f"p:{li}.b"] = (n_in, n_out), (n_out,)
            if c.get("batchnorm"):
                for k in ("gamma", "beta"):
                    want[f"p:{li}.{k}"] = (n_out,)
                for k in ("running_mean", "running_var"):
                    want[f"buf:{li}.{k}"] = (n_out,)
            drop = c.get("dropout", 0.0)
            if isinstance(drop, bool) or not isinstance(drop, (int, float)) or not 0 <= drop < 1:
                raise ModelFileError(f"{path}: invalid architecture: layer {li}'s dropout must "
                                     f"be a number from 0 to below 1, got {drop!r}")
            prev = n_out
        elif kind == "batchnorm":
            n = _whole(c.get("n_units"), f"layer {li}'s n_units", path)
            for k in ("gamma", "beta"):
                want[f"p:{li}.{k}"] = (n,)
            for k in ("running_mean", "running_var"):
                want[f"buf:{li}.{k}"] = (n,)
        elif kind != "dropout":
            raise ModelFileError(f"{path}: invalid architecture: layer {li} has unknown kind "
                                 f"{kind!r}; valid: dense, batchnorm, dropout")
    return want


def _build(path, meta, arrays) -> tuple[Network, dict]:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not an nnviz model (format is {meta.get('format') if isinstance(meta, dict) else meta!r})")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"{path}: model format version {meta.get('version')} is not supported "
                             f"(this nnviz reads version {VERSION})")
    described = meta.get("arrays", {})
    if not isinstance(described, dict) or not all(isinstance(d, dict) for d in described.values()):
        raise ModelFileError(f"{path}: the model description's list of arrays is invalid")
    missing = sorted(set(described) - set(arrays))
    unexpected = sorted(set(arrays) - set(described))
    if missing or unexpected:
        raise ModelFileError(f"{path}: arrays do not match the description "
                             f"(missing: {', '.join(missing) or 'none'}; unexpected: {', '.join(unexpected) or 'none'})")
    for k, d in described.items():
        a = arrays[k]
        if list(a.shape) != d.get("shape") or str(a.dtype) != d.get("dtype"):
            raise ModelFileError(f"{path}: array {k} has shape {a.shape} {a.dtype}, "
                                 f"the description says {d.get('shape')} {d.get('dtype')}")
        if a.dtype.kind != "f":
            raise ModelFileError(f"{path}: array {k} holds {a.dtype} values, not floats")
        if _sha(a) != d.get("sha256"):
            raise ModelFileError(f"{path}: array {k} does not match its checksum "
                                 f"(the file was modified or corrupted)")
    cfg = meta.get("network", {})
    want = _expected_arrays(path, cfg)
    for key, shape in want.items():
        if key not in arrays:
            raise ModelFileError(f"{path}: array {key} is missing")
        if arrays[key].shape != shape:
            raise ModelFileError(f"{path}: array {key} has shape {arrays[key].shape}, "
                                 f"the architecture needs {shape}")
    extra_arrays = sorted(set(arrays) - set(want))
    if extra_arrays:
        raise ModelFileError(f"{path}: arrays {', '.join(extra_arrays)} belong to no layer")
    check_fits(5 * 8 * sum(a.size for a in arrays.values()), f"the network in {path}")
    try:
        layers = [layer_from_config(c, rng=np.random.default_rng(0)) for c in cfg["layers"]]
        net = Network(layers, loss=cfg["loss"], reduction=cfg.get("reduction", "mean"),
                      dtype=cfg.get("dtype", "float64"))
    except NNVizError as exc:
        raise ModelFileError(f"{path}: invalid architecture: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{path}: invalid architecture description ({exc!r})") from None
    for li, layer in enumerate(net.layers):
        for k in list(layer.params) + list(layer.buffers):
            key = f"p:{li}.{k}" if k in layer.params else f"buf:{li}.{k}"
            if key not in arrays:
                raise ModelFileError(f"{path}: array {key} is missing")
            target = layer.params[k] if k in layer.params else layer.buffers[k]
            if arrays[key].shape != target.shape:
                raise ModelFileError(f"{path}: array {key} has shape {arrays[key].shape}, "
                                     f"layer {li} needs {target.shape}")
            target[...] = arrays[key]
    extra = meta.get("extra", {})
    return net, extra if isinstance(extra, dict) else {}
