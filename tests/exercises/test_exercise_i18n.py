"""Issue 21: prompts and hints in both languages, switched live on the same objects."""
import pytest

from nnviz.exercises import GateExercise, grade, questions_for
from nnviz.exercises.seeds import apple_questions
from nnviz.i18n import set_language
from nnviz.lessons.stepping import step_preset


@pytest.fixture
def chinese():
    set_language("zh_CN")
    try:
        yield
    finally:
        set_language("en")


def test_prompt_and_hint_follow_the_language(chinese):
    set_language("en")
    _e, rec = step_preset("network-2-2-1")
    qs = {q.id: q for q in questions_for(rec)}
    q = qs["delta:1:0"]
    en = q.prompt
    g = grade(q, "-0.4018")   # σ(z) for σ′(z)
    assert g.mistake == "sigma_for_prime" and "derivative" in g.hint
    set_language("zh_CN")
    assert q.prompt != en and "输出层" in q.prompt and "神经元" in q.prompt
    assert "导数" in g.current_hint()
    assert "导数" in grade(q, "-0.4018").hint
    assert "学习率" in grade(qs["W_new:1:0,0"], "0.1065").hint
    assert "偏置" in qs["dL/db:1:0"].prompt and "偏差" not in qs["dL/db:1:0"].prompt
    a = {q.id: q for q in apple_questions()}["apple:d_apple"]
    assert "苹果" in a.prompt and "链式法则" in grade(a, "2").hint
    assert "正确" in GateExercise("and", 0.5, 0.5, -0.7).status()
    set_language("en")
    assert q.prompt == en and "derivative" in g.current_hint()
