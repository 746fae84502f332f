"""The timeline's quick ways (issue 19) keep exactly what the plain way keeps.

``Timeline.record`` takes a quick way for a step it does not keep (one range check, the loss
appended without the lock) and ``Packer.pack`` reads generator states from their raw bytes and
skips rebuilding what did not change. Each test records the same run (training is
deterministic) with the quick ways and with the plain ones (:class:`Plain`: every call under
the lock, through the full keep test), and compares, step by step, what ``record`` answered,
``nbytes``, the spacing, every checkpoint, its state (against ``capture_state`` taken at that
step), the losses and the epochs.
"""

import numpy as np
import pytest

from nnviz.experiment import Settings, build
from nnviz.timeline import Timeline
from nnviz.timeline.packed import _BitStates, _rng_tuple
from nnviz.timeline.state import capture_state
from timeline_helpers import record_while_reading


class Plain(Timeline):
    """The reference: no quick way (the keep test and the losses always under the lock)."""

    def record(self, trainer, loss=None, epoch_result=None, force=False, pin=False):
        with self._lock:
            return self._record(trainer, int(trainer.global_step), loss, epoch_result, force,
                                pin)


def _clockless(v):
    """``v`` without the wall-clock fields (``seconds``), which differ between two runs."""
    if isinstance(v, dict):
        return {k: (None if k == "seconds" else _clockless(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [_clockless(x) for x in v]
    return v


def _same(a, b, where=""):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape, where
        assert a.tobytes() == b.tobytes(), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (where, set(a) ^ set(b))
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert type(a) is type(b) and (a == b or a != a and b != b), (where, a, b)


def _run(settings, cls, budget, live=None):
    """Record ``settings`` to its end into a ``cls`` timeline: the timeline, per step what
    ``record`` answered and the timeline's figures, and ``capture_state`` at each kept step."""
    exp = build(settings)
    tr = exp.trainer
    tl = cls(budget, settings=settings)
    tl.record(tr, force=True)
    trace, states = [], {0: capture_state(tr)}
    while tr.epoch < settings.epochs:
        if live is not None:
            pin = live(tr)
            if pin:
                tl.record(tr, pin=True)
                states[tr.global_step] = capture_state(tr)
        r = tr.train_batch()
        res = tr.finish_epoch() if r.epoch_done else None
        kept = tl.record(tr, r.loss, epoch_result=res, force=tr.epoch >= settings.epochs)
        if kept:
            states[tr.global_step] = capture_state(tr)
        trace.append((tr.global_step, kept, tl.nbytes, len(tl), tl.stride, tl.dense))
    return tl, trace, states


def _compare(settings, budget, live=None, live2=None):
    quick, qtrace, qstates = _run(settings, Timeline, budget, live)
    plain, ptrace, pstates = _run(settings, Plain, budget, live2 or live)
    assert qtrace == ptrace   # the same answers, bytes, counts and spacing after every step
    q, p = quick.checkpoints(), plain.checkpoints()
    assert [c.step for c in q] == [c.step for c in p] and len(q) > 3
    for a, b in zip(q, p):
        assert (a.epoch, a.step_in_epoch) == (b.epoch, b.step_in_epoch)
        _same(_clockless(a.metrics), _clockless(b.metrics), f"metrics@{a.step}")
        assert a.params.tobytes() == b.params.tobytes() and not a.params.flags.writeable
        assert a.packed.rest.tobytes() == b.packed.rest.tobytes() and not a.packed.rest.flags.writeable
        scal = list(a.packed.scalars)
        scal[9] = None   # (the trainer's clock)
        ref = list(b.packed.scalars)
        ref[9] = None
        _same(scal, ref, f"scalars@{a.step}")
        _same(a.packed.rngs, b.packed.rngs, f"rngs@{a.step}")
        # ... and the state each gives back is the one capture_state took at that step
        _same(_clockless(a.state), _clockless(qstates[a.step]), f"state@{a.step}")
        _same(_clockless(b.state), _clockless(pstates[b.step]), f"plain state@{b.step}")
    assert quick.losses.tobytes() == plain.losses.tobytes()
    _same(_clockless(quick.epochs), _clockless(plain.epochs), "epochs")
    assert (quick.nbytes, quick.stride, quick.dense, quick.pinned, quick.last_step) == \
        (plain.nbytes, plain.stride, plain.dense, plain.pinned, plain.last_step)
    return quick


def test_a_toy_run_thinning_out_keeps_the_same_checkpoints():
    s = Settings(dataset="circle", hidden=[8, 8], activation="tanh", lr=0.03, batch_size=10,
                 epochs=60, seed=0)
    tl = _compare(s, 200_000)
    assert tl.stride > 16 and tl.dense < 64   # (it thinned out)
    assert tl.losses.shape == (60 * tl.steps_per_epoch, 2)


def test_adam_dropout_and_batchnorm_keep_the_same_states():
    """Optimizer state and layer buffers (``rest``), a dropout generator moving every batch."""
    s = Settings(dataset="xor", data_options={"n_samples": 40}, hidden=[6, 5], optimizer="adam",
                 lr=0.05, epochs=90, batch_size=4, seed=1, dropout=0.2, batchnorm=True)
    _compare(s, 150_000)


def test_live_changes_of_the_learning_rate_and_its_schedule_are_seen():
    """The optimizer's hyper-parameters and the schedule's options changed in place between
    batches (as the window's live settings do) reach the checkpoints after them."""
    s = Settings(dataset="xor", data_options={"n_samples": 16}, hidden=[4], optimizer="sgd",
                 lr=0.1, epochs=120, batch_size=2, seed=2, schedule="step",
                 schedule_options={"step_size": 20, "gamma": 0.5})

    def live(tr):
        step = tr.global_step
        if step == 50:
            tr.optimizer.lr = 0.25
            tr.base_lr = 0.25
            return True
        if step == 130:
            tr.optimizer.weight_decay = 0.01
            return True
        if step == 300:
            tr.schedule.gamma = 0.9
            return True
        return False

    tl = _compare(s, 400_000, live)
    at = {c.step: c for c in tl.checkpoints()}
    assert at[50].packed.hyper["lr"] == 0.25 and at[130].packed.hyper["weight_decay"] == 0.01
    assert at[300].packed.schedule[1]["gamma"] == 0.9 and at[1].packed.schedule[1]["gamma"] == 0.5


def test_the_losses_thin_the_same_when_long(monkeypatch):
    import nnviz.timeline.timeline as tlmod

    monkeypatch.setattr(tlmod, "MAX_LOSS_ROWS", 64)
    s = Settings(dataset="xor", data_options={"n_samples": 8}, hidden=[4], optimizer="adam",
                 lr=0.05, epochs=150, batch_size=2, seed=1)
    tl = _compare(s, 10**6)
    assert len(tl.losses) <= 64 and np.all(np.diff(tl.losses[:, 0]) > 1)


def _xor_started(epochs: int):
    """Settings of a small XOR run, its trainer and a timeline holding its start."""
    s = Settings(dataset="xor", data_options={"n_samples": 8}, hidden=[4], epochs=epochs,
                 batch_size=2, seed=1)
    tr = build(s).trainer
    tl = Timeline(settings=s)
    tl.record(tr, force=True)
    return s, tr, tl


def test_a_new_spacing_is_followed_at_once():
    """Setting ``stride`` or ``dense`` (a run file opened, a branch) ends the quick way's gap."""
    s, tr, tl = _xor_started(epochs=40)
    for _ in range(70):
        tr.train_batch()
        tl.record(tr, 0.5)
    tr.train_batch()
    assert tr.global_step == 71 and tl.record(tr, 0.5) is False
    tl.stride = 2
    tr.train_batch()
    assert tl.record(tr, 0.5) is True   # step 72: now a multiple of the stride
    tl.dense = 100
    tr.train_batch()
    assert tl.record(tr, 0.5) is True   # step 73: below the dense start


def test_generator_states_read_from_their_bytes_equal_the_ordinary_read():
    bits = _BitStates()
    rng = np.random.default_rng([5, 1])
    other = np.random.Generator(np.random.MT19937(3))   # not a PCG64: always the ordinary read
    for i in range(40):
        assert bits(rng) == _rng_tuple(rng)
        assert bits(rng) == _rng_tuple(rng)   # (unchanged: the cached tuple)
        _same(bits(other), _rng_tuple(other))
        if i % 3 == 0:
            rng.integers(0, 2**32, dtype=np.uint32)   # half a 64-bit draw kept: has_uint32
        elif i % 3 == 1:
            rng.random(i)
        else:
            rng.bit_generator.state = np.random.default_rng(i).bit_generator.state
        other.random()
    t = bits(rng)
    assert isinstance(t, tuple) and all(type(x) is int for x in t)


def test_losses_read_while_recording_are_whole():
    """A reader sees whole (step, loss) rows while the worker appends without the lock."""
    s, tr, tl = _xor_started(epochs=600)
    seen = []

    def look():
        rows = tl.losses
        assert rows.shape[1] == 2
        if len(rows):
            assert np.all(np.diff(rows[:, 0]) > 0)
            seen.append(rows)
    problems = record_while_reading(tr, tl, s.epochs, look)
    final = tl.losses
    assert not problems and seen
    for rows in seen[:: max(1, len(seen) // 50)]:   # every reading: a start of the final one
        assert np.array_equal(rows, final[:len(rows)])


@pytest.mark.parametrize("step", [1, 5, 63, 64, 65, 100, 127, 128, 129, 1000, 4095, 4097])
def test_the_next_step_kept(step):
    tl = Timeline()
    for stride, dense in ((16, 64), (32, 32), (4096, 0), (2, 1)):
        tl.stride, tl.dense = stride, dense
        nxt = tl._next_kept(step)
        assert nxt > step and tl._keeps(nxt)
        assert not any(tl._keeps(k) for k in range(step + 1, nxt))
