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
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from nnviz.core.errors import ModelFileError, NNVizError
from nnviz.core.layers import layer_from_config
from nnviz.core.network import Network

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


def atomic_write(path: str | os.PathLike, write) -> Path:
    """Call ``write(fileobj)`` on a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    if not path.parent.exists():
        raise NNVizError(f"cannot save {path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def save_model(net: Network, path: str | os.PathLike, extra: dict | None = None) -> Path:
    """Write ``net`` (and JSON-able ``extra`` hyper-parameters) to ``path`` atomically."""
    arrays = _arrays(net)
    meta = {"format": FORMAT, "version": VERSION, "network": net.config(), "extra": extra or {},
            "arrays": {k: {"shape": list(v.shape), "dtype": str(v.dtype), "sha256": _sha(v)}
                       for k, v in arrays.items()}}
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    try:
        return atomic_write(path, lambda f: np.savez(f, **{META: blob}, **arrays))
    except OSError as exc:
        raise NNVizError(f"cannot save {path}: {exc.strerror or exc}") from None


def load_model(path: str | os.PathLike) -> tuple[Network, dict]:
    """Read a model file; returns ``(network, extra)``. Raises :class:`ModelFileError`."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    if not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not an nnviz model file, or it is truncated "
                             f"(it is not a complete .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as z:
            if META not in z.files:
                raise ModelFileError(f"{path}: not an nnviz model (no {META} entry)")
            meta = json.loads(z[META].tobytes().decode("utf-8"))
            arrays = {k: z[k] for k in z.files if k != META}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ModelFileError(f"{path}: not an nnviz model file, or it is truncated/corrupted ({exc})") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ModelFileError(f"{path}: contains pickled Python objects, which nnviz refuses to load") from None
        raise ModelFileError(f"{path}: corrupted array data ({exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: the model description is not valid JSON ({exc})") from None
    except (OSError, zipfile.LargeZipFile, KeyError) as exc:
        raise ModelFileError(f"{path}: cannot be read ({exc})") from None
    return _build(path, meta, arrays)


def _build(path, meta, arrays) -> tuple[Network, dict]:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not an nnviz model (format is {meta.get('format') if isinstance(meta, dict) else meta!r})")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"{path}: model format version {meta.get('version')} is not supported "
                             f"(this nnviz reads version {VERSION})")
    described = meta.get("arrays", {})
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
        if _sha(a) != d.get("sha256"):
            raise ModelFileError(f"{path}: array {k} does not match its checksum "
                                 f"(the file was modified or corrupted)")
    cfg = meta.get("network", {})
    try:
        layers = [layer_from_config(c, rng=np.random.default_rng(0)) for c in cfg["layers"]]
        net = Network(layers, loss=cfg["loss"], reduction=cfg.get("reduction", "mean"),
                      dtype=cfg.get("dtype", "float64"))
    except NNVizError as exc:
        raise ModelFileError(f"{path}: invalid architecture: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
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
    return net, meta.get("extra", {})
