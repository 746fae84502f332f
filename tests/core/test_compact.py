"""Unpickled and copied experiments keep their attributes in CPython's compact storage.

The training child process unpickles its experiment, and branches and step mode copy
networks; with each object's attributes in a real dict (what ``pickle`` leaves without a
``__setstate__``, and what an object with more than 30 attributes always has) every attribute
read is slower and a toy batch took 7-8% longer (nnviz/core/compact.py).
"""
import copy
import gc
import pickle

import pytest

from nnviz.experiment import Settings, build


def _materialised(obj) -> bool:
    """Whether ``obj``'s attributes live in a dict of their own (CPython 3.11: ``gc`` then
    sees that dict instead of the values; looking at ``obj.__dict__`` would create it)."""
    refs = gc.get_referents(obj)
    return (len(refs) == 2 and type(refs[0]) is dict and refs[1] is type(obj) and bool(refs[0])
            and all(isinstance(k, str) and getattr(obj, k, None) is v for k, v in refs[0].items()))


def _nnviz_objects(root) -> list:
    seen, out, todo = set(), [], [root]
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, dict):
            todo.extend(o.values())
        elif isinstance(o, (list, tuple)):
            todo.extend(o)
        elif type(o).__module__.startswith("nnviz") and not isinstance(o, type):
            out.append(o)
            todo.extend(gc.get_referents(o))
    return out


class _Probe:
    def __init__(self):
        self.a, self.b = 1, [2]


def _detector_works() -> bool:
    touched = _Probe()
    touched.__dict__  # noqa: B018 - creates the dict
    return _materialised(touched) and not _materialised(_Probe())


SETTINGS = {
    "toy": Settings(),
    "adam, dropout, batch norm, a schedule": Settings(optimizer="adam", dropout=0.2, batchnorm=True,
                                                      schedule="step"),
}


@pytest.mark.skipif(not _detector_works(), reason="this Python stores attributes another way")
@pytest.mark.parametrize("how", ["built", "pickled", "deep-copied"])
@pytest.mark.parametrize("name", list(SETTINGS))
def test_training_objects_keep_compact_attributes(name, how):
    exp = build(SETTINGS[name])
    if how == "pickled":
        exp = pickle.loads(pickle.dumps(exp, protocol=pickle.HIGHEST_PROTOCOL))
    elif how == "deep-copied":
        exp = copy.deepcopy(exp)
    objects = _nnviz_objects(exp)
    kinds = {type(o).__name__ for o in objects}
    assert {"Trainer", "Network", "Dense", "BlowUpWatch", "Experiment"} <= kinds
    # Settings (33 fields) is read when a run starts, not per batch
    slow = sorted({type(o).__name__ for o in objects if _materialised(o) and not isinstance(o, Settings)})
    assert slow == []


def test_unpickled_trainer_trains_like_the_original():
    a = build(Settings(optimizer="adam", dropout=0.2))
    b = pickle.loads(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL))
    for _ in range(30):
        ra, rb = a.trainer.train_batch(), b.trainer.train_batch()
        assert ra.loss == rb.loss
    assert (a.net.flat_params == b.net.flat_params).all()
    assert b.trainer.watch.start_loss == a.trainer.watch.start_loss
