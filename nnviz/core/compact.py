"""Unpickled and deep-copied objects that train as fast as freshly built ones.

CPython 3.11+ keeps a normally built object's attributes in a compact per-instance array and
reads them through specialised bytecode. ``pickle`` and ``copy.deepcopy`` restore an object
without ``__setstate__`` by writing into its ``__dict__``, which turns that storage into a
real dict for good, and every attribute read afterwards takes a slower path (1.5-2x in a
micro-benchmark; a toy 2-8-8-1 batch, ~60 µs of mostly attribute reads and small NumPy calls,
7-8% slower). The training child process gets its experiment by unpickling, and branches, step
mode and races copy networks, so the classes training touches on every batch restore their
state through :class:`CompactState` instead (measured in nnviz/bench/PERFORMANCE.md).
"""
from __future__ import annotations

import sys

_intern = sys.intern
_set = object.__setattr__


class CompactState:
    """Restores pickled or copied state attribute by attribute (see the module's docstring)."""

    def __setstate__(self, state: dict) -> None:
        for key, value in state.items():
            _set(self, _intern(key), value)
