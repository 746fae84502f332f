"""Model files: bit-exact round trip, atomic writes, and clear errors for bad files."""
import io
import json
import zipfile

import numpy as np
import pytest

from nnviz.core.errors import ModelFileError
from nnviz.core.model_io import load_model, save_model
from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer


def _trained(tmp_path, **kw):
    net = build_mlp([4, 6, 3], activation="relu", output_activation="softmax", loss="cross_entropy",
                    seed=3, **kw)
    x = np.random.default_rng(0).normal(size=(16, 4))
    t = np.eye(3)[np.random.default_rng(1).integers(0, 3, 16)]
    opt = get_optimizer("adam", lr=0.01)
    for _ in range(5):
        net.train_step(x, t, opt)
    return net, x


@pytest.mark.parametrize("kw", [{}, {"batchnorm": True}, {"dtype": "float32"}, {"dropout": 0.2}])
def test_round_trip_is_bit_exact(tmp_path, kw):
    net, x = _trained(tmp_path, **kw)
    path = save_model(net, tmp_path / "m.nnviz", extra={"preset": "test", "lr": 0.01})
    net2, extra = load_model(path)
    assert extra == {"preset": "test", "lr": 0.01}
    assert net2.config() == net.config()
    np.testing.assert_array_equal(net2.flat_params, net.flat_params)
    assert net2.flat_params.dtype == net.flat_params.dtype
    for l1, l2 in zip(net.layers, net2.layers):
        for k in l1.buffers:
            np.testing.assert_array_equal(l1.buffers[k], l2.buffers[k])
    np.testing.assert_array_equal(net2.forward(x), net.forward(x))


def test_save_is_atomic_and_leaves_no_temp(tmp_path, monkeypatch):
    net, _ = _trained(tmp_path)
    path = tmp_path / "m.nnviz"
    save_model(net, path)
    before = path.read_bytes()
    monkeypatch.setattr(np, "savez", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(Exception, match="No space left"):
        save_model(net, path)
    assert path.read_bytes() == before          # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["m.nnviz"]  # no temp file left


def test_truncated_file(tmp_path):
    net, _ = _trained(tmp_path)
    path = save_model(net, tmp_path / "m.nnviz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="truncated"):
        load_model(path)


def _rewrite_entry(path, name, change):
    """Replace one entry of the archive with ``change(bytes)``, keeping the zip itself valid."""
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    entries[name] = change(entries[name])
    with zipfile.ZipFile(path, "w") as z:
        for n, b in entries.items():
            z.writestr(n, b)


def test_flipped_byte_in_array(tmp_path):
    net, _ = _trained(tmp_path)
    path = tmp_path / "m.nnviz"
    save_model(net, path)
    # one array changed, the zip consistent: only the checksum can notice
    _rewrite_entry(path, "p:0.W.npy", lambda raw: raw[:-1] + bytes([raw[-1] ^ 0x01]))
    with pytest.raises(ModelFileError, match=r"p:0\.W does not match its checksum"):
        load_model(path)


def test_tampered_architecture(tmp_path):
    net, _ = _trained(tmp_path)
    path = tmp_path / "m.nnviz"
    save_model(net, path)
    meta = json.loads(np.load(path)["__nnviz__"].tobytes())
    meta["network"]["layers"][0]["n_out"] = 7
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    _rewrite_entry(path, "__nnviz__.npy", lambda _: buf.getvalue())
    with pytest.raises(ModelFileError, match="layer"):
        load_model(path)


def test_pickle_is_refused(tmp_path):
    path = tmp_path / "evil.nnviz"
    np.savez(path.open("wb"), __nnviz__=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="pickled"):
        load_model(path)


def test_not_a_model(tmp_path):
    p = tmp_path / "x.nnviz"
    p.write_text("hello")
    with pytest.raises(ModelFileError, match="not an nnviz model"):
        load_model(p)
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "missing.nnviz")
    np.savez(tmp_path / "plain.npz", a=np.zeros(3))
    with pytest.raises(ModelFileError, match="no __nnviz__ entry"):
        load_model(tmp_path / "plain.npz")
