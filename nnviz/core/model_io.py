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

from nnviz.core.errors import N_, ModelFileError, NNVizError, cut, shown
from nnviz.core.filekind import MISSING, not_a_file
from nnviz.core.layers import layer_from_config
from nnviz.core.memory import check_fits, fmt_bytes
from nnviz.core.model_meta import MAX_META_BYTES, MAX_UNITS, check_meta, expected_arrays
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
        raise SaveError(N_("cannot save: no file name given"))
    given = Path(path)
    try:
        real = Path(os.path.realpath(given))
        st = os.stat(real) if os.path.lexists(real) else None
    except (OSError, RuntimeError, ValueError) as exc:
        raise SaveError(N_("cannot save {path}: {reason}"), path=str(given),
                        reason=getattr(exc, "strerror", None) or str(exc)) from None
    shown_path = str(given) if real == given.absolute() else f"{given} → {real}"
    if st is not None and not stat.S_ISREG(st.st_mode):
        template = (N_("cannot save to {path}: it is a folder, not a file; choose a file name")
                    if stat.S_ISDIR(st.st_mode) else
                    N_("cannot save to {path}: it is a device, not a file; choose a file name")
                    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    N_("cannot save to {path}: it is a FIFO (named pipe), not a file; choose a "
                       "file name") if stat.S_ISFIFO(st.st_mode) else
                    N_("cannot save to {path}: it is a socket, not a file; choose a file name")
                    if stat.S_ISSOCK(st.st_mode) else
                    N_("cannot save to {path}: it is not a regular file; choose a file name"))
        raise SaveError(template, path=shown_path)
    if st is None and os.path.islink(real):
        raise SaveError(N_("cannot save to {path}: the link points nowhere"), path=shown_path)
    if not real.parent.is_dir():
        raise SaveError(N_("cannot save {path}: the folder {folder} does not exist"),
                        path=shown_path, folder=str(real.parent))
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
        raise SaveError(N_("cannot save {path}: {reason}"), path=str(path),
                        reason=exc.strerror or str(exc)) from None
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
            raise SaveError(N_("cannot save {path}: {reason}"), path=str(path),
                            reason=exc.strerror or str(exc)) from None
        raise
    return real


#: Entries whose names start with this belong to something saved beside the model (a run's
#: timeline, :mod:`nnviz.timeline.runfile`): :func:`load_model` leaves them alone.
SIDE = "tl:"


def save_model(net: Network, path: str | os.PathLike, extra: dict | None = None,
               side: dict[str, np.ndarray] | None = None) -> Path:
    """Write ``net`` (and JSON-able ``extra`` hyper-parameters) to ``path`` atomically;
    ``side`` arrays (names starting with :data:`SIDE`) are stored beside the model."""
    arrays = _arrays(net)
    meta = {"format": FORMAT, "version": VERSION, "network": net.config(), "extra": extra or {},
            "arrays": {k: {"shape": list(v.shape), "dtype": str(v.dtype), "sha256": _sha(v)}
                       for k, v in arrays.items()}}
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    side = side or {}
    if not all(k.startswith(SIDE) for k in side):
        raise ValueError(f"side entries must start with {SIDE!r}")
    return atomic_write(path, lambda f: np.savez(f, **{META: blob}, **arrays, **side))


def _model_keys(path: Path) -> tuple[str, ...] | None:
    """The archive's entries that are not :data:`SIDE` entries (``None``: read them all)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename.removesuffix(".npy") for i in zf.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    if not any(n.startswith(SIDE) for n in names):
        return None
    return tuple(n for n in names if not n.startswith(SIDE))


def _meta_size(path: Path) -> None:
    """Refuse a description bigger than :data:`MAX_META_BYTES` before it is read (its size as
    the archive declares it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(META + ".npy")
    except KeyError:
        raise ModelFileError(N_("{path}: not an nnviz model (no {entry} entry)"), path=str(path),
                             entry=META) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # read_npz says what is wrong with the archive
    if info.file_size > MAX_META_BYTES + 1024:
        raise ModelFileError(N_("{path}: the model description is {size}, more than the {limit} "
                                "an nnviz model may have: the file is damaged or not a model"),
                             path=str(path), size=fmt_bytes(info.file_size),
                             limit=fmt_bytes(MAX_META_BYTES))


def load_model(path: str | os.PathLike) -> tuple[Network, dict]:
    """Read a model file; returns ``(network, extra)``. Raises :class:`ModelFileError`.

    Nothing is built before the description (at most :data:`MAX_META_BYTES`, every member of
    the expected type), the stored arrays' shapes and checksums and the architecture agree
    with each other, every parameter is a finite number and the network fits in memory.
    """
    kind = not_a_file(path)
    if kind is not None:
        raise ModelFileError(N_("{path}: no such model file") if kind == MISSING else kind,
                             path=str(path))
    path = Path(path)
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise ModelFileError(N_("{path}: cannot be read ({reason})"), path=str(path),
                             reason=exc.strerror or str(exc)) from None
    if not is_zip:
        raise ModelFileError(N_("{path}: not an nnviz model file, or it is truncated (it is not "
                                "a complete .npz archive)"), path=str(path))
    _meta_size(path)
    arrays = read_npz(path, ModelFileError, keys=_model_keys(path))
    if META not in arrays:
        raise ModelFileError(N_("{path}: not an nnviz model (no {entry} entry)"), path=str(path),
                             entry=META)
    blob = arrays.pop(META)
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise ModelFileError(N_("{path}: not an nnviz model (its {entry} entry is not text)"),
                             path=str(path), entry=META)
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelFileError(N_("{path}: the model description is not UTF-8 text (byte {byte})"),
                             path=str(path), byte=exc.start) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ModelFileError(N_("{path}: the model description is not valid JSON ({reason})"),
                             path=str(path), reason=cut(str(exc))) from None
    return _build(path, meta, arrays)


def _build(path, meta, arrays) -> tuple[Network, dict]:
    check_meta(path, meta)
    described = meta["arrays"]
    missing = sorted(set(described) - set(arrays))
    unexpected = sorted(set(arrays) - set(described))
    if missing or unexpected:
        raise ModelFileError(N_("{path}: arrays do not match the description (missing: "
                                "{missing}; unexpected: {unexpected})"), path=str(path),
                             missing=", ".join(missing) or "-", unexpected=", ".join(unexpected) or "-")
    for k, d in described.items():
        a = arrays[k]
        if list(a.shape) != d["shape"] or str(a.dtype) != d["dtype"]:
            raise ModelFileError(N_("{path}: array {array} has shape {shape} {dtype}, the "
                                    "description says {said_shape} {said_dtype}"), path=str(path),
                                 array=k, shape=a.shape, dtype=a.dtype, said_shape=shown(d["shape"]),
                                 said_dtype=shown(d["dtype"]))
        if a.dtype.kind != "f":
            raise ModelFileError(N_("{path}: array {array} holds {dtype} values, not floats"),
                                 path=str(path), array=k, dtype=a.dtype)
        if _sha(a) != d["sha256"]:
            raise ModelFileError(N_("{path}: array {array} does not match its checksum (the file "
                                    "was modified or corrupted)"), path=str(path), array=k)
        bad = int(a.size - np.count_nonzero(np.isfinite(a)))
        if bad:
            raise ModelFileError(N_("{path}: array {array} holds {n} values that are not finite "
                                    "numbers (NaN or infinity): this model is broken, perhaps "
                                    "saved after its training diverged"), path=str(path), array=k, n=bad)
    cfg = meta["network"]
    want = expected_arrays(path, cfg)
    for key, shape in want.items():
        if key not in arrays:
            raise ModelFileError(N_("{path}: array {array} is missing"), path=str(path), array=key)
        if arrays[key].shape != shape:
            raise ModelFileError(N_("{path}: array {array} has shape {shape}, the architecture "
                                    "needs {need}"), path=str(path), array=key,
                                 shape=arrays[key].shape, need=shape)
    extra_arrays = sorted(set(arrays) - set(want))
    if extra_arrays:
        raise ModelFileError(N_("{path}: arrays {arrays} belong to no layer"), path=str(path),
                             arrays=", ".join(extra_arrays))
    check_fits(5 * 8 * sum(a.size for a in arrays.values()), f"the network in {path}")
    try:
        layers = [layer_from_config(c, rng=np.random.default_rng(0)) for c in cfg["layers"]]
        net = Network(layers, loss=cfg["loss"], reduction=cfg.get("reduction", "mean"),
                      dtype=cfg.get("dtype", "float64"))
    except NNVizError as exc:
        raise ModelFileError(N_("{path}: invalid architecture: {reason}"), path=str(path),
                             reason=str(exc)) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(N_("{path}: invalid architecture description ({reason})"),
                             path=str(path), reason=cut(repr(exc))) from None
    for li, layer in enumerate(net.layers):
        for k in list(layer.params) + list(layer.buffers):
            key = f"p:{li}.{k}" if k in layer.params else f"buf:{li}.{k}"
            if key not in arrays:
                raise ModelFileError(N_("{path}: array {array} is missing"), path=str(path), array=key)
            target = layer.params[k] if k in layer.params else layer.buffers[k]
            if arrays[key].shape != target.shape:
                raise ModelFileError(N_("{path}: array {array} has shape {shape}, layer {layer} "
                                        "needs {need}"), path=str(path), array=key,
                                     shape=arrays[key].shape, layer=li, need=target.shape)
            target[...] = arrays[key]
    return net, dict(meta.get("extra") or {})
