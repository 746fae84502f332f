"""A model file's description (its ``__nnviz__`` JSON), checked whole before anything is built.

Every member the loader reads is checked for its type, not only its presence: the format and
version, the list of arrays (shape, dtype, checksum), the architecture (every layer's sizes
and options) and the ``extra`` document (``settings`` must be an object, ``test_acc`` a number
from 0 to 1 or null...). Each refusal names the file and the member, with the value quoted
short (:func:`nnviz.core.errors.shown`).
"""
from __future__ import annotations

import math

from nnviz.core.errors import N_, ModelFileError, shown

#: The description may be at most this big (bytes of JSON); real ones are a few KB.
MAX_META_BYTES = 1024 * 1024
#: A model file's layer may not be wider than this (MNIST's input is 784).
MAX_UNITS = 1_000_000

#: "{member} must be …", by the type it must have (the member is named as in the file).
BAD_TYPE = {
    str: N_("{path}: invalid model description: {member} must be text, got {value}"),
    dict: N_("{path}: invalid model description: {member} must be an object, got {value}"),
    list: N_("{path}: invalid model description: {member} must be a list, got {value}"),
    bool: N_("{path}: invalid model description: {member} must be true or false, got {value}"),
    float: N_("{path}: invalid model description: {member} must be a finite number, got {value}"),
}
BAD_SHAPE = N_("{path}: invalid model description: {member} must be a list of whole numbers, "
               "got {value}")
BAD_ACCURACY = N_("{path}: invalid model description: extra.test_acc must be a number from 0 to "
                  "1, got {value}")
BAD_ARCH = N_("{path}: invalid architecture: layer {layer}'s {member} must be a whole number, "
              "got {value}")
OUT_OF_RANGE = N_("{path}: invalid architecture: layer {layer}'s {member} must be between {lo} "
                  "and {hi}, got {value}")


def _type_ok(value, types: tuple) -> bool:
    if isinstance(value, bool):
        return bool in types
    if float in types and isinstance(value, (int, float)):
        return math.isfinite(value)
    return isinstance(value, types)


def need(path, meta: dict, key: str, types: tuple, member: str, optional: bool = True):
    """``meta[key]`` if it is one of ``types`` (or absent/None when ``optional``), else refused."""
    value = meta.get(key) if isinstance(meta, dict) else None
    if value is None and optional:
        return None
    if not _type_ok(value, types):
        raise ModelFileError(BAD_TYPE[types[0]], path=str(path), member=member, value=shown(value))
    return value


def whole(value, layer: int, member: str, path, lo: int = 1, hi: int = MAX_UNITS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelFileError(BAD_ARCH, path=str(path), layer=layer, member=member, value=shown(value))
    if not lo <= value <= hi:
        raise ModelFileError(OUT_OF_RANGE, path=str(path), layer=layer, member=member, lo=lo,
                             hi=hi, value=value)
    return value


def check_meta(path, meta) -> None:
    """Refuse a description whose members are not what the loader reads (types and ranges)."""
    if not isinstance(meta, dict):
        raise ModelFileError(N_("{path}: not an nnviz model (its description is {value}, not an "
                                "object)"), path=str(path), value=shown(meta))
    from nnviz.core.model_io import FORMAT, VERSION

    if meta.get("format") != FORMAT:
        raise ModelFileError(N_("{path}: not an nnviz model (format is {format})"), path=str(path),
                             format=shown(meta.get("format")))
    version = meta.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise ModelFileError(N_("{path}: model format version {version} is not supported (this "
                                "nnviz reads version {supported})"), path=str(path),
                             version=shown(version), supported=VERSION)
    described = need(path, meta, "arrays", (dict,), "arrays", optional=False)
    for key, d in described.items():
        member = f"arrays[{shown(key)}]"
        need(path, described, key, (dict,), member, optional=False)
        shape = need(path, d, "shape", (list,), f"{member}.shape", optional=False)
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
            raise ModelFileError(BAD_SHAPE, path=str(path), member=f"{member}.shape",
                                 value=shown(shape))
        need(path, d, "dtype", (str,), f"{member}.dtype", optional=False)
        need(path, d, "sha256", (str,), f"{member}.sha256", optional=False)
    net = need(path, meta, "network", (dict,), "network", optional=False)
    need(path, net, "layers", (list,), "network.layers", optional=False)
    need(path, net, "loss", (str,), "network.loss", optional=False)
    for key in ("reduction", "dtype", "weight_layout"):
        need(path, net, key, (str,), f"network.{key}")
    for li, layer in enumerate(net["layers"]):
        member = f"network.layers[{li}]"
        if not isinstance(layer, dict):
            raise ModelFileError(N_("{path}: invalid architecture: layer {layer} is not a "
                                    "description"), path=str(path), layer=li)
        for key in ("kind", "name", "activation", "init", "bias_init"):
            need(path, layer, key, (str,), f"{member}.{key}")
        need(path, layer, "batchnorm", (bool,), f"{member}.batchnorm")
        for key in ("dropout", "momentum", "eps", "p"):
            need(path, layer, key, (float,), f"{member}.{key}")
    extra = need(path, meta, "extra", (dict,), "extra")
    if extra:
        settings = need(path, extra, "settings", (dict,), "extra.settings")
        for key in ("preset", "command", "app"):
            need(path, extra, key, (str,), f"extra.{key}")
        acc = need(path, extra, "test_acc", (float,), "extra.test_acc")
        if acc is not None and not 0 <= acc <= 1:
            raise ModelFileError(BAD_ACCURACY, path=str(path), value=shown(acc))
        if settings:
            need(path, settings, "scaling", (str,), "extra.settings.scaling")


def expected_arrays(path, cfg) -> dict[str, tuple[int, ...]]:
    """Every array the described layers need, with its shape (checked sizes only)."""
    if not isinstance(cfg, dict) or not isinstance(cfg.get("layers"), list) or not cfg["layers"]:
        raise ModelFileError(N_("{path}: invalid architecture: no list of layers"), path=str(path))
    want: dict[str, tuple[int, ...]] = {}
    prev = None
    for li, c in enumerate(cfg["layers"]):
        if not isinstance(c, dict):
            raise ModelFileError(N_("{path}: invalid architecture: layer {layer} is not a "
                                    "description"), path=str(path), layer=li)
        kind = c.get("kind")
        if kind == "dense":
            n_in = whole(c.get("n_in"), li, "n_in", path)
            n_out = whole(c.get("n_out"), li, "n_out", path)
            if prev is not None and prev != n_in:
                raise ModelFileError(N_("{path}: invalid architecture: layer {layer} expects "
                                        "{n_in} inputs but the layer before gives {prev}"),
                                     path=str(path), layer=li, n_in=n_in, prev=prev)
            want[f"p:{li}.W"], want[f"p:{li}.b"] = (n_in, n_out), (n_out,)
            if c.get("batchnorm"):
                for k in ("gamma", "beta"):
                    want[f"p:{li}.{k}"] = (n_out,)
                for k in ("running_mean", "running_var"):
                    want[f"buf:{li}.{k}"] = (n_out,)
            drop = c.get("dropout", 0.0)
            if isinstance(drop, bool) or not isinstance(drop, (int, float)) or not 0 <= drop < 1:
                raise ModelFileError(N_("{path}: invalid architecture: layer {layer}'s dropout "
                                        "must be a number from 0 to below 1, got {value}"),
                                     path=str(path), layer=li, value=shown(drop))
            prev = n_out
        elif kind == "batchnorm":
            n = whole(c.get("n_units"), li, "n_units", path)
            for k in ("gamma", "beta"):
                want[f"p:{li}.{k}"] = (n,)
            for k in ("running_mean", "running_var"):
                want[f"buf:{li}.{k}"] = (n,)
        elif kind != "dropout":
            raise ModelFileError(N_("{path}: invalid architecture: layer {layer} has unknown kind "
                                    "{kind}; valid: dense, batchnorm, dropout"),
                                 path=str(path), layer=li, kind=shown(kind))
    return want
