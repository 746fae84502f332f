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


HAN_SPACE_HAN = __import__("re").compile("[\u3400-\u9fff] [\u3400-\u9fff]")


def test_chinese_layer_names_sit_in_the_text_without_spaces(chinese):
    """A Chinese layer name ("输出层") joins the Chinese text beside it; a number or a Latin
    letter keeps its space ("隐藏层 1 的", "输入 x 的")."""
    from nnviz.exercises.grading import hint_text
    from nnviz.i18n import fill

    out = hint_text("a_for_x", {"used": ("layer", 0, 2), "layer": ("layer", 1, 2)})
    assert "输出层的输入是 x" in out and "用了隐藏层 1 的激活值" in out and "输入 x 的地方" in out
    assert not HAN_SPACE_HAN.search(out)
    out = hint_text("wrong_a", {"used": ("layer", 0, 3), "layer": ("layer", 2, 3), "prev": ("layer", 1, 3)})
    assert "而输出层的输入是隐藏层 2 的激活值" in out and not HAN_SPACE_HAN.search(out)
    _e, rec = step_preset("network-2-2-1")
    prompts = [q.prompt for q in questions_for(rec)]
    assert any("输出层" in p for p in prompts)
    assert not [p for p in prompts if HAN_SPACE_HAN.search(p)]
    assert fill("{layer} 的 W[{i},{j}]", {"layer": "输出层", "i": 0, "j": 1}) == "输出层的 W[0,1]"
    assert fill("{layer} 的 W", {"layer": "hidden 1"}) == "hidden 1 的 W"
    set_language("en")
    assert hint_text("a_for_x", {"used": ("layer", 0, 2), "layer": ("layer", 1, 2)}) == (
        "You used the activations a of hidden 1 where the input x belongs: the input of output is x.")


def test_the_diagram_hover_texts_join_chinese_names_too(chinese):
    from nnviz.app.diagram.editor import DiagramTexts

    t = DiagramTexts([2, 2, 1], ["sigmoid", "sigmoid"], None, input_names=["身高", "体重"])
    bias = t.describe(("bias", 0), None)
    assert bias.startswith("+1（输入层的偏置节点）")
    assert t.edit_title("W", 0, (0, 1)) == "从身高到隐藏层 1 · 神经元 2 的权重"
    assert not HAN_SPACE_HAN.search(bias + t.edit_title("W", 0, (1, 0)) + t.edit_title("b", 1, (0,)))
