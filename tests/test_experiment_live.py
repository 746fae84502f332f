"""Which settings the worker can change while training runs, and which need a rebuild."""
import pytest

from nnviz.experiment import LIVE_SETTINGS, Settings, changed_fields, needs_rebuild


def test_live_settings_are_the_ones_the_worker_applies():
    # the worker rebuilds the optimizer (lr, L1/L2, options), the schedule and the epoch limit
    assert LIVE_SETTINGS == {"lr", "optimizer", "optimizer_options", "weight_decay", "l1",
                             "schedule", "schedule_options", "epochs"}
    assert isinstance(LIVE_SETTINGS, frozenset)
    assert LIVE_SETTINGS <= set(Settings().to_dict())


def test_same_settings_need_no_rebuild():
    assert changed_fields(Settings(), Settings()) == set()
    assert needs_rebuild(Settings(), Settings()) is False


@pytest.mark.parametrize("change", [
    {"lr": 0.3}, {"optimizer": "adam", "optimizer_options": {"beta1": 0.8}}, {"weight_decay": 1e-3},
    {"l1": 1e-4}, {"schedule": "step", "schedule_options": {"step_size": 5}}, {"epochs": 7},
])
def test_live_changes_need_no_rebuild(change):
    new = Settings().replace(**change)
    assert changed_fields(Settings(), new) == set(change)
    assert needs_rebuild(Settings(), new) is False


@pytest.mark.parametrize("change", [
    {"hidden": [8]}, {"dataset": "xor"}, {"seed": 1}, {"batch_size": None}, {"dtype": "float32"},
    {"data_options": {"noise": 5}}, {"loss": "mse"}, {"dropout": 0.1},
])
def test_other_changes_need_a_rebuild(change):
    new = Settings().replace(**change)
    assert needs_rebuild(Settings(), new) is True
    assert needs_rebuild(Settings(), new.replace(lr=0.5)) is True  # a live change does not hide it
