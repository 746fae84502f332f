"""Issue 10: blown-up runs diverge, model files and .npz archives are checked before anything is
allocated, and saving never replaces what is not a model file."""
import io
import json
import math
import os
import stat
import zipfile

import numpy as np
import pytest

from nnviz.core.errors import Diverged, ModelFileError, NNVizError
from nnviz.core.memory import TooBig, check_fits, network_bytes
from nnviz.core.model_io import SaveError, atomic_write, load_model, save_model
from nnviz.core.network import build_mlp
from nnviz.core.npzfile import read_npz
from nnviz.core.optim import get_optimizer
from nnviz.core.training import Trainer
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = np.array([[-2.0, -2.0], [2.0, 2.0]])[y] + rng.normal(size=(n, 2))
    return Dataset("blobs", x[:n // 2], y[:n // 2], x[n // 2:], y[n // 2:], n_classes=2)


# -- divergence ---------------------------------------------------------------------------
def test_a_finite_blow_up_diverges_and_keeps_the_weights_before_that_step():
    exp = build(Settings(hidden=[8], activation="relu", output_activation="softmax",
                         loss="cross_entropy", optimizer="adam", lr=1e6, batch_size=10),
                data=blobs())
    before = exp.net.flat_params.copy()
    with pytest.raises(Diverged) as info:
        for _ in range(200):
            before = exp.net.flat_params.copy()
            exp.trainer.train_batch()
    exc = info.value
    assert math.isfinite(exc.loss)  # not a NaN: the new check caught it
    assert str(exc).startswith(f"diverged at epoch {exc.epoch}, step {exc.step} (")
    assert "try a smaller learning rate than 1e+06" in str(exc) and exc.exit_code == 3
    np.testing.assert_array_equal(exp.net.flat_params, before)


def test_weight_decay_that_drives_weights_apart_gets_its_own_hint():
    # each step multiplies a weight by 1 - 0.1 * 50 = -4: the sigmoid output hides it from the loss
    exp = build(Settings(dataset="gate-xor", hidden=[2], activation="sigmoid", loss="mse",
                         lr=0.1, weight_decay=50.0, batch_size=None))
    with pytest.raises(Diverged, match=r"the weight decay 50 is too large for learning rate 0\.1"):
        for _ in range(100):
            exp.trainer.train_batch()


def test_healthy_training_never_trips_the_blow_up_check():
    exp = build(Settings(hidden=[8], lr=0.5, batch_size=10), data=blobs())
    for _ in range(30):
        exp.trainer.run_epoch()
    assert exp.trainer.last_epoch.test_acc > 0.95


@pytest.mark.parametrize("kw, what", [({"weight_decay": float("nan")}, "weight decay"),
                                      ({"l1": float("inf")}, "L1 penalty")])
def test_nan_or_infinite_penalties_are_refused_when_given(kw, what):
    net = build_mlp([2, 2, 1], seed=0)
    with pytest.raises(NNVizError, match=what):
        Trainer(net, blobs(), get_optimizer("sgd", lr=0.1, **kw))
    with pytest.raises(NNVizError, match=what):
        build(Settings(hidden=[2], **kw), data=blobs())


@pytest.mark.parametrize("kw, what", [({"epochs": -1}, "epochs"), ({"seed": -1}, "seed"),
                                      ({"hidden": [2.5]}, "hidden layer size"),
                                      ({"dropout": 1.0}, "dropout"), ({"lr": 0.0}, "learning rate")])
def test_settings_no_run_can_use_are_refused(kw, what):
    with pytest.raises(NNVizError, match=what):
        build(Settings(**kw), data=blobs())


# -- memory ---------------------------------------------------------------------------------
def test_network_estimate_by_hand_and_refusal_names_both_figures():
    # [2, 3, 1]: 2·3 + 3 + 3·1 + 1 = 13 parameters, 6 units; 8 bytes × (13 × 5 + 4 × 6 × 4)
    assert network_bytes([2, 3, 1], batch=4) == 8 * (13 * 5 + 4 * 6 * 4)
    with pytest.raises(TooBig, match=r"about 2\.0 KB of memory, but only 1\.0 KB is free"):
        check_fits(2048, "this", limit=1024)
    with pytest.raises(TooBig, match="a network of 2-100000-100000-1"):
        build(Settings(hidden=[100000, 100000]), data=blobs())


# -- model files ------------------------------------------------------------------------------
def _rewrite_meta(path, change):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    arr = np.load(io.BytesIO(members["__nnviz__.npy"]))
    meta = json.loads(arr.tobytes().decode())
    change(meta)
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    members["__nnviz__.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)


def _model(tmp_path):
    return save_model(build_mlp([4, 6, 3], seed=1), tmp_path / "m.nnviz")


@pytest.mark.parametrize("n_in, message", [
    (30_000_000, "layer 0's n_in must be between 1 and 1000000, got 30000000"),
    (1000, r"p:0\.W has shape \(4, 6\), the architecture needs \(1000, 6\)")])
def test_a_model_claiming_a_huge_layer_is_refused_before_it_is_built(tmp_path, n_in, message):
    path = _model(tmp_path)
    _rewrite_meta(path, lambda m: m["network"]["layers"][0].update(n_in=n_in))
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


@pytest.mark.parametrize("value, message", [(2.5, "n_in must be a whole number, got 2.5"),
                                            (True, "n_in must be a whole number"),
                                            (0, "n_in must be between 1 and")])
def test_layer_sizes_in_a_model_file_must_be_whole_numbers(tmp_path, value, message):
    path = _model(tmp_path)
    _rewrite_meta(path, lambda m: m["network"]["layers"][0].update(n_in=value))
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_model_file_messages_say_what_is_wrong(tmp_path):
    noise = tmp_path / "noise.nnviz"
    noise.write_bytes(np.random.default_rng(0).bytes(3000))
    with pytest.raises(ModelFileError, match="not an nnviz model file, or it is truncated"):
        load_model(noise)
    bad = tmp_path / "bad.nnviz"
    with zipfile.ZipFile(bad, "w") as z:
        buf = io.BytesIO()
        np.save(buf, np.frombuffer(b"{not json", dtype=np.uint8))
        z.writestr("__nnviz__.npy", buf.getvalue())
    with pytest.raises(ModelFileError, match="the model description is not valid JSON"):
        load_model(bad)


def _npy_header_claiming(shape, dtype="<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buf.getvalue() + b"\0" * 64


def test_an_npz_member_claiming_gigabytes_is_refused_unread(tmp_path):
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x_train.npy", _npy_header_claiming((10**9,)))
    with pytest.raises(NNVizError, match=r"claims shape \(1000000000,\) \(7\.5 GB\) but the archive holds only"):
        read_npz(path)


def test_object_arrays_and_random_bytes_get_their_own_messages(tmp_path):
    obj = tmp_path / "obj.npz"
    np.savez(obj, x_train=np.array([{"a": 1}], dtype=object))
    with pytest.raises(NNVizError, match=r"array 'x_train' holds Python objects"):
        read_npz(obj)
    noise = tmp_path / "noise.npz"
    noise.write_bytes(np.random.default_rng(1).bytes(500))
    with pytest.raises(NNVizError, match="not a .npz archive") as info:
        read_npz(noise)
    assert "pickle" not in str(info.value)


# -- saving ---------------------------------------------------------------------------------
def _write(text):
    return lambda f: f.write(text)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_a_folder_and_a_device_are_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match=r"it is a FIFO \(named pipe\), not a file"):
        atomic_write(fifo, _write(b"x"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(SaveError, match="it is a folder"):
        atomic_write(tmp_path, _write(b"x"))
    with pytest.raises(SaveError, match="it is a device"):
        atomic_write("/dev/null", _write(b"x"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temp file left


def test_empty_name_and_missing_folder_are_refused(tmp_path):
    with pytest.raises(SaveError, match="no file name given"):
        atomic_write("", _write(b"x"))
    with pytest.raises(SaveError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "m.nnviz", _write(b"x"))


def test_a_symlink_is_followed_to_its_file_and_stays_a_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert atomic_write(link, _write(b"new")) == real
    assert link.is_symlink() and real.read_bytes() == b"new"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "gone" / "x.csv")
    with pytest.raises(SaveError, match="does not exist"):
        atomic_write(dangling, _write(b"x"))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_an_existing_file_keeps_its_permissions(tmp_path, mode):
    path = tmp_path / "m.nnviz"
    path.write_bytes(b"old")
    os.chmod(path, mode)
    atomic_write(path, _write(b"new"))
    assert stat.S_IMODE(os.stat(path).st_mode) == mode and path.read_bytes() == b"new"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_usual_mode_under_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "new.nnviz", _write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.nnviz").st_mode) == mode


def test_a_failed_write_keeps_the_old_file_and_writers_by_name_see_the_extension(tmp_path):
    path = tmp_path / "plot.svg"
    path.write_bytes(b"good")

    def full(name):
        assert name.endswith(".svg") and os.path.dirname(name) == str(tmp_path)
        raise OSError(28, "No space left on device")

    with pytest.raises(SaveError, match="No space left on device"):
        atomic_write(path, full, by_name=True)
    assert path.read_bytes() == b"good" and [p.name for p in tmp_path.iterdir()] == ["plot.svg"]


def test_found_by_the_fuzzer_a_zip_member_without_a_name(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x_train=np.zeros(2))
    data = bytearray(path.read_bytes())
    # a NUL as the first byte of the central directory's file name: zipfile cuts the name
    # there, and its ZipInfo.is_dir then fails with an IndexError on the empty name
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 46] = 0
    path.write_bytes(bytes(data))
    with pytest.raises(NNVizError, match="damaged"):
        read_npz(path)
