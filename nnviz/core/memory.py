"""How much memory a network, a trace or an array needs, checked before anything is allocated.

A tiny input (a model file claiming a 3·10⁷-unit layer, ``--layers 2,100000000,1``, a label
10⁹ taken as a class index) must be refused with the estimate, not crash the machine. The
limit is what this process may still use: the memory the system reports available, capped by
an address-space limit (``ulimit -v``) if one is set.
"""
from __future__ import annotations

import os

from nnviz.core.errors import N_, NNVizError

GB = 1024 ** 3

#: When the system does not say how much memory is free.
FALLBACK_LIMIT = 4 * GB


class TooBig(NNVizError):
    """Something would need more memory than this computer has free."""


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _physical() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def _address_space_left() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            used = int(f.read().split()[0]) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, IndexError):
        used = 0
    return max(0, soft - used)


def available_bytes() -> int:
    """Bytes this process can still allocate, as well as the system can tell."""
    candidates = [v for v in (_meminfo_available() or _physical(), _address_space_left())
                  if v is not None]
    return min(candidates) if candidates else FALLBACK_LIMIT


def fmt_bytes(n: float) -> str:
    """``1536`` → ``'1.5 KB'``, ``3.2e9`` → ``'3.0 GB'``."""
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1024 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"  # pragma: no cover


def check_fits(need: int, what: str, limit: int | None = None) -> None:
    """Raise :class:`TooBig` naming ``what`` and both figures unless ``need`` bytes fit."""
    limit = available_bytes() if limit is None else limit
    if need > limit:
        raise TooBig(N_("{what} would need about {need} of memory, but only {limit} is free; make it smaller"), what=what, need=fmt_bytes(need), limit=fmt_bytes(limit))


def network_bytes(sizes: list[int], batch: int = 1, itemsize: int = 8, slots: int = 2) -> int:
    """Memory of an MLP of ``sizes`` running batches of up to ``batch`` samples.

    Per weight: the parameter, its gradient, the initialiser's temporary copy and up to
    ``slots`` optimizer buffers (Adam keeps two); per unit and sample, the forward and
    backward arrays (``z``, ``a``, ``δ`` and a spare).
    """
    sizes = [int(s) for s in sizes]
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    return itemsize * (params * (3 + slots) + 4 * sum(sizes) * max(1, int(batch)))
