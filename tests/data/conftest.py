"""Fixtures for the dataset tests: a clean environment, IDX writers, a local HTTP server."""
from __future__ import annotations

import gzip
import hashlib
import os
import struct
import threading
from types import SimpleNamespace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from nnviz.data import locate

#: NNVIZ_DATA_DIR as the test run started (the autouse fixture below hides it).
ORIGINAL_DATA_DIR = os.environ.get("NNVIZ_DATA_DIR")
#: The real function, for the test of the per-platform folders.
REAL_CACHE_DIR = locate.cache_dir
#: Where the verified copies usually are (…/work/shared/data/mnist).
FALLBACK_MNIST = Path(__file__).parents[3] / "shared" / "data" / "mnist"


@pytest.fixture(autouse=True)
def clean_env(tmp_path, monkeypatch):
    """No NNVIZ_DATA_DIR, and a cache folder inside tmp_path (never the user's real one)."""
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(locate, "cache_dir", lambda: tmp_path / "cache" / "nnviz")


@pytest.fixture
def real_data_dir(monkeypatch) -> Path:
    """Point NNVIZ_DATA_DIR at the real MNIST copy, or skip when it is not there."""
    folder = Path(ORIGINAL_DATA_DIR) if ORIGINAL_DATA_DIR else FALLBACK_MNIST
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(folder))
    if locate.find_dataset("mnist") is None:
        pytest.skip(f"no verified MNIST copy under {folder} (set NNVIZ_DATA_DIR)")
    return folder


# -- synthetic IDX files --------------------------------------------------------------------
def idx_bytes(arr: np.ndarray, magic: int) -> bytes:
    """An IDX file's bytes: big-endian magic and dimensions, then uint8 data."""
    return struct.pack(f">{1 + arr.ndim}I", magic, *arr.shape) + arr.astype(np.uint8).tobytes()


def write_idx(path: Path, arr: np.ndarray, magic: int, gz: bool = False) -> Path:
    data = idx_bytes(arr, magic)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def synthetic_idx_files(seed: int = 0, n_train: int = 30, n_test: int = 12,
                        rows: int = 4, cols: int = 3) -> dict[str, bytes]:
    """The 4 MNIST file names → gzip bytes of small random images and labels 0..9."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": (rng.integers(0, 256, (n_train, rows, cols)), 2051),
        "train-labels-idx1-ubyte.gz": (np.arange(n_train) % 10, 2049),
        "t10k-images-idx3-ubyte.gz": (rng.integers(0, 256, (n_test, rows, cols)), 2051),
        "t10k-labels-idx1-ubyte.gz": (np.arange(n_test) % 10, 2049),
    }
    return {name: gzip.compress(idx_bytes(a, m), mtime=0) for name, (a, m) in arrays.items()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def fake_known(monkeypatch):
    """Make synthetic files count as "mnist" (seed 0) and "fashion-mnist" (seed 1).

    Returns a dict name → {file name: bytes}.
    """
    sets = {"mnist": synthetic_idx_files(0), "fashion-mnist": synthetic_idx_files(1)}
    for name, files in sets.items():
        monkeypatch.setitem(locate.SHA256, name, {f: sha256(d) for f, d in files.items()})
    return sets


# -- a local HTTP server ------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    """Serves ``server.files``; may cut the body in half (``server.drops``) or ignore Range."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        server = self.server
        data = server.files.get(self.path.lstrip("/"))
        server.requests.append((self.path, self.headers.get("Range")))
        if data is None:
            self.send_error(404)
            return
        start, wanted = 0, self.headers.get("Range")
        if wanted and server.ranges:
            start = int(wanted.split("=")[1].split("-")[0])
            if start >= len(data):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if server.drops > 0:  # write half, then the connection closes (HTTP/1.0)
            server.drops -= 1
            self.wfile.write(body[: len(body) // 2])
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A threaded HTTP server on 127.0.0.1 (random port); shut down after the test.

    Set ``server.files`` (name → bytes), ``server.drops`` (responses to cut short) and
    ``server.ranges`` (honour Range requests). ``server.base_url`` ends with a slash;
    ``server.requests`` records (path, Range header).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.files, server.drops, server.ranges, server.requests = {}, 0, True, []
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def idxtools():
    """The IDX helpers above, for test modules (conftest cannot be imported by name)."""
    return SimpleNamespace(idx_bytes=idx_bytes, write_idx=write_idx, sha256=sha256,
                           synthetic=synthetic_idx_files, write_folder=write_folder)


@pytest.fixture
def real_cache_dir():
    """The real :func:`nnviz.data.locate.cache_dir` (the autouse fixture replaces it)."""
    return REAL_CACHE_DIR
