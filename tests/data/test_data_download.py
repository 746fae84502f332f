"""The downloader against a local HTTP server on 127.0.0.1 (no internet)."""
import socket
import threading

import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import download_dataset, load_dataset
from nnviz.data.download import DownloadCancelled, download_file

DATA = np.random.default_rng(7).integers(0, 256, 300_000, dtype=np.uint8).tobytes()


@pytest.fixture
def served(http_server, idxtools):
    """The server with one file "blob.bin"; returns (server, url, sha256)."""
    http_server.files["blob.bin"] = DATA
    return http_server, http_server.base_url + "blob.bin", idxtools.sha256(DATA)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_success_with_progress(served, tmp_path):
    server, url, sha = served
    seen = []
    dest = download_file(url, tmp_path / "blob.bin", sha, timeout=5,
                         progress=lambda done, total, name: seen.append((done, total, name)))
    assert dest.read_bytes() == DATA
    assert seen[-1] == (len(DATA), len(DATA), "blob.bin")
    assert leftovers(tmp_path) == ["blob.bin"]


def test_checksum_mismatch_leaves_nothing(served, tmp_path):
    server, url, _ = served
    with pytest.raises(DataError, match="SHA-256"):
        download_file(url, tmp_path / "blob.bin", "0" * 64, timeout=5)
    assert leftovers(tmp_path) == []


def test_dropped_connection_is_resumed(served, tmp_path):
    server, url, sha = served
    server.drops = 1
    download_file(url, tmp_path / "blob.bin", sha, timeout=5)
    assert (tmp_path / "blob.bin").read_bytes() == DATA
    assert server.requests[1] == ("/blob.bin", f"bytes={len(DATA) // 2}-")
    assert leftovers(tmp_path) == ["blob.bin"]


def test_connection_that_keeps_dropping(served, tmp_path):
    server, url, sha = served
    server.drops = 100
    with pytest.raises(DataError, match="dropped"):
        download_file(url, tmp_path / "blob.bin", sha, timeout=5, retries=1)
    assert leftovers(tmp_path) == ["blob.bin.part"]  # no final file, only a prefix
    assert DATA.startswith((tmp_path / "blob.bin.part").read_bytes())
    server.drops = 0
    download_file(url, tmp_path / "blob.bin", sha, timeout=5)
    assert leftovers(tmp_path) == ["blob.bin"] and (tmp_path / "blob.bin").read_bytes() == DATA


def test_resume_from_existing_part_with_range(served, tmp_path):
    server, url, sha = served
    (tmp_path / "blob.bin.part").write_bytes(DATA[:1000])
    seen = []
    download_file(url, tmp_path / "blob.bin", sha, timeout=5,
                  progress=lambda done, total, name: seen.append(done))
    assert server.requests == [("/blob.bin", "bytes=1000-")]
    assert seen[0] > 1000 and (tmp_path / "blob.bin").read_bytes() == DATA


def test_server_without_range_restarts_cleanly(served, tmp_path):
    server, url, sha = served
    server.ranges = False
    (tmp_path / "blob.bin.part").write_bytes(b"garbage" * 10)
    download_file(url, tmp_path / "blob.bin", sha, timeout=5)
    assert leftovers(tmp_path) == ["blob.bin"] and (tmp_path / "blob.bin").read_bytes() == DATA


def test_cancel_by_callback_and_by_event(served, tmp_path):
    server, url, sha = served
    with pytest.raises(DownloadCancelled):
        download_file(url, tmp_path / "blob.bin", sha, timeout=5,
                      progress=lambda done, total, name: False)
    assert leftovers(tmp_path) == ["blob.bin.part"]
    stop = threading.Event()
    stop.set()
    with pytest.raises(DownloadCancelled):
        download_file(url, tmp_path / "blob.bin", sha, timeout=5, cancel=stop)
    assert leftovers(tmp_path) == ["blob.bin.part"]


def test_offline_message_says_what_to_put_where(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DataError) as err:
        download_dataset("mnist", base_url=f"http://127.0.0.1:{port}/", dest=tmp_path / "m")
    message = str(err.value)
    assert "NNVIZ_DATA_DIR" in message and "train-images-idx3-ubyte.gz" in message
    assert str(tmp_path / "m") in message
    assert not any((tmp_path / "m").iterdir())


def test_download_dataset_then_load(http_server, fake_known, tmp_path):
    http_server.files.update(fake_known["mnist"])
    seen = set()
    folder = download_dataset("mnist", base_url=http_server.base_url,
                              progress=lambda done, total, name: seen.add(name))
    assert folder == tmp_path / "cache" / "nnviz" / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(fake_known["mnist"])
    assert seen == set(fake_known["mnist"])
    ds = load_dataset("mnist")  # found in the cache now
    assert ds.name == "mnist" and ds.x_train.shape == (30, 12)
    count = len(http_server.requests)
    download_dataset("mnist", base_url=http_server.base_url, dest=folder)
    assert len(http_server.requests) == count  # verified files are not fetched again


def test_load_with_download_true(http_server, fake_known, monkeypatch):
    http_server.files.update(fake_known["fashion-mnist"])
    monkeypatch.setitem(__import__("nnviz.data.download", fromlist=["URLS"]).URLS,
                        "fashion-mnist", http_server.base_url)
    ds = load_dataset("fashion-mnist", download=True)
    assert ds.class_names[0] == "T-shirt/top" and len(ds.x_test) == 12
