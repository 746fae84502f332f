"""Issue 21, second round: nothing on screen gives an open question away (the math panel's asked
line and cells, 0 and 1 included, the lesson's text, bias and downstream edges); step answers mark
a lesson done; "line or curve?" at Play; the digit quiz reads with the window's MNIST network."""
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from nnviz import i18n
from nnviz.app.translation import apply_language


@pytest.fixture
def lesson_221(qtbot, open_window, english):
    w = open_window(1280, 800)
    w.step_ui.open_lesson("network-2-2-1")
    sm = w.model.step_mode
    qtbot.waitUntil(lambda: sm.active and sm.record is not None and sm.record.layers[0].params["W"].shape == (2, 2)
                    and len(sm.session) > 0, timeout=20000)
    qtbot.waitUntil(lambda: w.step_ui.lesson_panel.result is not None, timeout=20000)
    dock = w.step_ui.dock_widget
    dock.your_turn_button.setChecked(True)
    return w, sm, dock


def _phase(sm, phase, layer):
    return next(i for i, p in enumerate(sm.session.steps) if p.phase == phase and p.layer == layer)


def _ask(sm, dock, index, quantity):
    sm.session.set_index(index)
    box = dock.your_turn.box
    assert box.select(next(q.id for q in box.questions if q.quantity == quantity))
    return box


def _cells(table):
    return [[table.item(i, k).text() for k in range(table.columnCount())] for i in range(table.rowCount())]


def test_a_zero_delta_is_hidden_by_position_with_what_is_computed_from_it(qtbot, lesson_221):
    _w, sm, dock = lesson_221
    box = _ask(sm, dock, _phase(sm, "backward", 0), "delta")        # the hidden layer's δ is 0 here
    assert box.current().expected == 0.0
    math = dock.panel.math
    text = math.filled.text()
    assert "δ₀ = ∂L/∂a·σ′(z) = 0·0.04518 = ?" in text
    assert "∂L/∂b" not in text and "∂L/∂W" not in text and "…" in text   # they use δ: after the answer
    tables = {t.parentWidget().findChild(type(math.title)).text(): _cells(t) for t in math.tables()}
    assert tables["δ"][0][0] == "?" and tables["∂L/∂b"][0][0] == "?"
    assert [row[0] for row in tables["∂L/∂W"]] == ["?", "?"]
    box.field.setText("0")
    box.check()
    assert box.last.correct and "∂L/∂b₀ = δ = 0" in math.filled.text()


def test_an_input_equal_to_the_asked_z_stays_readable(qtbot, lesson_221):
    _w, sm, dock = lesson_221
    box = _ask(sm, dock, _phase(sm, "forward", 0), "z")             # z = 0·2 + 1·3 + 0 = 3, x = [2, 3]
    math = dock.panel.math
    assert "z₀ = 0·2 + 1·3 + 0 = ?" in math.filled.text() and "σ(3)" not in math.filled.text()
    x, _W, _b, z, a = (_cells(t) for t in math.tables())
    assert x == [["2", "3"]] and z[0][0] == "?" and a[0][0] == "?"
    assert box.is_open()


def test_the_lesson_text_hides_the_asked_value_until_answered(qtbot, lesson_221):
    w, sm, dock = lesson_221
    text = w.step_ui.lesson_panel.text
    assert "0.7216325609518421" in text.text()
    box = _ask(sm, dock, _phase(sm, "forward", 1), "a")
    assert "0.7216325609518421" not in text.text() and "output is ?" in text.text()
    assert "[2, 3]" in text.text()                                  # the inputs stay
    box.give_up()
    assert "0.7216325609518421" in text.text()


def test_bias_and_downstream_edges_are_greyed_while_asked():
    from nnviz.app.diagram.stepdisplay import _grey_asked, hidden_parts

    W, b = np.array([[0.5, -0.2], [0.3, 0.1]]), np.array([0.4, -0.6])
    q = SimpleNamespace(quantity="dL/db", neuron=1, layer=0, index=None)
    W2, b2 = _grey_asked((W, b), q, "backward")
    assert b2.tolist() == [0.4, 0.0] and np.array_equal(W2, W)
    q = SimpleNamespace(quantity="delta", neuron=0, layer=0, index=None)
    W3, b3 = _grey_asked((W, b), q, "backward")
    assert W3[:, 0].tolist() == [0.0, 0.0] and W3[:, 1].tolist() == [-0.2, 0.1] and b3.tolist() == [0.0, -0.6]
    assert hidden_parts(q, ("w", 0, 1, 0)) == {"dW"} and hidden_parts(q, ("w", 0, 1, 1)) == set()
    qb = SimpleNamespace(quantity="b_change", neuron=1, layer=0, index=None)
    assert hidden_parts(qb, ("b", 0, 1)) == {"new"}


def test_step_answers_mark_the_lesson_done(qtbot, lesson_221):
    w, sm, dock = lesson_221
    box, yt = dock.your_turn.box, dock.your_turn
    kinds = yt.kinds()
    assert {"z", "a", "loss", "delta", "dL/dW", "dL/db"} <= kinds
    for index in range(len(sm.session)):
        sm.session.set_index(index)
        for q in list(box.questions):
            box.select(q.id)
            box.field.setText(repr(q.expected))
            box.check()
    asked, right, done = w.exercises.scores.entry("network-2-2-1")
    assert done and right == asked
    assert "Lesson done" in w.statusBar().currentMessage()
    assert "✓" in w.step_ui.lesson_actions["network-2-2-1"].text()


def test_practice_answers_outside_a_lesson_mark_nothing(qtbot, open_window, english):
    w = open_window(1280, 800)
    yt = w.step_ui.dock_widget.your_turn
    yt.lesson = lambda: "step"
    yt._on_answered(SimpleNamespace(quantity="z"), True)
    assert w.exercises.scores.entry("step") == (1, 1, False)


# -- line or curve, at Play -----------------------------------------------------------------------
@pytest.fixture
def xor_lesson(qtbot, open_window, english):
    w = open_window(1280, 800)
    w.step_ui.open_lesson("xor")
    qtbot.waitUntil(lambda: w.model.info is not None and w.model.info.settings.dataset == "gate-xor", timeout=20000)
    return w


def test_play_in_a_lesson_asks_line_or_curve_then_says_right(qtbot, xor_lesson):
    w = xor_lesson
    bar = w.exercises.play_prompt
    w.act_play.trigger()
    assert bar.state == "asking" and bar.isVisible() and w.model.state != "running"
    assert bar.line_button.isVisible() and bar.skip_button.isVisible()
    w.model.set_speed(0)
    bar.curve_button.click()
    qtbot.waitUntil(lambda: w.model.state == "running", timeout=20000)
    assert bar.state == "waiting" and "a curve" in bar.text.text()
    qtbot.waitUntil(lambda: w.model.last_snapshot.epoch >= 30, timeout=30000)
    with qtbot.waitSignal(bar.predicted, timeout=10000) as got:   # pausing after 30 epochs: the answer
        w.model.pause()
    assert got.args == [True] and bar.state == "revealed" and "Right." in bar.text.text()
    assert w.exercises.scores.entry("xor")[:2] == (1, 1)
    assert not w.output_dock.isHidden()


def test_play_again_skips_and_dont_ask_again_is_remembered(qtbot, xor_lesson):
    w = xor_lesson
    bar = w.exercises.play_prompt
    w.act_play.trigger()
    assert bar.state == "asking"
    bar.never.setChecked(True)
    w.act_play.trigger()                                  # Play again: trains without a prediction
    qtbot.waitUntil(lambda: w.model.state == "running", timeout=20000)
    assert bar.isHidden() and bar.state == "idle"
    w.model.pause()
    qtbot.waitUntil(lambda: w.model.state != "running", timeout=20000)
    w.model.is_trained = lambda: False                    # as after a reset
    assert not bar.before_play()                          # "don't ask again"
    w.exercises.act_ask_play.setChecked(True)             # the menu turns it on again, for every run
    assert bar.before_play() and bar.state == "asking"
    bar.skip()


def test_play_outside_a_lesson_does_not_ask(qtbot, open_window, english):
    w = open_window(1280, 800)
    bar = w.exercises.play_prompt
    assert not w.step_ui.lesson_dock.isVisible()
    assert not bar.before_play() and bar.isHidden()


@pytest.mark.skipif("zh_CN" not in i18n.available_languages(), reason="no Chinese catalog built")
def test_the_play_bar_switches_language_on_the_same_objects(qtbot, xor_lesson):
    w = xor_lesson
    bar = w.exercises.play_prompt
    w.act_play.trigger()
    english = (bar.text.text(), bar.line_button.text(), bar.skip_button.text(), bar.never.text(),
               w.exercises.act_ask_play.text())
    try:
        apply_language("zh_CN")
        chinese = (bar.text.text(), bar.line_button.text(), bar.skip_button.text(), bar.never.text(),
                   w.exercises.act_ask_play.text())
        for en, zh in zip(english, chinese):
            assert en != zh and any("\u4e00" <= ch <= "\u9fff" for ch in zh), (en, zh)
    finally:
        apply_language("en")
    assert (bar.text.text(), bar.line_button.text(), bar.skip_button.text(), bar.never.text(),
            w.exercises.act_ask_play.text()) == english
    bar.close_bar()


# -- the digit quiz's network -----------------------------------------------------------------------
def _fake_mnist_model(dataset="mnist"):
    from nnviz.experiment import Settings

    rng = np.random.default_rng(1)
    settings = Settings(dataset=dataset, hidden=[16], activation="relu")
    weights = [(rng.normal(size=(784, 16)), rng.normal(size=16)), (rng.normal(size=(16, 10)), rng.normal(size=10))]
    info = SimpleNamespace(sizes=[784, 16, 10], settings=settings, data=SimpleNamespace(scaling="unit"))
    return SimpleNamespace(info=info, last_snapshot=SimpleNamespace(weights=weights, global_step=42)), weights


def test_the_quiz_reads_with_the_windows_mnist_network_on_a_copy():
    from nnviz.app.exercises.digitquiz import window_reader

    model, weights = _fake_mnist_model()
    read, step = window_reader(model)
    rows = np.random.default_rng(2).integers(0, 256, size=(5, 784))
    (W0, b0), (W1, b1) = weights
    settings = model.info.settings
    if settings.output_activation in ("softmax", "sigmoid") or True:
        h = np.maximum(rows / 255.0 @ W0 + b0, 0)
        expected = np.argmax(h @ W1 + b1, axis=1)
    assert step == 42 and read(rows).tolist() == expected.tolist()
    assert window_reader(_fake_mnist_model("fashion-mnist")[0]) is None
    assert window_reader(SimpleNamespace(info=None, last_snapshot=None)) is None


def test_the_quiz_says_which_network_reads(qtbot, english):
    from nnviz.app.exercises.digitquiz import SHIPPED, WINDOW, DigitQuizPanel

    p = DigitQuizPanel(load=False)
    qtbot.addWidget(p)
    quiz = SimpleNamespace(reader=(WINDOW, {"step": 42}), image=lambda k: np.zeros((28, 28)))
    quiz.__len__ = lambda: 10
    p.quiz = quiz
    assert "network in the window" in p.reader_text() and "42" in p.reader_text()
    quiz.reader = (SHIPPED, {"accuracy": 0.978})
    assert "shipped digit model" in p.reader_text() and "97.8%" in p.reader_text()


def test_the_quiz_with_mnist_uses_the_shipped_model_without_an_mnist_network(qtbot, with_mnist, english):
    from nnviz.app.exercises.digitquiz import DigitQuizPanel

    p = DigitQuizPanel()
    qtbot.addWidget(p)
    qtbot.waitUntil(lambda: p.quiz is not None or p.error is not None, timeout=60000)
    assert p.error is None and p.quiz.reader[0] == "shipped"
    assert "shipped" in p.intro.text()
    for f, label in zip(p.fields, p.quiz.labels):
        f.setText(str(label))
    p.score()
    assert p.result.learner_right == 10 and p.result.network_right >= 8


def test_the_formula_after_a_wrong_answer_keeps_inputs_equal_to_the_result(qtbot, lesson_221):
    _w, sm, dock = lesson_221
    box = _ask(sm, dock, _phase(sm, "forward", 1), "z")             # z = 0·0.9526 + 1·0.9526 + 0 = 0.9526
    box.field.setText("3")                                          # x used for a
    box.check()
    assert box.last.mistake == "x_for_a"
    assert "0·0.9526 + 1·0.9526 + 0 = ?" in box.formula.text()


def test_a_long_question_list_entry_never_widens_the_panel(qtbot, english):
    from nnviz.app.exercises.seedpanels import SeedQuestions

    p = SeedQuestions("apple")
    qtbot.addWidget(p)
    assert p.minimumSizeHint().width() < 530                      # fits the exercise dock beside the others
    assert p.box.which.view().minimumWidth() >= p.box.which.fontMetrics().horizontalAdvance(p.box.questions[0].prompt)


def test_the_quiz_in_a_window_with_an_mnist_network_reads_with_it(qtbot, open_window, with_mnist, english):
    w = open_window(1280, 800)
    assert w.model.open_preset("mnist-fast")
    qtbot.waitUntil(lambda: w.model.info is not None and w.model.info.sizes[0] == 784
                    and w.model.last_snapshot is not None and len(w.model.last_snapshot.weights[0][0]) == 784,
                    timeout=60000)
    p = w.exercises.open_exercise("mnist")
    qtbot.waitUntil(lambda: p.quiz is not None or p.error is not None, timeout=60000)
    assert p.error is None and p.quiz.reader[0] == "window" and "network in the window" in p.intro.text()


def test_the_menus_line_or_curve_asks_in_the_bar_on_a_fresh_2d_run(qtbot, open_window, english):
    from nnviz.app.exercises.boundary import BoundaryPrediction

    w = open_window(1280, 800)
    info = w.model.info
    bar = w.exercises.play_prompt
    if info.sizes[0] == 2 and info.is_classification and not w.model.is_trained():
        assert w.exercises.open_exercise("boundary") is bar and bar.state == "asking" and bar.isVisible()
        bar.close_bar()
    w.model.is_trained = lambda: True                     # trained: the prediction panel instead
    assert isinstance(w.exercises.open_exercise("boundary"), BoundaryPrediction)


def test_a_long_formula_after_a_wrong_answer_shows_its_last_lines(qtbot, english):
    from nnviz.app.exercises.questionbox import QuestionBox
    from nnviz.exercises import questions_for
    from nnviz.exercises.change import window_questions
    from nnviz.lessons.stepping import step_preset

    _e, rec = step_preset("network-2-2-1", None, "adam", None)
    qs = window_questions(rec, questions_for(rec, select=(1, 0), weight=(1, 0)), 4)
    box = QuestionBox()
    qtbot.addWidget(box)
    box.max_formula_lines = 3
    box.set_questions([q for q in qs if q.quantity == "W_change"])
    box.field.setText("1.001")                                      # the new value, not the change
    box.check()
    assert box.last.mistake == "gave_new"
    lines = box.formula.text().split("\n")
    assert len(lines) == 3 and lines[0] == "…" and lines[-1].strip().startswith("W[1,0]′") and lines[-1].endswith("= ?")
    assert "m = " in box.formula.toolTip() and "ΔW" not in box.formula.toolTip()   # the whole, still without the answer
