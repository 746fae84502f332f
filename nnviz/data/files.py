"""Opening a data file without trusting it: what kind of file it is, and reading with a cap.

A path can name a folder, a FIFO (reading it waits for a writer forever), a character device
(``/dev/zero`` never ends), a socket, or a symbolic link to any of these. :func:`regular_file`
looks (``os.stat``, which follows links) before anything is opened and refuses what is not a
regular file with a message that says what it is; :func:`read_capped` then opens it without
blocking and reads at most a given number of bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

from nnviz.core.errors import N_, DataError
from nnviz.core.filekind import kind_of, not_a_file
from nnviz.core.memory import fmt_bytes

def short(value, limit: int = 60) -> str:
    """``repr(value)`` cut to about ``limit`` characters (a quoted value stays readable)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "…" + text[-4:]


def regular_file(path: str | os.PathLike) -> int:
    """Check that ``path`` (after following links) is a regular file; return its size.

    Raises :class:`DataError` saying what the path is when it is missing, a folder, a FIFO,
    a device or a socket (nothing is opened, so a FIFO cannot block; the one check of
    :mod:`nnviz.core.filekind`, shared with model files and pictures).
    """
    template = not_a_file(path)
    if template is not None:
        raise DataError(template, path=str(path))
    return os.stat(path).st_size


def read_capped(path: str | os.PathLike, cap: int) -> bytes:
    """The bytes of the regular file ``path``, refused when it holds more than ``cap`` bytes.

    The file is opened with ``O_NONBLOCK`` and checked again after opening (it could have been
    swapped for a FIFO in between), and never more than ``cap + 1`` bytes are read.
    """
    size = regular_file(path)
    if size > cap:
        raise too_big(path, size, cap)
    with open_regular(path) as f:
        try:
            data = f.read(cap + 1)
        except OSError as exc:
            raise DataError(N_("{path}: cannot be read ({reason})"), path=str(path),
                            reason=exc.strerror or str(exc)) from None
    if len(data) > cap:
        raise too_big(path, len(data), cap)
    return data


def open_regular(path: str | os.PathLike):
    """A binary file object for the regular file ``path`` (opened without blocking)."""
    regular_file(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DataError(N_("{path}: cannot be read ({reason})"), path=str(path),
                        reason=exc.strerror or str(exc)) from None
    f = os.fdopen(fd, "rb")
    kind = kind_of(os.fstat(fd).st_mode)
    if kind is not None:
        f.close()
        raise DataError(kind, path=str(path))
    return f


def too_big(path, size: int, cap: int) -> DataError:
    return DataError(N_("{path}: {size} is more than nnviz reads from a file like this ({cap}; "
                        "the memory that is free sets the limit)"),
                     path=str(path), size=fmt_bytes(size), cap=fmt_bytes(cap))

