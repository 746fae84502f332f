"""Tiny hostile inputs stay tiny in memory: each is loaded in a child process whose address
space is capped (``resource.RLIMIT_AS``) a little above what Python and NumPy need, so an
allocation of gigabytes would end as a MemoryError instead of the project's own error."""
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

resource = pytest.importorskip("resource")
ROOT = Path(__file__).resolve().parents[2]
HEADROOM = 400 * 1024 * 1024  # above the child's own footprint once NumPy is imported

CHILD = r"""
import resource, sys
import numpy  # loaded before the cap
from nnviz.core.errors import NNVizError
with open("/proc/self/statm") as f:
    used = int(f.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (used + int(sys.argv[3]), resource.RLIM_INFINITY))
kind, path = sys.argv[1], sys.argv[2]
try:
    if kind == "model":
        from nnviz.core.model_io import load_model
        load_model(path)
    elif kind == "cli":
        from nnviz.cli import main
        sys.exit(main(path.split("\x1f")))
    else:
        from nnviz.data import dataset_info
        dataset_info(path)
    print("LOADED")
except NNVizError as exc:
    print("REFUSED", exc)
except MemoryError:
    print("MEMORYERROR")
"""


def _child(kind: str, target: str):
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc to measure the child's footprint")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", CHILD, kind, target, str(HEADROOM)],
                          capture_output=True, text=True, timeout=120, env=env)


def _member(arr) -> bytes:
    b = io.BytesIO()
    np.save(b, arr)
    return b.getvalue()


def test_big_whole_labels_in_csv_and_npz(tmp_path):
    csv = tmp_path / "b.csv"
    csv.write_text("1,2,0\n3,4,1\n5,6,0\n7,8,1000000000\n")
    p = _child("data", str(csv))
    assert p.stdout.startswith("LOADED"), p.stdout + p.stderr
    npz = tmp_path / "b.npz"
    np.savez(npz, x_train=np.zeros((3, 2)), y_train=np.array([0, 10**9, 0]),
             x_test=np.zeros((1, 2)), y_test=np.array([10**9]))
    p = _child("data", str(npz))
    assert p.stdout.startswith("LOADED"), p.stdout + p.stderr


def test_an_npz_header_claiming_gigabytes(tmp_path):
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": "<f8", "fortran_order": False,
                                                "shape": (3 * 10**8, 2)})
    path = tmp_path / "claims.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x_train.npy", head.getvalue() + b"\0" * 1000)
        for k in ("y_train", "x_test", "y_test"):
            z.writestr(f"{k}.npy", _member(np.zeros(2)))
    p = _child("data", str(path))
    assert p.stdout.startswith("REFUSED") and "claims shape" in p.stdout, p.stdout + p.stderr


def test_a_model_file_claiming_a_huge_layer(tmp_path):
    from nnviz.core.model_io import save_model
    from nnviz.core.network import build_mlp

    path = save_model(build_mlp([4, 6, 3], seed=0), tmp_path / "m.nnviz")
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(np.load(io.BytesIO(members["__nnviz__.npy"])).tobytes())
    meta["network"]["layers"][0]["n_in"] = 30_000_000
    members["__nnviz__.npy"] = _member(np.frombuffer(json.dumps(meta).encode(), np.uint8))
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    p = _child("model", str(path))
    assert p.stdout.startswith("REFUSED") and "n_in" in p.stdout, p.stdout + p.stderr


@pytest.mark.parametrize("argv", [["train", "--preset", "xor", "--layers", "2,100000,100000,1"],
                                  ["train", "--preset", "xor", "--layers", "2,1000000,20,1"]])
def test_networks_too_big_for_the_cap_are_refused_with_the_estimate(argv):
    p = _child("cli", "\x1f".join(argv))
    assert p.returncode == 2 and "would need about" in p.stderr and "Traceback" not in p.stderr, \
        p.stdout + p.stderr
