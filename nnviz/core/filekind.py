"""What a path names, checked without opening it: a regular file, or what it is instead.

A model file, a picture or a data file given on the command line may be a folder, a FIFO
(opening one blocks until a writer comes), a device such as ``/dev/zero`` (endless) or a
socket. :func:`check_file` says which, in one line, before anything is opened.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from nnviz.core.errors import N_, NNVizError

MISSING = N_("{path}: no such file")
DANGLING = N_("{path}: a link to a file that does not exist")
FOLDER = N_("{path} is a folder, not a file")
FIFO = N_("{path} is a named pipe (FIFO), not a file: reading it would wait for a writer forever")
DEVICE = N_("{path} is a device (like /dev/zero), not a file: reading it may never end")
SOCKET = N_("{path} is a socket, not a file")
OTHER = N_("{path} is not a regular file")
UNREADABLE = N_("{path}: cannot be read (permission denied or a bad name)")


def kind_of(mode: int) -> str | None:
    """The message template (with ``{path}``) for a file mode that is not a regular file's."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISFIFO(mode):
        return FIFO
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return DEVICE
    if stat.S_ISSOCK(mode):
        return SOCKET
    return OTHER


def not_a_file(path: str | os.PathLike) -> str | None:
    """The message template for what ``path`` is when it is not a regular file, else None."""
    try:
        st = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        return DANGLING if os.path.islink(path) else MISSING
    except (OSError, ValueError):
        return MISSING if not os.path.lexists(path) else UNREADABLE
    return kind_of(st.st_mode)


def check_file(path: str | os.PathLike, error: type[NNVizError] = NNVizError) -> Path:
    """``path`` as a :class:`Path` if it names a regular file, else ``error`` saying what it is."""
    template = not_a_file(path)
    if template is not None:
        raise error(template, path=str(path))
    return Path(path)
