"""Download MNIST and Fashion-MNIST with the standard library only (:mod:`urllib`).

Each file is written to ``<file>.part``, its SHA-256 is checked against the value kept in
:data:`nnviz.data.locate.SHA256`, and only then is it renamed to its final name, so a
final name never holds a half-written or wrong file. An interrupted download leaves the
``.part``; the next attempt continues it with an HTTP ``Range`` request when the server
allows (status 206) and starts over otherwise.

Progress goes to ``progress(done_bytes, total_bytes, filename)`` (``total_bytes`` is 0
when the server does not say); the callback may return ``False`` to cancel. A
:class:`threading.Event` passed as ``cancel`` cancels too once it is set.
"""
from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPException
from pathlib import Path

from nnviz.core.errors import N_, DataError
from nnviz.data.files import short
from nnviz.data import locate

#: Where each dataset's files are downloaded from (file name appended).
URLS = {
    "mnist": "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "fashion-mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
}

Progress = Callable[[int, int, str], object]
CHUNK = 64 * 1024


class DownloadCancelled(DataError):
    """The user stopped a download; the ``.part`` file is kept for resuming."""


class DownloadError(DataError):
    """The server could not be reached or the connection kept dropping."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open(url: str, start: int, timeout: float):
    """Open ``url``, asking for bytes from ``start`` on if ``start > 0``."""
    headers = {"User-Agent": "nnviz"}
    if start:
        headers["Range"] = f"bytes={start}-"
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                      timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and start:  # the .part is not a prefix we can continue
            exc.close()
            return None
        raise DownloadError(N_("the server answered {code} {reason} for {url}"),
                            code=exc.code, reason=exc.reason, url=url) from None
    except (urllib.error.URLError, socket.timeout, OSError, HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(N_("cannot reach {url} ({reason}); are you offline?"),
                            url=url, reason=reason) from None


def _total(response, start: int) -> int:
    """Size of the whole file from the response headers, 0 if unknown."""
    content_range = response.headers.get("Content-Range", "")
    if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
        return int(content_range.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    return start + int(length) if length and length.isdigit() else 0


def _resumed_at(response, start: int) -> bool:
    """True if the server sent the rest of the file from byte ``start`` (a 206 answer)."""
    return (start > 0 and response.status == 206
            and response.headers.get("Content-Range", "").startswith(f"bytes {start}-"))


def _fetch(url: str, part: Path, filename: str, progress: Progress | None, cancel,
           timeout: float) -> bool:
    """Fetch ``url`` into ``part`` (continuing it if possible).

    Returns
    -------
    bool
        True if the whole file arrived, False if the connection dropped early.
    """
    start = part.stat().st_size if part.exists() else 0
    response = _open(url, start, timeout)
    if response is None:  # 416: range not satisfiable, start over
        part.unlink()
        start, response = 0, _open(url, 0, timeout)
    with response:
        if not _resumed_at(response, start):
            start = 0
        total = _total(response, start)
        done = start
        with open(part, "ab" if start else "wb") as out:
            while True:
                try:
                    block = response.read(CHUNK)
                except (OSError, HTTPException):
                    return False
                if not block:
                    break
                out.write(block)
                done += len(block)
                if _cancelled(progress, done, total, filename, cancel):
                    raise DownloadCancelled(
                        f"download of {filename} cancelled at {done} bytes; {part} is kept "
                        f"and the next download continues from there")
    return total == 0 or done >= total


def _cancelled(progress: Progress | None, done: int, total: int, filename: str,
               cancel) -> bool:
    """Report progress; True if the callback returned False or ``cancel`` is set."""
    stop = progress is not None and progress(done, total, filename) is False
    return stop or (cancel is not None and cancel.is_set())


def download_file(url: str, dest: str | Path, sha256: str, *, progress: Progress | None = None,
                  cancel=None, timeout: float = 30.0, retries: int = 2) -> Path:
    """Download one file to ``dest`` through ``dest.part``, checking its SHA-256.

    Parameters
    ----------
    url : str
        Where to fetch it.
    dest : str or Path
        Final file name; it appears only once the checksum matched.
    sha256 : str
        Expected SHA-256 (hex).
    progress : callable, optional
        ``progress(done_bytes, total_bytes, filename)``; return ``False`` to cancel.
    cancel : threading.Event, optional
        Set it (from another thread) to cancel.
    timeout : float
        Seconds to wait for the server at each step.
    retries : int
        How many times to continue after the connection dropped mid-file.

    Returns
    -------
    Path
        ``dest``.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    attempts = 0
    while not _fetch(url, part, dest.name, progress, cancel, timeout):
        attempts += 1
        if attempts > retries:
            got = part.stat().st_size if part.exists() else 0
            raise DownloadError(N_("the connection to {url} dropped {attempts} times (got {got} "
                                   "bytes); run the download again to continue {part}"),
                                url=url, attempts=attempts, got=got, part=part)
    if _sha256(part) != sha256:
        part.unlink()
        raise DataError(N_("{url} sent a file whose SHA-256 is not the expected {sha256}; it was "
                           "deleted (a changed server file or a broken transfer)"),
                        url=url, sha256=sha256)
    os.replace(part, dest)
    return dest


def download_dataset_files(name: str, dest: str | Path | None = None, *,
                           base_url: str | None = None, progress: Progress | None = None,
                           cancel=None, timeout: float = 30.0) -> Path:
    """Download the 4 files of ``"mnist"`` or ``"fashion-mnist"`` into a folder.

    Files already there with the right checksum are kept.

    Parameters
    ----------
    name : str
        A key of :data:`URLS`.
    dest : str or Path, optional
        Folder; default ``cache_dir() / name``.
    base_url : str, optional
        Replaces the URL in :data:`URLS` (tests use a local server).

    Returns
    -------
    Path
        The folder.
    """
    if name not in URLS:
        raise DataError(N_("{name} cannot be downloaded; only {urls} can"),
                        name=short(name), urls=', '.join(URLS))
    folder = Path(dest) if dest is not None else locate.cache_dir() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(N_("cannot create the folder {folder} ({reason})"),
                        folder=str(folder), reason=exc.strerror or str(exc)) from None
    base = (base_url or URLS[name]).rstrip("/") + "/"
    for filename in locate.FILES:
        present = locate.verified_file(folder, name, filename)
        if present is not None:
            if progress is not None:
                size = present.stat().st_size
                progress(size, size, filename)
            continue
        try:
            download_file(base + filename, folder / filename, locate.SHA256[name][filename],
                          progress=progress, cancel=cancel, timeout=timeout)
        except DownloadError as exc:
            raise DataError(N_("cannot download {name}: {reason}\nInstead, {how}"),
                            name=name, reason=str(exc).rstrip('.'),
                            how=locate.missing_files_message(name, folder)) from None
    return folder
