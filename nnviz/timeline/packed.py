"""A light checkpoint: the exact state of a run in two contiguous arrays and a few small tuples.

:func:`~nnviz.timeline.state.capture_state` builds a nested dict of many small arrays and dicts:
exact, but on a small network its Python objects cost more time and memory than its numbers.
A :class:`Packer` (one per timeline) copies the parameters into one array and every layer
buffer and optimizer state array into a second one, keeps the scalars in one tuple and each
random generator's state as a small tuple, and shares what rarely changes (the epoch's sample
order, the last confusion matrix, the hyper-parameters) between checkpoints. :meth:`Packed.state`
gives back the dict of :func:`capture_state` (read-only views of the arrays), so restoring and
saving work as before; :func:`footprint` is what a checkpoint really holds in memory.
"""
from __future__ import annotations

import ctypes
import operator
import struct
import sys

import numpy as np

from nnviz.core.optim import Optimizer
from nnviz.core.schedules import Schedule
from nnviz.timeline.state import STATE_VERSION, _generators, frozen

_TRAINER = ("epoch", "step_in_epoch", "global_step", "base_lr", "loss_sum", "correct", "seen",
            "seconds", "start_loss", "high", "suspicious", "start_weight")


def _rng_tuple(rng: np.random.Generator):
    return _rng_tuple_of(rng.bit_generator.state)  # another generator than PCG64: its own dict


class _BitStates:
    """Each generator's state tuple, read from its raw bytes.

    ``bit_generator.state`` builds a dict of big ints (a microsecond and more; a checkpoint
    reads two or three generators). A PCG64's state lives in its object: at
    ``ctypes.state_address`` a pointer to the 128-bit state and increment, then
    ``has_uint32`` and ``uinteger``. Those bytes are read in one go; while they equal the
    last ones the last tuple is given back (the generators of augmentation and dropout when
    off, the shuffle within an epoch), else they are decoded. The decoding is checked against
    ``bit_generator.state`` the first times (``CHECKS``): a layout other than the expected one
    (another NumPy, another platform) turns the shortcut off for that generator for good."""

    CHECKS = 3

    def __init__(self):
        self._cache: dict[int, list] = {}   # id(bit generator) → [it, window, raw, tuple, decoder, checks]

    def __call__(self, rng: np.random.Generator):
        bg = rng.bit_generator
        e = self._cache.get(id(bg))
        if e is None or e[0] is not bg:
            return self._first(bg)
        w = e[1]
        if w is None:
            return _rng_tuple_of(bg.state)
        raw = w.raw
        if raw == e[2]:
            return e[3]
        has, uint, s0, s1, i0, i1 = e[4](raw)
        t = (s1 << 64 | s0, i1 << 64 | i0, has, uint)
        if e[5]:
            e[5] -= 1
            if _rng_tuple_of(bg.state) != t:
                e[1] = None
                return _rng_tuple_of(bg.state)
        e[2], e[3] = raw, t
        return t

    def _first(self, bg):
        t = _rng_tuple_of(bg.state)
        window = decode = None
        if type(bg) is np.random.PCG64 and isinstance(t, tuple) and sys.byteorder == "little":
            try:
                addr = bg.ctypes.state_address
                skip = ctypes.c_void_p.from_address(addr).value - addr
                if 16 <= skip <= 64:
                    window = (ctypes.c_char * (skip + 32)).from_address(addr)
                    decode = struct.Struct(f"<8xiI{skip - 16}xQQQQ").unpack
            except Exception:   # noqa: BLE001 - no ctypes view: the ordinary read always
                window = None
        raw = None if window is None else window.raw
        if raw is not None:
            has, uint, s0, s1, i0, i1 = decode(raw)
            if t != (s1 << 64 | s0, i1 << 64 | i0, has, uint):
                window = raw = None
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[id(bg)] = [bg, window, raw, t, decode, self.CHECKS]
        return t


def _rng_dict(t) -> dict:
    if isinstance(t, dict):
        return t
    return {"bit_generator": "PCG64", "state": {"state": t[0], "inc": t[1]},
            "has_uint32": t[2], "uinteger": t[3]}


class _Layout:
    """Where each buffer and optimizer array sits in a checkpoint's ``rest`` array."""

    __slots__ = ("items", "size", "dtype", "opt_name", "key", "spans", "empty")

    def __init__(self, key, items, dtype, opt_name):
        self.key, self.items, self.dtype, self.opt_name = key, items, dtype, opt_name
        self.spans = tuple((off, off + int(np.prod(shape, dtype=np.int64)))
                           for _g, _k, shape, off in items)
        self.size = sum(b - a for a, b in self.spans)
        self.empty = None   # the read-only empty ``rest`` its checkpoints share (no buffers)


class Packed:
    """One checkpoint's state (see the module's text)."""

    __slots__ = ("params", "rest", "layout", "scalars", "rngs", "order", "last_epoch",
                 "confusion", "hyper", "schedule")

    def state(self) -> dict:
        """The dict :func:`~nnviz.timeline.state.capture_state` gives (views, read-only)."""
        buffers, opt_state = {}, {}
        for (group, key, shape, _off), (a, b) in zip(self.layout.items, self.layout.spans):
            (buffers if group == "b" else opt_state)[key] = self.rest[a:b].reshape(shape)
        sc = dict(zip(("t", "lr") + _TRAINER, self.scalars))
        trainer = {k: sc[k] for k in _TRAINER}
        trainer.update(order=self.order, last_epoch=self.last_epoch, last_confusion=self.confusion)
        shuffle, transform, *dropout = self.rngs
        return {
            "version": STATE_VERSION, "params": self.params, "buffers": buffers,
            "optimizer": {"name": self.layout.opt_name, "t": sc["t"], "lr": sc["lr"],
                          "hyperparameters": dict(self.hyper), "state": opt_state},
            "schedule": {"name": self.schedule[0], "options": dict(self.schedule[1])},
            "trainer": trainer,
            "rng": {"shuffle": _rng_dict(shuffle), "transform": _rng_dict(transform),
                    "dropout": [_rng_dict(r) for r in dropout]},
        }


class Packer:
    """Packs a trainer's state; keeps what checkpoints share (one per timeline, one thread)."""

    def __init__(self):
        self._layout = None
        self._quick = None                 # (network, optimizer, its state dict) of _layout
        self._order_src = self._order = None
        self._conf_src = self._conf = None
        self._epoch_src = self._epoch = None
        self._hyper = self._schedule = None
        self._sched_src = None             # the schedule whose options _schedule holds
        self._hyper_src = None             # the optimizer whose hyper-parameters _hyper holds
        self._hyper_get = self._hyper_values = None
        self._bits = _BitStates()

    def _layout_for(self, trainer) -> _Layout:
        net, opt = trainer.net, trainer.optimizer
        quick = (id(net), id(opt), id(opt.state), len(opt.state))
        if self._layout is not None and quick == self._quick:
            return self._layout
        self._quick = quick
        bufs = [(f"{li}.{k}", v) for li, layer in enumerate(net.layers) for k, v in layer.buffers.items()]
        state = [(k, v) for k, v in opt.state.items() if not k.startswith("_")]
        return self._layout_of(opt.name, bufs, state, net.flat_params.dtype)

    def _layout_of(self, name: str, bufs: list, state: list, fallback) -> _Layout:
        """The layout of buffers ``bufs`` and optimizer state ``state`` (``(key, array)`` pairs),
        kept while their names, shapes and dtypes stay (``fallback``: the dtype with neither)."""
        key = (name, tuple((k, v.shape, v.dtype.str) for k, v in bufs),
               tuple((k, np.shape(v), np.asarray(v).dtype.str) for k, v in state))
        lay = self._layout
        if lay is None or lay.key != key:
            items, off = [], 0
            for group, pairs in (("b", bufs), ("o", state)):
                for k, v in pairs:
                    shape = tuple(np.shape(v))
                    items.append((group, k, shape, off))
                    off += int(np.prod(shape, dtype=np.int64))
            dtypes = [np.asarray(v).dtype for _k, v in bufs + state] or [fallback]
            lay = self._layout = _Layout(key, tuple(items), np.result_type(*dtypes), name)
        return lay

    def _shared(self, trainer):
        o = trainer._order
        if o is not self._order_src:
            self._order_src, self._order = o, (None if o is None else _frozen(o))
        c = trainer.last_confusion
        if c is not self._conf_src:
            self._conf_src, self._conf = c, (None if c is None else _frozen(c))
        e = trainer.last_epoch
        if e is not self._epoch_src:
            self._epoch_src, self._epoch = e, (None if e is None else e.as_dict())
        opt = trainer.optimizer
        if opt is not self._hyper_src or self._hyper_get(opt) != self._hyper_values:
            hp = opt.hyperparameters   # (the same values as the last dict: it is kept)
            if hp != self._hyper:
                self._hyper = hp
            quick = type(opt).hyperparameters is _OPTIMIZER_HYPER and len(self._hyper)
            self._hyper_src = opt if quick else None
            if quick:
                self._hyper_get = operator.attrgetter(*self._hyper)
                self._hyper_values = tuple(self._hyper.values())
        sc = trainer.schedule
        if sc is self._sched_src and sc.name == self._schedule[0] and vars(sc) == self._schedule[1]:
            return   # (the options are vars(sc): their copy, with lists for tuples, is equal)
        sched = (sc.name, {k: list(v) if isinstance(v, (list, tuple)) else v
                           for k, v in sc.hyperparameters.items()})
        if sched != self._schedule:
            self._schedule = sched
        self._sched_src = sc if type(sc).hyperparameters is _SCHEDULE_OPTIONS else None

    def pack(self, trainer) -> Packed:
        t, opt = trainer, trainer.optimizer
        lay = self._layout
        if lay is None or self._quick != (id(t.net), id(opt), id(opt.state), len(opt.state)):
            lay = self._layout_for(trainer)
        self._shared(trainer)
        p = Packed()
        params = t.net.flat_params.copy(order="K")   # (a read-only copy, as frozen() makes)
        params.setflags(write=False)
        p.params = params
        if lay.size:
            rest = np.empty(lay.size, lay.dtype)
            arrays = [v for layer in t.net.layers for v in layer.buffers.values()]
            arrays += [v for k, v in opt.state.items() if not k.startswith("_")]
            for (a, b), v in zip(lay.spans, arrays):
                rest[a:b] = np.ravel(v)
            rest.setflags(write=False)
        else:   # nothing to copy: one empty array for all (sys.getsizeof counts it as before)
            rest = lay.empty
            if rest is None:
                rest = lay.empty = np.empty(0, lay.dtype)
                rest.setflags(write=False)
        p.rest, p.layout = rest, lay
        w = t.watch
        p.scalars = (int(opt.t), float(opt.lr), int(t.epoch), int(t.step_in_epoch),
                     int(t.global_step), float(t.base_lr), float(t._loss_sum), int(t._correct),
                     int(t._seen), float(t._seconds), w.start_loss, int(w.high),
                     bool(w.suspicious), float(w.start_weight))
        bits = self._bits
        p.rngs = (bits(t.rng), bits(t.transform_rng), *(bits(g) for g in _generators(t)))
        p.order, p.confusion, p.last_epoch = self._order, self._conf, self._epoch
        p.hyper, p.schedule = self._hyper, self._schedule
        return p

    def from_state(self, state: dict) -> Packed:
        """A :class:`Packed` holding ``state`` (a :func:`capture_state` dict, e.g. from a file)."""
        self._hyper_src = self._sched_src = None   # (the quick checks of _shared start again)
        bufs = list(state["buffers"].items())
        o = state["optimizer"]
        ost = list(o["state"].items())
        lay = self._layout_of(o["name"], bufs, ost, state["params"].dtype)
        p = Packed()
        p.params = state["params"]
        rest = np.empty(lay.size, lay.dtype)
        for (_g, _k, shape, off), (_kk, v) in zip(lay.items, bufs + ost):
            rest[off:off + int(np.prod(shape, dtype=np.int64))] = np.ravel(v)
        rest.flags.writeable = False
        p.rest, p.layout = rest, lay
        t = state["trainer"]
        p.scalars = (int(o["t"]), float(o["lr"]), *(t[k] for k in _TRAINER))
        r = state["rng"]
        p.rngs = tuple(_rng_tuple_of(d) for d in (r["shuffle"], r["transform"], *r["dropout"]))
        p.order = t.get("order")
        p.confusion = t.get("last_confusion")
        if t.get("last_epoch") != self._epoch:
            self._epoch = t.get("last_epoch")
        if o["hyperparameters"] != self._hyper:
            self._hyper = dict(o["hyperparameters"])
        sc = state.get("schedule") or {"name": "constant", "options": {}}
        sched = (sc["name"], dict(sc["options"]))
        if sched != self._schedule:
            self._schedule = sched
        p.last_epoch, p.hyper, p.schedule = self._epoch, self._hyper, self._schedule
        return p


#: The options a schedule gives by default: ``dict(vars(schedule))``.
_SCHEDULE_OPTIONS = Schedule.__dict__["hyperparameters"]
#: The hyper-parameters an optimizer gives by default: its attributes of the same names.
_OPTIMIZER_HYPER = Optimizer.__dict__["hyperparameters"]


def _frozen(a):
    """:func:`~nnviz.timeline.state.frozen`, quicker for an array."""
    if type(a) is not np.ndarray:
        return frozen(a)
    c = a.copy(order="K")
    c.setflags(write=False)
    return c


def _rng_tuple_of(s: dict):
    if s.get("bit_generator") == "PCG64" and set(s) == {"bit_generator", "state", "has_uint32", "uinteger"}:
        return (s["state"]["state"], s["state"]["inc"], s["has_uint32"], s["uinteger"])
    return s


def _size(obj) -> int:
    """``obj`` and the small values it holds directly (tuples, dicts of scalars)."""
    n = sys.getsizeof(obj)
    if isinstance(obj, dict):
        n += sum(sys.getsizeof(v) for v in obj.values() if not isinstance(v, (bool, type(None))))
    elif isinstance(obj, tuple):
        for v in obj:
            if isinstance(v, (tuple, dict)):
                n += _size(v)
            elif not isinstance(v, (bool, type(None))) and not (isinstance(v, int) and -5 <= v <= 256):
                n += sys.getsizeof(v)
    return n


#: Bytes the allocator adds to each object beyond ``sys.getsizeof`` (rounding, headers), about.
SLACK = 16
#: ... and to each NumPy array (its data is a second allocation, aligned), measured with tracemalloc.
ARRAY_SLACK = 96


def shared_of(cp) -> list:
    """The objects ``cp`` shares with other checkpoints (each counted once by the timeline)."""
    pk = getattr(cp, "packed", None)
    if pk is not None:
        return [x for x in (pk.order, pk.confusion, pk.last_epoch, pk.hyper, pk.schedule) if x is not None]
    t = cp.state.get("trainer", {}) if isinstance(cp.state, dict) else {}
    return [x for x in (t.get("order"), t.get("last_confusion")) if isinstance(x, np.ndarray)]


def shared_size(obj) -> int:
    if isinstance(obj, np.ndarray):
        return sys.getsizeof(obj) + (0 if obj.base is None else obj.nbytes) + ARRAY_SLACK
    if isinstance(obj, dict):   # an epoch's metrics (flat: _size, without generators)
        n = sys.getsizeof(obj)
        for v in obj.values():
            if v is None or v is True or v is False:
                continue
            if not isinstance(v, (int, float, str)):
                break
            n += sys.getsizeof(v)
        else:
            return n + SLACK * (2 + len(obj))
    return _deep(obj) + SLACK


def footprint(cp) -> int:
    """The bytes one checkpoint holds that no other does (:func:`shared_of` not included):
    its arrays and every Python object of it."""
    n = sys.getsizeof(cp) + _size(cp.metrics) + SLACK * (4 + len(cp.metrics))
    pk = getattr(cp, "packed", None)
    if pk is None:  # a checkpoint holding a state dict (from a file or capture_state)
        skip = {id(x) for x in shared_of(cp)}
        return n + _deep(cp.state, skip)
    n += sys.getsizeof(pk) + sys.getsizeof(pk.params) + sys.getsizeof(pk.rest) + 2 * ARRAY_SLACK
    n += _size(pk.scalars) + _size(pk.rngs) + SLACK * (6 + 3 * len(pk.rngs))
    return n


def _deep(v, skip=frozenset()) -> int:
    if isinstance(v, np.ndarray):
        if id(v) in skip:
            return 0
        return sys.getsizeof(v) + (0 if v.base is None else v.nbytes) + ARRAY_SLACK
    n = sys.getsizeof(v) + SLACK
    if isinstance(v, dict):
        return n + sum(_deep(x, skip) for x in v.values())
    if isinstance(v, (list, tuple)):
        return n + sum(_deep(x, skip) for x in v)
    return n
