"""On real MNIST (a slice of it): mnist-fast with augmentation branches bit for bit (float32, Adam)."""
import dataclasses

import numpy as np
import pytest

from timeline_helpers import finish, record_run, without_seconds

from nnviz.experiment import load_data
from nnviz.presets import get_preset
from nnviz.timeline import branch, load_run, save_run


@pytest.mark.mnist
def test_mnist_fast_branches_exactly(with_mnist, tmp_path):
    s = get_preset("mnist-fast").settings.replace(epochs=2, augment=True, dropout=0.1)
    full = load_data(s)
    data = dataclasses.replace(full, x_train=full.x_train[:1280], y_train=full.y_train[:1280],
                               x_test=full.x_test[:500], y_test=full.y_test[:500])
    exp, tl = record_run(s, data=data, budget=40 * 2**20, preset="mnist-fast")
    steps = set(tl.steps().tolist())
    step = next(k for k in range(25, tl.last_step) if k not in steps)
    b = branch(tl, step, data=data)
    closed = finish(b)
    assert np.array_equal(b.net.flat_params, exp.net.flat_params)
    assert closed == [without_seconds(d) for d in tl.epochs[1:]]
    rf = load_run(save_run(tmp_path / "mnist-run.npz", exp.net, s, tl))
    assert rf.timeline.steps().tolist() == tl.steps().tolist()
    assert np.array_equal(rf.timeline.params_at(step), tl.params_at(step))
