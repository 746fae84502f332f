"""Where the MNIST-style files live on this machine, and whether they are the right ones.

Search order for a dataset ``NAME`` (``"mnist"`` or ``"fashion-mnist"``):

1. ``$NNVIZ_DATA_DIR/NAME/``, ``$NNVIZ_DATA_DIR`` itself, and the sibling
   ``$NNVIZ_DATA_DIR/../NAME/`` (so ``NNVIZ_DATA_DIR=../shared/data/mnist`` also finds
   ``../shared/data/fashion-mnist``);
2. the user's cache folder, ``cache_dir() / NAME`` (where downloads go);
3. otherwise the caller downloads (see :mod:`nnviz.data.download`).

MNIST and Fashion-MNIST use the same four file names, so a folder is accepted only when
every file's SHA-256 matches the value kept here. Hashes are remembered per
(path, size, modification time) for the life of the process, so loading twice is fast.
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path

from nnviz.core.errors import N_, DataError
from nnviz.data.files import short

#: Environment variable naming a folder to look in first.
ENV_VAR = "NNVIZ_DATA_DIR"

#: The four files of an MNIST-style dataset, in the order train images, train labels,
#: test images, test labels (as distributed, gzip-compressed).
FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

#: Known SHA-256 of each file, gzip-compressed (``.gz``) and uncompressed (no suffix),
#: so a folder of gunzipped files is accepted too.
SHA256: dict[str, dict[str, str]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
}

#: Names of the datasets this module can find.
KNOWN = tuple(SHA256)

_hash_cache: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()


def cache_dir() -> Path:
    """The user's cache folder for nnviz (not created here).

    Linux and others: ``$XDG_CACHE_HOME/nnviz`` or ``~/.cache/nnviz``; macOS:
    ``~/Library/Caches/nnviz``; Windows: ``%LOCALAPPDATA%\\nnviz\\Cache``.
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "nnviz" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "nnviz"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "nnviz"


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file, remembered per (path, size, mtime) within this process."""
    path = Path(path)
    st = path.stat()
    key = (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    with _hash_lock:
        if key in _hash_cache:
            return _hash_cache[key]
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    with _hash_lock:
        _hash_cache[key] = digest.hexdigest()
    return _hash_cache[key]


def _check_name(name: str) -> None:
    if name not in SHA256:
        raise DataError(N_("{name} has no files to look for; only {known} do"),
                        name=short(name), known=', '.join(KNOWN))


def verified_file(folder: Path, name: str, filename: str) -> Path | None:
    """The file ``filename`` (``.gz`` or gunzipped) in ``folder`` if its checksum is ``name``'s.

    Parameters
    ----------
    folder : Path
        Folder to look in.
    name : str
        Dataset name, a key of :data:`SHA256`.
    filename : str
        One of :data:`FILES`.
    """
    _check_name(name)
    for candidate in (filename, filename.removesuffix(".gz")):
        path = Path(folder) / candidate
        if _is_file(path) and file_sha256(path) == SHA256[name].get(candidate):
            return path
    return None


def verified_files(folder: Path, name: str) -> list[Path] | None:
    """The four files of ``name`` in ``folder`` (order of :data:`FILES`), or ``None``.

    ``None`` unless all four are present and match the known checksums.
    """
    found = []
    for filename in FILES:
        path = verified_file(folder, name, filename)
        if path is None:
            return None
        found.append(path)
    return found


def candidate_folders(name: str) -> list[tuple[Path, str]]:
    """Folders to search for ``name``, best first, each with where it came from.

    Returns
    -------
    list of (Path, str)
        The folder and its origin: ``"NNVIZ_DATA_DIR"`` or ``"cache"``.
    """
    folders: list[tuple[Path, str]] = []
    env = os.environ.get(ENV_VAR)
    if env:
        root = Path(env).expanduser()
        # realpath, unlike Path.resolve, does not raise on a symlink loop
        for folder in (root / name, root, Path(os.path.realpath(root)).parent / name):
            if folder not in (f for f, _ in folders):
                folders.append((folder, ENV_VAR))
    folders.append((cache_dir() / name, "cache"))
    return folders


def find_dataset(name: str) -> tuple[Path, str] | None:
    """The first folder holding verified files of ``name``, with its origin, or ``None``."""
    _check_name(name)
    for folder, origin in candidate_folders(name):
        if _is_dir(folder) and verified_files(folder, name) is not None:
            return folder, origin
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, RuntimeError, ValueError):  # a loop, a name too long, a NUL byte
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, RuntimeError, ValueError):
        return False


def failed_checksums(name: str) -> list[tuple[Path, str]]:
    """Files of ``name`` present in a searched folder whose SHA-256 is wrong, with the reason.

    A file that matches the other known dataset is reported as that dataset's.
    """
    _check_name(name)
    bad: list[tuple[Path, str]] = []
    for folder, _origin in candidate_folders(name):
        if not _is_dir(folder):
            continue
        for filename in FILES:
            for candidate in (filename, filename.removesuffix(".gz")):
                path = folder / candidate
                if not _is_file(path):
                    continue
                try:
                    digest = file_sha256(path)
                except OSError as exc:
                    bad.append((path, f"cannot be read ({exc.strerror or exc})"))
                    continue
                if digest == SHA256[name][candidate]:
                    continue
                other = [n for n in KNOWN if n != name and SHA256[n].get(candidate) == digest]
                bad.append((path, f"is {other[0]}'s file, not {name}'s" if other else
                            "failed its checksum (damaged or incomplete: download it again)"))
    return bad


def expected_folder(name: str) -> Path:
    """Where the user should put ``name``'s files: ``$NNVIZ_DATA_DIR/NAME`` (or
    ``$NNVIZ_DATA_DIR`` itself when it already ends in ``NAME``), else the cache folder."""
    env = os.environ.get(ENV_VAR)
    if not env:
        return cache_dir() / name
    root = Path(env).expanduser()
    return root if root.name == name else root / name


def located_unverified(name: str) -> Path | None:
    """The first folder where all four files of ``name`` are present (gzip-compressed or not),
    without reading them, or ``None``: a cheap "are the files there" check (e.g. for a UI
    thread). Loading still verifies the checksums. A folder named after the other known
    dataset is skipped (both use the same file names)."""
    _check_name(name)
    for folder, _origin in candidate_folders(name):
        if folder.name in SHA256 and folder.name != name:
            continue
        if all((folder / f).is_file() or (folder / f.removesuffix(".gz")).is_file() for f in FILES):
            return folder
    return None


def identify_folder(folder: Path) -> str | None:
    """Which known dataset (``"mnist"``, ``"fashion-mnist"``) a folder holds, or ``None``."""
    for name in KNOWN:
        if verified_files(folder, name) is not None:
            return name
    return None


def missing_files_message(name: str, folder: Path | None = None) -> str:
    """Tell the user exactly which files to put where (used when offline or not found).

    ``folder`` defaults to ``$NNVIZ_DATA_DIR/NAME`` if that variable is set, else the
    cache folder.
    """
    _check_name(name)
    if folder is None:
        folder = expected_folder(name)
    files = "\n".join(f"  {f}" for f in FILES)
    return (f"put these 4 files (gzip-compressed or not) in {folder}:\n{files}\n"
            f"or set {ENV_VAR} to the folder that holds them "
            f"(nnviz also looks in $NNVIZ_DATA_DIR/{name} and beside it in ../{name}).")
