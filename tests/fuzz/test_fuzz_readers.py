"""Any byte string, or a small variation of a good file, either loads correctly or raises the
project's own error with a message: never another exception (CSV, IDX, .npz, model files)."""
import gzip
import io
import os
import struct
import tempfile
import zipfile

import numpy as np
from hypothesis import given, strategies as st

from nnviz.core.errors import DataError, ModelFileError, NNVizError
from nnviz.core.model_io import load_model, save_model
from nnviz.core.network import build_mlp
from nnviz.data import idx
from nnviz.data.csvdata import load_csv, load_npz

TMP = tempfile.mkdtemp(prefix="nnviz-fuzz-")


def _file(name: str, data: bytes) -> str:
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _check_dataset(ds) -> None:
    """What every loaded dataset must satisfy."""
    assert ds.x_train.ndim == 2 and len(ds.x_train) == len(ds.y_train) >= 1
    if ds.x_train.dtype.kind == "f":
        assert np.isfinite(ds.x_train).all() and np.isfinite(ds.x_test).all()
    if ds.n_classes is not None:
        assert ds.n_classes == len(ds.class_names) >= 2
        for y in (ds.y_train, ds.y_test):
            assert y.dtype == np.int64 and (len(y) == 0 or 0 <= y.min() <= y.max() < ds.n_classes)
        ds.summary()  # counts per class: must not allocate per label value
    else:
        assert np.isfinite(ds.y_train).all()


def _loads_or_refuses(load, *args, error=NNVizError, **kw):
    try:
        result = load(*args, **kw)
    except error as exc:
        assert str(exc).strip(), "an error without a message"
        return None
    return result


# -- CSV ------------------------------------------------------------------------------------
@given(st.binary(max_size=400))
def test_csv_any_bytes(data):
    ds = _loads_or_refuses(load_csv, _file("any.csv", data), error=DataError)
    if ds is not None:
        _check_dataset(ds)


CELLS = st.one_of(
    st.integers(-3, 3).map(str), st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "?", "NA", "cat", "dog", "1e300",
                     "-0", "0x10", "1_000", '"1,2"', "label", "２"]),
    st.text(max_size=5))


@given(st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=25),
       st.sampled_from([None, True, False]), st.sampled_from([None, 0, -1, "1", "label", "x"]),
       st.sampled_from(["classification", "regression"]))
def test_csv_tables(rows, header, label, task):
    text = "\n".join(",".join(r) for r in rows) + "\n"
    ds = _loads_or_refuses(load_csv, _file("t.csv", text.encode("utf-8")), error=DataError,
                           header=header, label=label, task=task)
    if ds is not None:
        _check_dataset(ds)


# -- IDX ------------------------------------------------------------------------------------
def _idx_images(count, rows, cols, body):
    return struct.pack(">IIII", idx.IMAGES_MAGIC, count, rows, cols) + body


@given(st.binary(max_size=300), st.booleans())
def test_idx_any_bytes(data, gz):
    data = gzip.compress(data) if gz else data
    for reader in (idx.read_images, idx.read_labels):
        _loads_or_refuses(reader, _file("any-idx3-ubyte", data), error=DataError)


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1),
       st.binary(max_size=200))
def test_idx_headers_claiming_any_size(count, rows, cols, body):
    path = _file("h-idx3-ubyte", _idx_images(count, rows, cols, body))
    got = _loads_or_refuses(idx.read_images, path, error=DataError)
    if got is not None:
        images, shape = got
        assert images.shape == (count, rows * cols) and shape == (rows, cols)


# -- .npz -----------------------------------------------------------------------------------
def _npz_bytes(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


GOOD_NPZ = _npz_bytes({"x_train": np.arange(12.0).reshape(6, 2), "y_train": np.array([0, 1] * 3),
                       "x_test": np.ones((2, 2)), "y_test": np.array([1, 0])})


@given(st.binary(max_size=400))
def test_npz_any_bytes(data):
    ds = _loads_or_refuses(load_npz, _file("any.npz", data), error=DataError)
    if ds is not None:
        _check_dataset(ds)


@given(st.lists(st.tuples(st.integers(0, len(GOOD_NPZ) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_npz_damaged_bytes(changes):
    data = bytearray(GOOD_NPZ)
    for pos, value in changes:
        data[pos] = value
    ds = _loads_or_refuses(load_npz, _file("damaged.npz", bytes(data)), error=DataError)
    if ds is not None:
        _check_dataset(ds)


ARRAYS = st.one_of(
    st.builds(np.array, st.lists(st.integers(-2, 10**9), max_size=6)),
    st.builds(np.array, st.lists(st.floats(allow_nan=True), max_size=6)),
    st.builds(lambda n, d: np.zeros((n, d)), st.integers(0, 5), st.integers(0, 3)),
    st.builds(lambda n: np.zeros((n, 2, 2), np.uint8), st.integers(0, 4)),
    st.builds(np.array, st.lists(st.sampled_from(["a", "b", "c"]), max_size=6)),
    st.just(np.array(3.0)), st.just(np.array([True, False])), st.just(np.array([1 + 2j])))


@given(st.dictionaries(st.sampled_from(["x_train", "y_train", "x_test", "y_test", "class_names",
                                        "feature_names", "other"]), ARRAYS, max_size=7))
def test_npz_any_arrays(arrays):
    ds = _loads_or_refuses(load_npz, _file("arrays.npz", _npz_bytes(arrays)), error=DataError)
    if ds is not None:
        _check_dataset(ds)


@given(st.lists(st.integers(0, 2**40), min_size=0, max_size=3), st.sampled_from(["<f8", "|u1", "<i8", "|O"]))
def test_npz_headers_claiming_any_shape(shape, descr):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": descr, "fortran_order": False,
                                                  "shape": tuple(shape)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x_train.npy", header.getvalue() + b"\0" * 100)
        for k in ("y_train", "x_test", "y_test"):
            z.writestr(f"{k}.npy", _npz_member(np.zeros(2)))
    _loads_or_refuses(load_npz, _file("claims.npz", buf.getvalue()), error=DataError)


def _npz_member(arr) -> bytes:
    b = io.BytesIO()
    np.save(b, arr)
    return b.getvalue()


# -- model files ----------------------------------------------------------------------------
def _model_bytes() -> bytes:
    path = os.path.join(TMP, "good.nnviz")
    save_model(build_mlp([3, 4, 2], batchnorm=True, seed=0), path)
    with open(path, "rb") as f:
        return f.read()


GOOD_MODEL = _model_bytes()


@given(st.lists(st.tuples(st.integers(0, len(GOOD_MODEL) - 1), st.integers(0, 255)),
                min_size=1, max_size=6))
def test_model_damaged_bytes(changes):
    data = bytearray(GOOD_MODEL)
    for pos, value in changes:
        data[pos] = value
    _loads_or_refuses(load_model, _file("damaged.nnviz", bytes(data)), error=ModelFileError)


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats() |
                    st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)


@given(st.sampled_from(["format", "version", "network", "extra", "arrays", "network.layers",
                        "network.loss", "network.dtype", "layer.n_in", "layer.n_out", "layer.kind",
                        "layer.activation", "layer.batchnorm", "layer.dropout", "layer.init"]), JSON)
def test_model_description_any_value(where, value):
    import json
    with zipfile.ZipFile(io.BytesIO(GOOD_MODEL)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(np.load(io.BytesIO(members["__nnviz__.npy"])).tobytes())
    if where.startswith("layer."):
        meta["network"]["layers"][0][where[6:]] = value
    elif where.startswith("network."):
        meta["network"][where[8:]] = value
    else:
        meta[where] = value
    members["__nnviz__.npy"] = _npz_member(np.frombuffer(json.dumps(meta).encode(), np.uint8))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    got = _loads_or_refuses(load_model, _file("meta.nnviz", buf.getvalue()), error=ModelFileError)
    if got is not None:
        net, extra = got
        assert isinstance(extra, dict) and net.n_params > 0
