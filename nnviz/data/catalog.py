"""The one entry point to every dataset, used by the CLI and the window.

>>> sorted(list_datasets())[:3]
['blobs', 'circle', 'fashion-mnist']
>>> load_dataset("gate-xor").y_train.tolist()
[0, 1, 1, 0]
"""
from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, DataError, UnknownNameError
from nnviz.data.files import short
from nnviz.data import csvdata, files, idx, locate, seeds, toy
from nnviz.data.base import SCALINGS, Dataset

#: Name → one-line description of every named dataset.
DESCRIPTIONS: dict[str, str] = {**toy.DESCRIPTIONS, **seeds.DESCRIPTIONS, **idx.DESCRIPTIONS}

Progress = Callable[[int, int, str], object]


def list_datasets() -> dict[str, str]:
    """Every named dataset with a one-line description."""
    return dict(DESCRIPTIONS)


# -- options ----------------------------------------------------------------------------
def _call(func: Callable, what: str, args: tuple, fixed: dict, options: dict):
    """``func(*args, **fixed, **options)`` after checking the user's ``options``.

    ``fixed`` are keyword arguments set by the catalog itself (``seed``, ``scaling``); every
    option must be another keyword-only parameter of ``func``.
    """
    params = inspect.signature(func).parameters
    valid = [n for n, p in params.items() if p.kind is p.KEYWORD_ONLY and n not in fixed]
    for key in options:
        if key not in valid:
            raise DataError(N_("unknown option {key} for {what}; valid: {valid}"),
                            key=short(key), what=what, valid=', '.join(valid) or 'none')
    return func(*args, **fixed, **options)


def _no_options(what: str, options: dict) -> None:
    """Refuse options for a source that takes none."""
    if options:
        raise DataError(N_("unknown option {options} for {what}; it takes none"),
                        options=short(next(iter(options))), what=what)


def _apply_scaling(ds: Dataset, scaling: str | None) -> Dataset:
    """Set the caller's scaling, refusing pixel scalings for data that is not 0..255."""
    if scaling is None:
        return ds
    if scaling not in SCALINGS:
        raise DataError(N_("unknown scaling {scaling}; valid: {scalings}"),
                        scaling=short(scaling), scalings=', '.join(SCALINGS))
    if scaling != "none" and not np.issubdtype(ds.x_train.dtype, np.integer):
        raise DataError(N_("{name}: scaling {scaling} divides 0..255 pixel values by 255, but "
                           "this data is already {dtype} numbers; use 'none'"),
                        name=ds.name, scaling=short(scaling), dtype=str(ds.x_train.dtype))
    ds.scaling = scaling
    return ds


# -- loading ----------------------------------------------------------------------------
def _load_known(name: str, scaling: str | None, progress: Progress | None,
                download: bool) -> Dataset:
    """MNIST or Fashion-MNIST from a verified local folder, downloading if allowed."""
    found = locate.find_dataset(name)
    if found is None:
        bad = locate.failed_checksums(name)
        if bad and not download:
            lines = "\n".join(f"  {p} {why}" for p, why in bad)
            raise DataError(N_("{name}: found files that cannot be used:\n{lines}\nReplace them "
                               "with `nnviz data download {name}`, or put the 4 correct files in "
                               "{folder}"),
                            name=name, lines=lines, folder=locate.expected_folder(name))
        if not download:
            raise DataError(N_("{name} is not on this computer. Download it with `nnviz data "
                               "download {name}`, or {how}"),
                            name=name, how=locate.missing_files_message(name))
        from nnviz.data.download import download_dataset_files
        folder = download_dataset_files(name, progress=progress)
    else:
        folder = found[0]
    files = locate.verified_files(folder, name)
    if files is None:  # changed on disk since it was found
        raise DataError(N_("{folder}: the {name} files changed while loading; try again"),
                        folder=str(folder), name=name)
    return idx.load_idx_folder(folder, known=name, scaling=scaling or "unit", files=files)


def _is_idx_images(path: Path) -> bool:
    name = path.name.lower()
    return "idx3" in name or ("images" in name and "ubyte" in name)


def _load_path(path: Path, seed: int, scaling: str | None, options: dict) -> Dataset:
    """A dataset from a .csv, .npz, IDX image file or folder of 4 IDX files."""
    name = path.name.lower()
    if not path.is_dir() or name.endswith((".csv", ".txt", ".npz", ".gz")):
        files.regular_file(path)  # a FIFO, a device or a socket says what it is
    if path.is_dir():
        _no_options(f"folder {path}", options)
        known = locate.identify_folder(path)  # "mnist", "fashion-mnist" or None
        return idx.load_idx_folder(path, known=known, scaling=scaling or "unit")
    if name.endswith(".csv") or name.endswith(".txt"):
        return _call(csvdata.load_csv, f"CSV file {path.name}", (path,),
                     {"seed": seed, "scaling": scaling}, options)
    if name.endswith(".npz"):
        _no_options(f".npz file {path.name}", options)
        return csvdata.load_npz(path)
    if _is_idx_images(path):
        return _call(idx.load_idx_file, f"IDX file {path.name}", (path,),
                     {"scaling": scaling or "unit", "seed": seed}, options)
    if "idx1" in name or "labels" in name:
        raise DataError(N_("{path} looks like an IDX label file; give the image file (its labels "
                           "are found beside it) or the folder"),
                        path=str(path))
    raise DataError(N_("{path}: not a dataset file nnviz knows; use a .csv, a .npz, an IDX image "
                       "file or a folder holding the 4 MNIST-style IDX files"),
                    path=str(path))


def load_dataset(name_or_path: str, *, seed: int = 0, scaling: str | None = None,
                 progress: Progress | None = None, download: bool = False,
                 **options) -> Dataset:
    """Load a dataset by name (see :func:`list_datasets`) or from a file or folder.

    Parameters
    ----------
    name_or_path : str
        A registered name, or a path to a ``.csv``, a ``.npz``, an IDX image file (its label
        file beside it) or a folder holding the 4 IDX files.
    seed : int
        Seed for generated sets and for shuffling before a train/test split.
    scaling : str, optional
        ``"none"``, ``"unit"`` or ``"seed"``; default: ``"unit"`` for pixel data, else
        ``"none"``.
    progress : callable, optional
        ``progress(done_bytes, total_bytes, filename)`` while downloading.
    download : bool
        Download MNIST / Fashion-MNIST if they are not found locally.
    **options
        Per-source options: toy sets take ``n_samples, noise, train_ratio, features,
        n_classes``; CSV files take ``label, task, header, train_ratio, delimiter,
        test_path``; a single IDX file takes ``train_ratio``.

    Returns
    -------
    Dataset
    """
    name = str(name_or_path)
    if name in toy.NAMES:
        ds = _call(toy.make_toy, name, (name,), {"seed": seed}, options)
    elif name in seeds.NAMES:
        _no_options(name, options)
        ds = seeds.make_seed_set(name)
    elif name in locate.KNOWN:
        _no_options(name, options)
        ds = _load_known(name, scaling, progress, download)
    else:
        path = Path(name).expanduser()
        if path.exists() or path.is_symlink():  # (a broken link says so)
            ds = _load_path(path, seed, scaling, options)
        elif path.suffix or "/" in name or "\\" in name:
            raise DataError(N_("{name}: no such file or folder"), name=name)
        else:
            raise UnknownNameError("dataset", name, DESCRIPTIONS)
    return _apply_scaling(ds, scaling)


# -- facts and downloads ----------------------------------------------------------------
def dataset_info(name: str, **options) -> dict:
    """Facts about a dataset: :meth:`Dataset.summary` plus where it comes from.

    ``options`` are passed to :func:`load_dataset` (e.g. ``label="kind"`` for a CSV file).

    For MNIST / Fashion-MNIST that are not on this computer nothing is loaded; the dict
    says ``"available": False`` and how to get them.
    """
    if name in locate.KNOWN:
        found = locate.find_dataset(name)
        if found is None:
            from nnviz.data.download import URLS
            return {"name": name, "description": DESCRIPTIONS[name], "available": False,
                    "path": None, "download": f"nnviz data download {name}",
                    "download_to": str(locate.cache_dir() / name), "url": URLS[name]}
        info = load_dataset(name).summary()
        info.update(available=True, path=str(found[0]), source=found[1])
        return info
    info = load_dataset(name, **options).summary()
    if name in toy.NAMES:
        info.update(available=True, source="generated",
                    options=["seed", "n_samples", "noise", "train_ratio", "features"]
                    + (["n_classes"] if name in ("spiral-k", "blobs") else []))
    elif name in seeds.NAMES:
        info.update(available=True, source="built in")
        if name == "gender":
            info["people"] = list(seeds.GENDER_PEOPLE)
    else:
        info.update(available=True, source="file", path=os.path.realpath(Path(name).expanduser()))
    return info


def download_dataset(name: str, progress: Progress | None = None, base_url: str | None = None,
                     dest: str | Path | None = None, cancel=None) -> Path:
    """Make sure MNIST or Fashion-MNIST is on this computer; return its folder.

    Without ``dest`` and ``base_url`` a verified copy already found (``NNVIZ_DATA_DIR`` or
    the cache) is used as it is; otherwise the files go to ``dest`` (default: the cache
    folder). ``cancel`` is an optional :class:`threading.Event`.
    """
    if name not in locate.KNOWN:
        if name in DESCRIPTIONS:
            raise DataError(N_("{name} is built into nnviz; there is nothing to download"),
                            name=name)
        raise UnknownNameError("dataset", name, locate.KNOWN)
    if dest is None and base_url is None:
        found = locate.find_dataset(name)
        if found is not None:
            return found[0]
    from nnviz.data.download import download_dataset_files
    return download_dataset_files(name, dest, base_url=base_url, progress=progress,
                                  cancel=cancel)
