"""The CLI's checks and output helpers: number ranges where arguments are parsed, strict JSON,
the progress line, and the last-resort handler that turns an unexpected error into one line.

Every number a user types is checked by its ``type=`` here, so a bad one ends as argparse's
one-line ``error: argument --seed: ...`` (exit 2) before anything runs; the ranges are the
ones ``--help`` states (see :data:`RANGES`).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time

#: Flag → (low, high) for whole numbers, stated in ``--help`` and enforced by :func:`whole`.
RANGES = {
    "seed": (0, 2**32 - 1),
    "epochs": (1, 1_000_000),
    "batch-size": (0, 10_000_000),
    "steps": (1, 100_000),
    "sample": (0, 10**9),
    "every": (1, 1_000_000),
    "samples": (1, 100_000),
    "max-params": (1, 10_000_000),
}


def whole(flag: str):
    """An argparse ``type`` accepting whole numbers in ``RANGES[flag]``."""
    lo, hi = RANGES[flag]

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number from {lo} to {hi}, "
                                             f"got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}, got {value}")
        return value

    parse.__name__ = flag  # argparse names the type in some messages
    return parse


def real(what: str, lo: float | None = None, hi: float | None = None, lo_open: bool = False,
         hi_open: bool = False):
    """An argparse ``type`` for finite floats in a range (``lo_open``: ``lo`` itself refused)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{what} must be a finite number, got {text!r}")
        if lo == 0 and lo_open and value <= 0:
            raise argparse.ArgumentTypeError(f"{what} must be a positive number, got {text}")
        if lo is not None and (value < lo or (lo_open and value == lo)):
            raise argparse.ArgumentTypeError(
                f"{what} must be {'above' if lo_open else 'at least'} {lo:g}, got {text}")
        if hi is not None and (value > hi or (hi_open and value == hi)):
            raise argparse.ArgumentTypeError(
                f"{what} must be {'below' if hi_open else 'at most'} {hi:g}, got {text}")
        return value

    parse.__name__ = what
    return parse


def text(what: str):
    """An argparse ``type`` refusing empty (or blank) text, e.g. ``--save ''``."""
    def parse(value: str) -> str:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"{what} must not be empty")
        return value

    parse.__name__ = what
    return parse


def range_help(flag: str, help_text: str = "") -> str:
    lo, hi = RANGES[flag]
    return f"{help_text} ({lo}..{hi})".strip()


# ---------------------------------------------------------------------------------------------
# strict JSON
def strict(obj, reasons: dict | None = None, where: str = ""):
    """``obj`` with every NaN/infinite float replaced by ``None``; ``reasons[path]`` says what it
    was (``"NaN"``, ``"inf"``, ``"-inf"``), so the output is strict JSON that still tells why."""
    if isinstance(obj, float) and not math.isfinite(obj):
        if reasons is not None:
            reasons[where or "value"] = "NaN" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
        return None
    if isinstance(obj, dict):
        return {k: strict(v, reasons, f"{where}.{k}" if where else str(k)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(v, reasons, f"{where}[{i}]") for i, v in enumerate(obj)]
    return obj


def dumps(obj, **kw) -> str:
    """Strict JSON of ``obj`` (arrays as lists); a dict whose values had NaN/inf gets a
    ``"not_finite"`` entry naming each such field and what it was."""
    from nnviz.core.trace import to_jsonable

    reasons: dict = {}
    clean = strict(to_jsonable(obj), reasons)
    if reasons and isinstance(clean, dict):
        clean["not_finite"] = reasons
    return json.dumps(clean, allow_nan=False, **kw)


# ---------------------------------------------------------------------------------------------
class Progress:
    """An in-place progress line on stderr (only when stderr is a terminal), at most 10 Hz."""

    def __init__(self, total: int, label: str, enabled: bool | None = None):
        self.total, self.label = max(1, total), label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def update(self, done: int, extra: str = "") -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and done < self.total):
            return
        self._last = now
        frac = min(1.0, done / self.total)
        bar = "#" * int(frac * 30)
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {frac * 100:5.1f}% {extra}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
def log_unexpected(exc: BaseException) -> str | None:
    """Append ``exc``'s traceback to the error log (where the window writes too); its path."""
    import traceback

    try:
        from nnviz.data.locate import cache_dir
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "errors.log"
        with open(log, "a", encoding="utf-8") as f:
            f.write(time.strftime("%Y-%m-%d %H:%M:%S ") + " ".join(sys.argv) + "\n"
                    + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) + "\n")
        return str(log)
    except Exception:  # noqa: BLE001 - the one line on the terminal matters more
        return None


def unexpected_message(exc: BaseException) -> str:
    """The one line shown for an error nnviz did not foresee (details go to the log)."""
    log = log_unexpected(exc)
    where = f"; details are in {log}" if log else ""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (f"nnviz: unexpected error: {type(exc).__name__}{': ' + text if text else ''}"
            f"{where}. This is a bug in nnviz; please report it.\n")
