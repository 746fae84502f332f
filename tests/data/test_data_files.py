"""Issue 18, data half: files that are not files (7), my-digits sizes (8), gzipped IDX headers
checked before unpacking (9), control characters in CSV labels (11). Each test makes its bad
file in ``tmp_path``; where memory is the point the reader runs in a subprocess under an
address-space limit."""
import gzip
import os
import subprocess
import sys
import textwrap
import threading
import time
import zipfile

import numpy as np
import pytest

from nnviz.core.errors import DataError
from nnviz.data import csvtable, load_dataset
from nnviz.data.csvdata import first_row, load_csv
from nnviz.data.mydigits import MyDigits, MyDigitsError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def refuses_quickly(func, *args, timeout=5.0, **kwargs) -> DataError:
    """``func(*args)`` must raise DataError within ``timeout`` seconds (it runs on a thread, so
    a reader that blocks on a FIFO fails the test instead of hanging it)."""
    box = {}

    def run():
        try:
            func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001
            box["exc"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"{func.__name__} blocked for more than {timeout} s"
    assert isinstance(box.get("exc"), DataError), box.get("exc")
    return box["exc"]


def capped(code: str, extra_mb: int = 300, timeout: float = 20.0) -> subprocess.CompletedProcess:
    """Run ``code`` in a Python whose address space may grow only ``extra_mb`` past its size
    after importing NumPy and nnviz.data."""
    prelude = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {ROOT!r})
        import numpy, nnviz.data, nnviz.data.idx, nnviz.data.mydigits, nnviz.core.npzfile
        vm = int([l for l in open('/proc/self/status') if l.startswith('VmSize')][0].split()[1]) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (vm + {extra_mb} << 20, vm + {extra_mb} << 20))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


# -- 7: CSV "files" that are not regular files --------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_7_a_fifo_given_as_a_dataset_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for func in (load_dataset, load_csv, first_row):
        exc = refuses_quickly(func, str(fifo))
        assert "is a named pipe (FIFO), not a file" in str(exc)
        assert exc.template.startswith("{path} is a named pipe")  # translatable, with the path as a value


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_7_a_link_to_dev_zero_is_refused_before_reading(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    t0 = time.perf_counter()
    for func in (load_dataset, load_csv, first_row):
        assert "is a device (like /dev/zero)" in str(refuses_quickly(func, str(link)))
    assert time.perf_counter() - t0 < 2


def test_7_a_folder_named_like_a_data_file_says_it_is_a_folder(tmp_path):
    for name in ("d.csv", "d.npz"):
        (tmp_path / name).mkdir()
        with pytest.raises(DataError, match="is a folder, not a file"):
            load_dataset(str(tmp_path / name))
    with pytest.raises(DataError, match="a link to a file that does not exist"):
        (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
        load_dataset(str(tmp_path / "gone.csv"))


def test_7_a_csv_larger_than_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("1,2,0\n3,4,1\n" * 200_000)  # 2.4 MB
    monkeypatch.setattr(csvtable, "available_bytes", lambda: 6 * 1_000_000)
    monkeypatch.setattr(csvtable, "csv_cap", lambda: 1_000_000)
    with pytest.raises(DataError, match=r"2\.\d MB is more than nnviz reads"):
        load_csv(path)


# -- 8: my-digits files --------------------------------------------------------------------
def _digits_file(path, n: int, write_pixels: bool) -> None:
    """A my-digits .npz declaring ``n`` digits (all pixels written, or only the header)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("images.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array_header_1_0(
                f, {"descr": "|u1", "fortran_order": False, "shape": (n, 28, 28)})
            if write_pixels:
                block = bytes(784 * 1000)
                for _ in range(n // 1000):
                    f.write(block)
        with zf.open("labels.npy", "w") as f:
            np.lib.format.write_array(f, np.zeros(n if write_pixels else 1, np.uint8))


def test_8_a_my_digits_file_declaring_too_many_digits_is_refused_before_loading(tmp_path):
    valid = tmp_path / "many.npz"
    _digits_file(valid, 30_000, write_pixels=True)  # a real, valid file of 30 000 digits
    with pytest.raises(MyDigitsError, match="declares 30000 digits; a my-digits file holds at most"):
        MyDigits.load(valid)
    million = tmp_path / "million.npz"
    _digits_file(million, 1_000_000, write_pixels=False)
    proc = capped(f"""
        from nnviz.data.mydigits import MyDigits, MyDigitsError
        try:
            MyDigits.load({str(million)!r})
        except MyDigitsError as exc:
            print(exc)
    """, extra_mb=200)
    assert "declares 1000000 digits" in proc.stdout, proc.stderr[-500:]


def test_8_a_my_digits_file_within_the_limit_still_loads(tmp_path):
    mine = MyDigits(np.full((3, 28, 28), 7, np.uint8), [1, 2, 3])
    back = MyDigits.load(mine.save(tmp_path / "mine.npz"))
    assert back.labels.tolist() == [1, 2, 3] and back.images.dtype == np.uint8


# -- 9: gzipped IDX files ---------------------------------------------------------------------
def _idx_header(count: int, rows: int = 28, cols: int = 28) -> bytes:
    return b"".join(v.to_bytes(4, "big") for v in (2051, count, rows, cols))


def test_9_a_gzip_idx_header_declaring_more_than_it_holds_is_refused_at_once(tmp_path):
    from nnviz.data import idx

    path = tmp_path / "train-images-idx3-ubyte.gz"
    # says 5 000 000 images (3.9 GB) and holds 2 MB of zeros: refused from its 16-byte header
    path.write_bytes(gzip.compress(_idx_header(5_000_000) + bytes(2_000_000), 1))
    t0 = time.perf_counter()
    proc = capped(f"""
        from nnviz.data import idx
        from nnviz.core.errors import DataError
        try:
            idx.read_images({str(path)!r})
        except DataError as exc:
            print(exc)
    """, extra_mb=300)
    assert "its header declares 3.7 GB of data" in proc.stdout, proc.stderr[-500:]
    assert time.perf_counter() - t0 < 5
    with pytest.raises(DataError, match="more than a gzip file of .* can hold"):
        old = idx.available_bytes
        try:
            idx.available_bytes = lambda: 1 << 40
            idx.read_images(path)
        finally:
            idx.available_bytes = old


def test_9_gzip_and_raw_idx_files_that_fit_are_streamed_whole(tmp_path):
    from nnviz.data import idx

    pixels = np.arange(5 * 6, dtype=np.uint8).tobytes()
    raw, gz = tmp_path / "a-images-idx3-ubyte", tmp_path / "b-images-idx3-ubyte.gz"
    raw.write_bytes(_idx_header(5, 2, 3) + pixels)
    gz.write_bytes(gzip.compress(_idx_header(5, 2, 3) + pixels))
    for path in (raw, gz):
        images, shape = idx.read_images(path)
        assert shape == (2, 3) and images.tobytes() == pixels and not images.flags.writeable
    gz.write_bytes(gzip.compress(_idx_header(5, 2, 3) + pixels + b"x"))
    with pytest.raises(DataError, match="has extra bytes"):
        idx.read_images(gz)


# -- 11: control characters in CSV labels ---------------------------------------------------------
@pytest.mark.parametrize("label", ["1\x00", "cat\x1b[31m", "a\x07"])
def test_11_a_control_character_in_a_label_is_refused_with_its_line(tmp_path, label):
    path = tmp_path / "d.csv"
    path.write_text(f"1,2,1\n3,4,{label}\n5,6,0\n7,8,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 2, column 3 .*control character \\x") as info:
        load_csv(path)
    assert "\x00" not in str(info.value) and "\x1b" not in str(info.value)
