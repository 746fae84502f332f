"""The optimizer-race and apple-graph views follow their StepSession."""
import numpy as np
from PySide6.QtCore import Qt

from nnviz.app.stepthrough.appleview import AppleGraphView
from nnviz.app.stepthrough.raceview import RaceView
from nnviz.app.stepthrough.session import StepSession
from nnviz.app.stepthrough.stepbar import StepBar
from nnviz.lessons.demos.race import race


def test_race_view_draws_the_paths_so_far(qtbot):
    s = StepSession()
    v = RaceView(s)
    bar = StepBar(s)
    qtbot.addWidget(v)
    qtbot.addWidget(bar)
    assert len(s) == 31
    x, y = v.curves["sgd"].getData()
    assert len(x) == 1 and (x[0], y[0]) == (-7.0, 2.0)
    qtbot.keyClick(bar, Qt.Key_End)
    paths = race()
    for name, curve in v.curves.items():
        x, y = curve.getData()
        assert np.array_equal(np.column_stack([x, y]), paths[name])
    qtbot.keyClick(bar, Qt.Key_Home)
    assert len(v.curves["adam"].getData()[0]) == 1
    assert "iteration 0" in v.caption.text()


def test_apple_view_steps_forward_then_backward(qtbot):
    s = StepSession()
    v = AppleGraphView(s)
    qtbot.addWidget(v)
    assert [st.phase for st in s.steps] == ["forward"] * 3 + ["backward"] * 3
    assert v.value_text["price"].text() == "" and v.grad_text["apple"].text() == ""
    s.set_index(2)
    assert v.value_text["price"].text() == "220" and v.grad_text["apple"].text() == ""
    s.end()
    assert [v.grad_text[n].text() for n in ("apple", "count", "tax")] == ["2.2", "110", "200"]
    assert "2.2" in v.filled.text()
    s.home()
    assert v.value_text["apple"].text() == "100" and v.value_text["apple_price"].text() == ""
    assert all(t.text() == "" for t in v.grad_text.values())


def test_lessons_open_ready_to_step(qtbot):
    from nnviz.app.stepthrough.lessonview import LessonView
    from nnviz.lessons.catalog import get_lesson

    v = LessonView(get_lesson("network-2-2-1"))
    qtbot.addWidget(v)
    v.show()
    assert "0.7216325609518421" in v.text.text() and len(v.session) == 6
    assert v.session.current().phase == "forward" and v.session.selection == (1, 0)
    qtbot.keyClick(v.bar, Qt.Key_End)
    assert v.session.current().phase == "update"
    a = LessonView(get_lesson("apple"))
    qtbot.addWidget(a)
    assert len(a.session) == 6 and "220" in a.text.text()
    r = LessonView(get_lesson("optimizers"))
    qtbot.addWidget(r)
    assert len(r.session) == 31
    s = LessonView(get_lesson("schedules"))   # a plot lesson: text only here
    qtbot.addWidget(s)
    assert s.view is None and "0.1" in s.text.text()
