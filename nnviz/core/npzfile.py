"""Reading ``.npz`` archives without trusting them: sizes are checked before anything is allocated.

:func:`numpy.load` allocates the shape an array's header claims before reading its bytes, so
a 3 KB archive can ask for gigabytes; a file that is not a zip is tried as a pickle, and the
error then speaks of "pickled data". Here every member's header is read first and checked
against the bytes the archive really holds (deflate expands at most about 1032 : 1) and
against the memory that is free; object arrays are refused; each error names the array.
"""
from __future__ import annotations

import os
import struct
import zipfile
import zlib
from math import prod
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, NNVizError, shown
from nnviz.core.filekind import check_file
from nnviz.core.memory import check_fits, fmt_bytes

#: Deflate's best ratio is about 1032 : 1; a member claiming more is damaged or hostile.
MAX_RATIO = 1100


def _header(f, key: str, path: Path, error):
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(f)
        if version == (2, 0):
            return np.lib.format.read_array_header_2_0(f)
        raise error(N_("{path}: array {key} uses .npy format version {version}.{version2}, which nnviz does not read"), path=path, key=shown(key), version=version[0], version2=version[1])
    except (ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error) as exc:
        raise error(N_("{path}: array {key} is damaged (its header cannot be read: {exc})"), path=path, key=shown(key), exc=exc) from None


def read_npz(path: str | os.PathLike, error: type[NNVizError] = NNVizError,
             keys: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` archive (only ``keys`` if given), each checked before it is read.

    Raises ``error`` (an :class:`NNVizError` subclass) with a message saying what is wrong:
    no such file, not a zip archive, a damaged or truncated member, Python objects, or a size
    that does not fit in memory.
    """
    path = Path(path)
    check_file(path, error)  # a folder, FIFO or device says what it is (and is never opened)
    try:
        size = path.stat().st_size
        if not zipfile.is_zipfile(path):
            raise error(N_("{path}: not a .npz archive (a .npz is a zip file of NumPy arrays; this file is not one, or it is truncated)"), path=path)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if any(not i.filename for i in infos):
                raise error(N_("{path}: damaged .npz archive (a member has no name)"), path=path)
            infos = [i for i in infos if not i.is_dir()]
            plan = []
            for info in infos:
                key = info.filename.removesuffix(".npy")
                if keys is not None and key not in keys:
                    continue
                if not info.filename.endswith(".npy"):
                    raise error(N_("{path}: member {filename} is not a NumPy array (.npy)"), path=path, filename=shown(info.filename))
                if info.compress_size > size or info.file_size > MAX_RATIO * info.compress_size + 4096:
                    raise error(N_("{path}: array {key} is damaged (its sizes in the archive do not agree)"), path=path, key=shown(key))
                with zf.open(info) as f:
                    shape, _fortran, dtype = _header(f, key, path, error)
                if dtype.hasobject:
                    raise error(N_("{path}: array {key} holds Python objects (pickled data), which nnviz refuses to load; save plain number arrays instead"), path=path, key=shown(key))
                nbytes = prod(shape) * dtype.itemsize
                if nbytes > info.file_size:
                    raise error(N_("{path}: array {key} claims shape {shape} ({nbytes}) but the archive holds only {file_size} for it: the file is damaged"), path=path, key=shown(key), shape=tuple(shape), nbytes=fmt_bytes(nbytes), file_size=fmt_bytes(info.file_size))
                plan.append((info, key, nbytes))
            check_fits(sum(n for _, _, n in plan), f"reading {path}")
            out = {}
            for info, key, _ in plan:
                with zf.open(info) as f:
                    out[key] = np.lib.format.read_array(f, allow_pickle=False)
            return out
    except NNVizError:
        raise
    except (ValueError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
            RuntimeError, IndexError, KeyError, OverflowError, struct.error) as exc:
        # (zipfile raises several of these on malformed directories)
        raise error(N_("{path}: damaged or truncated .npz archive ({exc})"), path=path, exc=exc) from None
    except MemoryError:
        raise error(N_("{path}: too large to load into memory"), path=path) from None
    except OSError as exc:
        raise error(N_("{path}: cannot be read ({reason})"), path=path, reason=exc.strerror or exc) from None
