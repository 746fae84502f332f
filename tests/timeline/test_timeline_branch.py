"""Branching at any step with nothing changed reproduces the original run bit for bit."""
import numpy as np
import pytest

from timeline_helpers import finish, record_run, tiny_images, without_seconds

from nnviz.core.errors import NNVizError
from nnviz.experiment import Settings, build
from nnviz.timeline import branch, capture_state, replay_to, restore_state

SETUPS = {
    "plain": dict(),
    "step-dropout-batchnorm": dict(schedule="step", schedule_options={"step_size": 1, "gamma": 0.5},
                                   dropout=0.25, batchnorm=True),
    "l2-l1-exponential": dict(weight_decay=1e-3, l1=1e-4, schedule="exponential",
                              schedule_options={"gamma": 0.9}),
}
LR = {"sgd": 0.3, "momentum": 0.05, "adam": 0.02, "nesterov": 0.05, "rmsprop": 0.01, "adagrad": 0.1}


def settings(optimizer, setup, **more):
    kw = dict(dataset="circle", data_options={"n_samples": 400}, hidden=[5, 4], optimizer=optimizer,
              lr=LR[optimizer], epochs=4, batch_size=10, seed=7)
    return Settings(**{**kw, **SETUPS[setup], **more})


@pytest.mark.parametrize("setup", sorted(SETUPS))
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_branch_reproduces_the_run(optimizer, setup):
    s = settings(optimizer, setup)
    exp, tl = record_run(s, budget=120_000)  # a small budget: the checkpoints are thinned
    end = exp.net.flat_params.copy()
    steps = set(tl.steps().tolist())
    between = [k for k in range(1, tl.last_step) if k not in steps]
    assert between, "the budget should leave steps between checkpoints"
    at_checkpoint = sorted(steps - {0, tl.last_step})[len(steps) // 2]
    mid = between[len(between) // 2]
    for step in (0, at_checkpoint, mid, between[-1], tl.last_step):
        b = branch(tl, step, data=exp.data)
        assert b.trainer.global_step == step
        closed = finish(b)
        assert np.array_equal(b.net.flat_params, end), step
        n = len(closed)
        want = [without_seconds(d) for d in tl.epochs[len(tl.epochs) - n:]] if n else []
        assert closed == want, step
        for li, layer in enumerate(b.net.layers):
            for k, v in layer.buffers.items():
                assert np.array_equal(v, exp.net.layers[li].buffers[k])


@pytest.mark.parametrize("optimizer", ["nesterov", "rmsprop", "adagrad"])
def test_other_optimizers_branch_exactly(optimizer):
    s = settings(optimizer, "plain", epochs=2)
    exp, tl = record_run(s, budget=20_000)
    b = branch(tl, tl.last_step // 2 + 1, data=exp.data)
    finish(b)
    assert np.array_equal(b.net.flat_params, exp.net.flat_params)


def test_branch_with_augmentation_and_dropout():
    data = tiny_images()
    s = Settings(dataset="tiny-images", hidden=[6], activation="relu", output_activation="softmax",
                 loss="cross_entropy", init="he_normal", optimizer="adam", lr=0.01, epochs=3,
                 batch_size=8, dropout=0.3, augment=True, seed=2)
    exp, tl = record_run(s, data=data, budget=12_000)
    for step in (5, 13, tl.last_step - 1):
        b = branch(tl, step, data=data)
        closed = finish(b)
        assert np.array_equal(b.net.flat_params, exp.net.flat_params)
        assert closed == [without_seconds(d) for d in tl.epochs[len(tl.epochs) - len(closed):]]


def test_full_batch_and_unshuffled_runs_branch_exactly():
    s = settings("momentum", "plain", batch_size=None, shuffle=False, epochs=6)
    exp, tl = record_run(s, budget=2_000)
    b = branch(tl, 3, data=exp.data)
    finish(b)
    assert np.array_equal(b.net.flat_params, exp.net.flat_params)


def test_state_is_a_copy_and_restores_exactly():
    s = settings("adam", "step-dropout-batchnorm")
    exp = build(s)
    tr = exp.trainer
    for _ in range(7):
        tr.train_batch()
    state = capture_state(tr)
    before = state["params"].copy()
    assert not state["params"].flags.writeable
    for _ in range(5):
        tr.train_batch()
    after = tr.net.flat_params.copy()
    assert np.array_equal(state["params"], before)  # training on did not touch the copy
    other = build(s, data=exp.data).trainer
    restore_state(other, state)
    for _ in range(5):
        other.train_batch()
    assert np.array_equal(other.net.flat_params, after)
    assert other.global_step == tr.global_step == 12


def test_branch_with_a_change_keeps_the_original_and_differs():
    s = settings("sgd", "plain")
    exp, tl = record_run(s)
    n = len(tl)
    b = branch(tl, 20, {"lr": 0.01, "epochs": 5}, data=exp.data)
    assert b.settings.lr == 0.01 and b.optimizer.lr == 0.01 and b.trainer.base_lr == 0.01
    finish(b)
    assert b.trainer.epoch == 5 and not np.array_equal(b.net.flat_params, exp.net.flat_params)
    assert len(tl) == n


def test_branch_to_another_optimizer_starts_its_own_state():
    exp, tl = record_run(settings("momentum", "plain"))
    b = branch(tl, 25, {"optimizer": "adam", "lr": 0.01}, data=exp.data)
    assert b.optimizer.name == "adam" and b.optimizer.state == {} and b.trainer.optimizer is b.optimizer
    same = branch(tl, 25, {"lr": 0.01}, data=exp.data)
    assert "buf" in same.optimizer.state  # momentum kept its buffer


def test_replay_refuses_steps_and_changes_it_cannot_do():
    exp, tl = record_run(settings("sgd", "plain", epochs=1))
    with pytest.raises(NNVizError, match="not in the recording"):
        replay_to(tl, tl.last_step + 1, data=exp.data)
    with pytest.raises(NNVizError, match="not in the recording"):
        replay_to(tl, -1, data=exp.data)
    with pytest.raises(NNVizError, match="hidden"):
        branch(tl, 3, {"hidden": [3]}, data=exp.data)
    with pytest.raises(NNVizError, match="unknown setting"):
        branch(tl, 3, {"colour": 1}, data=exp.data)


def test_replay_across_a_live_change_of_settings():
    """As the window's worker does: settings changed between two batches, a pinned checkpoint
    recorded right after; replays before and after the change match the run."""
    from nnviz.timeline import Timeline
    from nnviz.timeline.branch import apply_changes

    s = settings("momentum", "plain", epochs=6)
    exp = build(s)
    tr = exp.trainer
    tl = Timeline(6_000, settings=s)
    tl.record(tr, force=True)
    seen = {}
    while tr.epoch < s.epochs:
        if tr.global_step == 45:
            apply_changes(exp, {"optimizer": "adam", "lr": 0.01, "schedule": "exponential"})
            tl.record(tr, pin=True)
        r = tr.train_batch()
        res = tr.finish_epoch() if r.epoch_done else None
        tl.record(tr, r.loss, res)
        seen[tr.global_step] = tr.net.flat_params.copy()
    assert 45 in tl.steps() and 45 in tl.pinned and tl.stride > 8
    for step in (30, 44, 45, 46, 77, 101, 119):
        e = replay_to(tl, step, data=exp.data)
        assert np.array_equal(e.net.flat_params, seen[step]), step
    assert e.optimizer.name == "adam" and e.trainer.schedule.name == "exponential"


def test_pinned_steps_survive_a_file(tmp_path):
    from nnviz.timeline import Timeline, load_run, save_run

    s = settings("sgd", "plain", epochs=1)
    exp = build(s)
    tl = Timeline(settings=s)
    tl.record(exp.trainer, force=True)
    exp.trainer.train_batch()
    exp.trainer.train_batch()
    exp.trainer.train_batch()
    tl.record(exp.trainer, pin=True)
    rf = load_run(save_run(tmp_path / "r.npz", exp.net, s, tl))
    assert rf.timeline.pinned == {3} and rf.timeline.steps().tolist() == [0, 3]
