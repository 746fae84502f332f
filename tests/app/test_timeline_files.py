"""File → Save model writes the selected run's timeline; File → Open model brings it back as a
run the learner can scrub and train on, exactly where it stopped (issue 20)."""
import numpy as np

from nnviz.core.model_io import load_model, save_model
from nnviz.timeline import branch, load_run
from nnviz.timeline.runfile import is_run_file


def _train(qtbot, w, steps):
    tl = w.model.scrub.current_run().timeline
    w.model.play()
    qtbot.waitUntil(lambda: tl.last_step >= steps, timeout=20000)
    w.model.pause()
    qtbot.waitUntil(lambda: w.model.state == "paused", timeout=20000)
    return tl


def test_save_and_open_a_model_with_its_timeline(open_window, qtbot, english, tmp_path):
    w = open_window()
    model = w.model
    model.confirm_discard = lambda: True
    tl = _train(qtbot, w, 300)
    path = tmp_path / "run.npz"
    saved = []
    model.saved.connect(saved.append)
    assert model.save_model(str(path))
    qtbot.waitUntil(lambda: bool(saved), timeout=20000)
    assert is_run_file(path)
    rf = load_run(path)
    last = tl.last_step
    assert rf.timeline.last_step == last and rf.timeline.checkpoints()[-1].step == last
    assert np.array_equal(rf.net.flat_params, tl.params_at(last))
    net, extra = load_model(path)   # still a model file for every reader
    assert np.array_equal(net.flat_params, rf.net.flat_params)
    # what the recorded run does next, computed apart: one more epoch from its last state
    ref = branch(rf.timeline, last)
    tr = ref.trainer
    while True:
        r = tr.train_batch()
        if r.epoch_done:
            tr.finish_epoch()
            break
    # open it: a new run with the file's record, scrubbable, and training goes on exactly
    n = len(model.runs.runs())
    assert model.open_model(str(path))
    qtbot.waitUntil(lambda: len(model.runs.runs()) == n + 1, timeout=20000)
    run = model.scrub.current_run()
    assert run.timeline.last_step == last and len(run.timeline) == len(rf.timeline)
    assert model.scrub.show(int(run.timeline.steps()[3]))
    model.scrub.live()
    model.step_epoch()
    qtbot.waitUntil(lambda: run.timeline.last_step == tr.global_step and model.state == "paused",
                    timeout=10000)
    live = model.controller._worker._exp   # (paused: the worker does not touch it)
    assert live.trainer.global_step == tr.global_step
    assert np.array_equal(live.net.flat_params, ref.net.flat_params)


def test_a_plain_model_file_still_opens(open_window, qtbot, english, tmp_path):
    w = open_window()
    model = w.model
    model.confirm_discard = lambda: True
    from nnviz.experiment import build
    exp = build(model.settings())
    path = save_model(exp.net, tmp_path / "plain.npz", extra={"settings": model.settings().to_dict()})
    n = len(model.runs.runs())
    assert model.open_model(str(path))
    qtbot.waitUntil(lambda: len(model.runs.runs()) == n + 1, timeout=20000)
    run = model.scrub.current_run()
    assert run.timeline.last_step == 0 and len(run.timeline) == 1
    assert np.array_equal(run.timeline.params_at(0), exp.net.flat_params)
