"""The "Optimizers racing" lesson's real race (issue 22): XOR on 2-4-1 raced by SGD, Momentum,
RMSprop and Adam; the paths are the race's recorded timelines, each variant is its solo run,
the plane is the pooled paths' principal plane, and the CLI prints the window's numbers."""
import json

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.experiment import build
from nnviz.landscape import pca_directions, project
from nnviz.lessons.catalog import get_lesson
from nnviz.lessons.demos import realrace, run_demo

EPOCHS = 60


@pytest.fixture(scope="module")
def race():
    return realrace.run_race(realrace.race_settings(epochs=EPOCHS))


def test_each_variant_equals_its_solo_run(race):
    for i, opt in enumerate(realrace.OPTIMIZERS):
        s = race.experiments[i].settings
        assert s.optimizer == opt and s.lr == realrace.LR
        solo = build(s, data=race.data)
        tr = solo.trainer
        while tr.epoch < s.epochs:
            r = tr.train_batch()
            if r.epoch_done:
                tr.finish_epoch()
        last = race.timelines[i].checkpoints()[-1]
        assert last.step == tr.global_step
        np.testing.assert_array_equal(last.params, solo.net.flat_params)
        np.testing.assert_array_equal(race.experiments[i].net.flat_params, solo.net.flat_params)


def test_variants_start_together_and_part(race):
    firsts = [tl.checkpoints()[0].params for tl in race.timelines]
    for f in firsts[1:]:
        np.testing.assert_array_equal(f, firsts[0])
    lasts = [tl.checkpoints()[-1].params for tl in race.timelines]
    for a in range(4):
        for b in range(a + 1, 4):
            assert np.linalg.norm(lasts[a] - lasts[b]) > 0.1


def test_real_race_paths_are_the_timelines_on_the_pooled_pca_plane():
    real = realrace.real_race(epochs=EPOCHS, grid=11)
    race = realrace.run_race(realrace.race_settings(epochs=EPOCHS))
    pooled = [np.array([c.params for c in tl.checkpoints()]) for tl in race.timelines]
    for p, opt in zip(pooled, realrace.OPTIMIZERS):
        np.testing.assert_array_equal(p, real["paths"][opt])
        assert real["steps"][opt] == [c.step for c in race.timelines[realrace.OPTIMIZERS.index(opt)].checkpoints()]
        np.testing.assert_allclose(real["coords"][opt][0], [0, 0], atol=1e-12)   # the shared start
        assert real["final_loss"][opt] == race.timelines[realrace.OPTIMIZERS.index(opt)].epochs[-1]["train_loss"]
        assert real["path_length"][opt] == pytest.approx(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())
    start = pooled[0][0]
    d = real["surface"].directions
    # the plane holds the pooled paths' two main directions: the top two right-singular vectors
    m = np.vstack(pooled) - start
    m -= m.mean(axis=0)
    _u, s, vt = np.linalg.svd(m, full_matrices=False)
    assert abs(d.d1 @ vt[0]) == pytest.approx(1, abs=1e-9)
    assert abs(d.d2 @ vt[1]) == pytest.approx(1, abs=1e-9)
    assert real["explained_variance"] == pytest.approx(list(s[:2] ** 2 / (s ** 2).sum()))
    ref = pca_directions(start, pooled)
    for p, opt in zip(pooled, realrace.OPTIMIZERS):
        np.testing.assert_allclose(real["coords"][opt], project(p, start, ref.d1, ref.d2)[0], atol=1e-9)
    # the surface's centre is the shared start's loss
    assert real["surface"].center_loss == pytest.approx(real["start_loss"])
    assert real["surface"].loss[5, 5] == pytest.approx(real["start_loss"], rel=1e-9)


def test_the_four_optimizers_differ_visibly():
    real = run_demo(get_lesson("optimizers"))["real"]
    loss = real["final_loss"]
    assert loss["sgd"] > 0.5 > loss["momentum"] > 0.01 > max(loss["rmsprop"], loss["adam"])
    ends = np.array([real["coords"][o][-1] for o in real["optimizers"]])
    span = real["surface"]["span"]
    for a in range(4):
        for b in range(a + 1, 4):
            assert np.linalg.norm(ends[a] - ends[b]) > 0.1 * span


def test_lesson_text_has_the_race_numbers():
    lesson = get_lesson("optimizers")
    assert lesson.params == {"steps": 30, "epochs": 300, "lr": 0.1}
    for lang in ("en", "zh_CN"):
        text = get_lesson("optimizers", lang=lang).filled_text({"steps": "30", "epochs": "300", "lr": "0.1"})
        assert "300" in text and "0.1" in text and "XOR" in text and "2-4-1" in text


def test_cli_prints_the_race_numbers(capsys):
    assert main(["lesson", "optimizers", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    real = out["result"]["real"]
    race = realrace.run_race()
    for i, opt in enumerate(realrace.OPTIMIZERS):
        assert real["final_loss"][opt] == race.timelines[i].epochs[-1]["train_loss"]
        pts = np.array([c.params for c in race.timelines[i].checkpoints()])
        assert real["path_length"][opt] == pytest.approx(realrace.path_length(pts))
    assert len(real["surface"]["loss"]) == realrace.GRID
    assert main(["lesson", "optimizers"]) == 0
    text = capsys.readouterr().out
    for i, opt in enumerate(realrace.OPTIMIZERS):
        assert f"final loss {real['final_loss'][opt]:.4f}, path length {real['path_length'][opt]:.2f}" in text
