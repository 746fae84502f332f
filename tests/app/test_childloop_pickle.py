"""The training child's tick pickling (``childloop.dump_tick``): small arrays as bytes, large
ones NumPy's way, checkpoints as tuples; what the parent unpickles equals what was sent."""
import pickle

import numpy as np
import pytest

from nnviz.app.training import childloop
from nnviz.experiment import Settings, build
from nnviz.timeline.packed import Packer


def _round_trip(obj):
    return pickle.loads(childloop.dump_tick(obj))


@pytest.mark.parametrize("a", [
    np.arange(12, dtype=np.float32).reshape(3, 4),
    np.arange(12.0).reshape(3, 4).T,                    # not C-contiguous
    np.array(3.5),                                      # 0-d
    np.zeros((0, 5)),                                   # empty
    np.array([True, False]),
    np.arange(5, dtype=">i4"),                          # big-endian
    np.random.default_rng(0).normal(size=(300, 300)),   # 720 KB: NumPy's own way
], ids=["f32", "transposed", "0-d", "empty", "bool", "big-endian", "large"])
def test_arrays_come_back_equal_and_writable(a):
    b = _round_trip({"a": a})["a"]
    assert type(b) is np.ndarray and b.dtype == a.dtype and b.shape == a.shape
    assert np.array_equal(a, b) and b.flags.writeable   # (the worker may write into what it gets)


def test_small_arrays_are_sent_as_bytes_and_large_ones_are_not():
    small, large = np.ones(childloop.SMALL_ARRAY // 8), np.ones(childloop.SMALL_ARRAY // 8 + 1)
    assert b"_array" in childloop.dump_tick(small)
    assert b"_array" not in childloop.dump_tick(large)


def test_object_arrays_and_subclasses_go_the_ordinary_way():
    obj = np.array([{"x": 1}, None], dtype=object)
    back = _round_trip(obj)
    assert back.dtype == object and back[0] == {"x": 1} and back[1] is None
    m = _round_trip(np.ma.masked_array([1, 2], mask=[0, 1]))
    assert isinstance(m, np.ma.MaskedArray) and m.mask.tolist() == [False, True]


def test_a_checkpoint_comes_back_with_the_same_state():
    exp = build(Settings(optimizer="adam", batchnorm=True, dropout=0.2))
    for _ in range(7):
        exp.trainer.train_batch()
    p = Packer().pack(exp.trainer)
    q = _round_trip(("tick", {"kept": {3: p}}))[1]["kept"][3]
    a, b = p.state(), q.state()
    assert np.array_equal(a["params"], b["params"])
    assert a["optimizer"]["t"] == b["optimizer"]["t"] == 7
    for k in a["optimizer"]["state"]:
        assert np.array_equal(a["optimizer"]["state"][k], b["optimizer"]["state"][k])
    for k in a["buffers"]:
        assert np.array_equal(a["buffers"][k], b["buffers"][k])
    assert a["rng"] == b["rng"] and a["trainer"]["global_step"] == b["trainer"]["global_step"]
