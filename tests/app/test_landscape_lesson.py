"""The "Optimizers racing" lesson view: the textbook race and, under it, the four optimizers'
recorded paths on XOR's real surface, stepping with the step bar, in both languages."""
import numpy as np

from nnviz.app.stepthrough.lessonview import LessonView
from nnviz.lessons.catalog import get_lesson


def test_lesson_view_draws_the_real_race_and_steps_it(qtbot, english):
    from nnviz.app.translation import apply_language

    view = LessonView(get_lesson("optimizers"), epochs=60)
    qtbot.addWidget(view)
    real = view.view.real
    assert real is not None
    r = view.result["real"]
    lines = real.plot.paths[::2]
    assert [item.opts["name"] for item in lines] == ["SGD", "Momentum", "RMSprop", "Adam"]
    assert real.plot._result.surface.directions.kind == "pca"
    view.session.home()
    for item in lines:                           # step 0: every path at the shared start
        xs, _ys = item.getData()
        assert len(xs) == 1
    view.session.end()
    for item, opt in zip(lines, r["optimizers"]):
        xs, ys = item.getData()
        np.testing.assert_allclose(np.c_[xs, ys], r["coords"][opt])
    hx, hy = real.heads.getData()
    np.testing.assert_allclose(np.c_[hx, hy], [r["coords"][o][-1] for o in r["optimizers"]])
    assert "XOR" in real.title.text() and "60" in real.title.text()
    try:
        apply_language("zh_CN")
        assert "真实的曲面" in real.title.text()
        assert real.plot.plot.getAxis("bottom").labelText.startswith("α：") or "主方向" in real.plot.plot.getAxis("bottom").labelText
    finally:
        apply_language("en")
    assert real.title.text().startswith("The real surface")
