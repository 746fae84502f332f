"""Every remembered value is checked when it is read: a bad one falls back to its default.

What a previous session left in the settings file (``last_settings``, ``step/digits``, the recent
files, the language …) may be anything: a hand edit, a file from another version, a disk error.
Nothing read from it may stop nnviz from starting. :class:`Remembered` reads each value through
a check; a value that fails falls back to its default, the file is repaired (the good value is
written back, or the key removed), and the window shows one message naming what was reset
(:attr:`Remembered.problems`).

The settings record is checked field by field (:func:`checked_settings`): its type, its range and,
for names, the registry; a bad field takes the default's value and the other fields are kept.
"""
from __future__ import annotations

import json
import math
from dataclasses import fields

from nnviz.i18n import _

from nnviz.data.toy import MAX_SAMPLES as MAX_TOY_SAMPLES
#: Anything longer than this in one remembered value is not nnviz's (a settings record is ~1 KB).
MAX_RAW_CHARS = 200_000
MAX_HIDDEN_LAYERS, MAX_WIDTH = 16, 4096
#: A flag (default on): free runs at full speed train in a child process (nnviz.app.training.engine).
CHILD_PROCESS_KEY = "training/child_process"

_INT_RANGES = {"seed": (0, 2_147_483_647), "epochs": (0, 1_000_000), "batch_size": (0, 1_000_000)}
_FLOAT_RANGES = {"lr": (0.0, 1000.0), "weight_decay": (0.0, 1000.0), "l1": (0.0, 1000.0),
                 "dropout": (0.0, 0.9), "target_off": (-1000.0, 1000.0), "target_on": (-1000.0, 1000.0)}
_DATA_OPTIONS = {"n_samples": (int, 4, MAX_TOY_SAMPLES), "noise": (float, 0.0, 50.0),
                 "train_ratio": (float, 0.0, 1.0), "n_classes": (int, 2, 10)}


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) and math.isfinite(float(v))


def _registries() -> dict:
    from nnviz.core import ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, SCHEDULES

    return {"activation": ACTIVATIONS, "output_activation": ACTIVATIONS, "loss": LOSSES,
            "init": INITIALIZERS, "bias_init": INITIALIZERS, "optimizer": OPTIMIZERS,
            "schedule": SCHEDULES}


def _field_ok(name: str, value, default) -> bool:  # noqa: C901 - one branch per kind of field
    regs = _registries()
    if name in regs:
        return (value is None and default is None) or (isinstance(value, str) and value in regs[name])
    if name in _INT_RANGES:
        lo, hi = _INT_RANGES[name]
        if name == "batch_size" and value is None:
            return True
        return _is_int(value) and lo <= value <= hi
    if name in _FLOAT_RANGES:
        lo, hi = _FLOAT_RANGES[name]
        return _is_num(value) and lo <= float(value) <= hi and not (name == "lr" and value == 0)
    if name == "hidden":
        return (isinstance(value, list) and len(value) <= MAX_HIDDEN_LAYERS
                and all(_is_int(n) and 1 <= n <= MAX_WIDTH for n in value))
    if name in ("activations", "inits", "bias_inits"):
        reg = regs["activation" if name == "activations" else "init"]
        return value is None or (isinstance(value, list) and len(value) <= MAX_HIDDEN_LAYERS + 1
                                 and all(isinstance(v, str) and v in reg for v in value))
    if name == "data_options":
        if not isinstance(value, dict):
            return False
        for key, v in value.items():
            kind, lo, hi = _DATA_OPTIONS.get(key, (None, None, None))
            if kind is int and not (_is_int(v) and lo <= v <= hi):
                return False
            if kind is float and not (_is_num(v) and lo <= float(v) <= hi):
                return False
            if kind is None and not isinstance(v, (str, int, float, bool, list, type(None))):
                return False
        return True
    if name in ("init_options", "optimizer_options", "schedule_options", "augment_options"):
        return isinstance(value, dict) and all(isinstance(k, str) and _option_ok(v) for k, v in value.items())
    if name in ("dataset",):
        return isinstance(value, str) and 0 < len(value) < 4096 and "\0" not in value
    if name == "scaling":
        return value is None or isinstance(value, str)
    if name == "reduction":
        return value in ("mean", "sum")
    if name == "dtype":
        return value in ("float32", "float64")
    if name in ("shuffle", "batchnorm", "augment"):
        return isinstance(value, bool)
    if name == "weights":
        return value is None or isinstance(value, list)
    return type(value) is type(default)


def _option_ok(v) -> bool:
    """An option's value: a number, a flag, a short name, or a list of numbers (milestones)."""
    if isinstance(v, list):
        return len(v) <= 1000 and all(_is_num(i) for i in v)
    return _is_num(v) or isinstance(v, bool) or (isinstance(v, str) and len(v) < 200)


def checked_settings(raw, defaults) -> tuple[object | None, list[str]]:
    """The :class:`~nnviz.experiment.Settings` in ``raw`` (JSON text or a dict), each bad field
    replaced by ``defaults``' value, and the names of the fields that were replaced. None when
    ``raw`` is not a settings record at all."""
    from nnviz.experiment import Settings

    if isinstance(raw, (bytes, str)):
        if len(raw) > MAX_RAW_CHARS:
            return None, ["last_settings"]
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            return None, ["last_settings"]
    if not isinstance(raw, dict):
        return None, ["last_settings"]
    good, bad = {}, []
    for f in fields(Settings):
        default = getattr(defaults, f.name)
        if f.name not in raw:
            good[f.name] = default
            continue
        value = raw[f.name]
        try:
            ok = _field_ok(f.name, value, default)
        except (TypeError, ValueError, OverflowError, RecursionError):
            ok = False
        if ok:
            good[f.name] = value
        else:
            good[f.name] = default
            bad.append(f.name)
    bad += sorted(k for k in raw if not isinstance(k, str) or k not in good)
    return Settings.from_dict(good), bad


class Remembered:
    """Reads remembered values from a ``QSettings`` through checks (see the module docstring)."""

    def __init__(self, qs):
        self.qs = qs
        self.problems: list[str] = []

    def _reset(self, key: str, default) -> None:
        self.problems.append(key)
        if default is None:
            self.qs.remove(key)
        else:
            self.qs.setValue(key, default)

    def int(self, key: str, default: int, lo: int, hi: int) -> int:
        raw = self.qs.value(key)
        if raw is None:
            return default
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except (TypeError, ValueError, OverflowError):
            value = None
        if value is None or not lo <= value <= hi:
            self._reset(key, default)
            return default
        return value

    def flag(self, key: str, default: bool) -> bool:
        raw = self.qs.value(key)
        if raw is None:
            return default
        text = str(raw).strip().lower() if isinstance(raw, (str, bool, int)) else None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        self._reset(key, default)
        return default

    def json_list(self, key: str, check) -> list:
        """A JSON list whose items each pass ``check(item)``; bad items are dropped."""
        raw = self.qs.value(key)
        if raw is None:
            return []
        try:
            items = json.loads(raw) if isinstance(raw, str) and len(raw) <= MAX_RAW_CHARS else None
        except (ValueError, RecursionError):
            items = None
        if not isinstance(items, list):
            self._reset(key, None)
            return []
        good = [i for i in items if _safe(check, i)]
        if len(good) != len(items):
            self.problems.append(key)
            self.qs.setValue(key, json.dumps(good))
        return good

    def settings(self, key: str, defaults):
        raw = self.qs.value(key)
        if raw is None:
            return None
        s, bad = checked_settings(raw, defaults)
        if bad:
            self.problems += [f"{key}.{name}" if name != key else key for name in bad]
            if s is None:
                self.qs.remove(key)
            else:
                self.qs.setValue(key, json.dumps(s.to_dict()))
        return s

    def message(self) -> str:
        """One line for the status bar: what was reset (empty when nothing was)."""
        if not self.problems:
            return ""
        return _("Some remembered settings could not be used and were reset to their defaults: "
                 "{names}.").format(names=", ".join(dict.fromkeys(self.problems)))


def _safe(check, item) -> bool:
    try:
        return bool(check(item))
    except Exception:  # noqa: BLE001 - a check of a foreign value may fail in any way
        return False


def recent_item_ok(item) -> bool:
    """A recent-files entry: ``{"path": non-empty str, "kind": "data" | "model"}``."""
    return (isinstance(item, dict) and isinstance(item.get("path"), str) and 0 < len(item["path"]) < 4096
            and "\0" not in item["path"] and item.get("kind") in ("data", "model"))
