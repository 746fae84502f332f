"""The controls panel in Chinese and back in English, switched live on the same widgets (issue 17).

Every label, group title, button, check text, combo item and tooltip follows the language; the
chosen ids (the combos' data) and the values stay, and no edit is sent during a switch.
"""
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QScrollArea, QWidget

from nnviz import i18n
from nnviz.app.controls import ControlsPanel
from nnviz.app.translation import apply_language
from nnviz.experiment import Settings
from nnviz.i18n import names

pytestmark = pytest.mark.skipif("zh_CN" not in i18n.available_languages(), reason="no Chinese catalog")

#: words that stay Latin in Chinese (GLOSSARY-zh.md) and the panel's formula words
LATIN = {"MNIST", "Fashion", "ReLU", "Leaky", "tanh", "sigmoid", "softmax", "SGD", "Adam", "AdaGrad",
         "RMSprop", "Nesterov", "Xavier", "He", "Huber", "CSV", "XOR", "AND", "OR", "NAND", "L1", "L2",
         "PyTorch", "Dropout", "float32", "float64", "sin", "x1", "x2"}
CJK = re.compile(r"[\u4e00-\u9fff]")
SETTINGS = Settings(dataset="spiral", hidden=[6, 3], activations=["relu", "tanh", "sigmoid"], loss="bce",
                    init="xavier_normal", optimizer="momentum", schedule="step", batch_size=16, epochs=30,
                    dtype="float32", l1=0.001)


@pytest.fixture
def panel(qtbot, english):
    p = ControlsPanel(SETTINGS)
    area = QScrollArea()
    area.setWidget(p)
    area.setWidgetResizable(True)
    area.resize(380, 760)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    yield p
    area.close()


def texts(panel):
    """(widget, what, text) of every text the panel shows, tooltips included."""
    out = []
    for w in [panel] + panel.findChildren(QWidget):
        if isinstance(w, QLabel):
            out.append((w, "text", w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((w, "text", w.text()))
        elif isinstance(w, QGroupBox):
            out.append((w, "title", w.title()))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                out.append((w, f"item {i}", w.itemText(i)))
                out.append((w, f"item tip {i}", str(w.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")))
        if w.toolTip():
            out.append((w, "tooltip", w.toolTip()))
    return out


def selection(panel):
    combos = panel.findChildren(QComboBox)
    return [(c, c.currentIndex(), c.currentData()) for c in combos], panel.settings()


def english_words(text):
    """Latin words of ``text`` that are not names staying Latin (numbers and symbols ignored)."""
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in LATIN and len(w) > 1]


def visible_texts(panel):
    """Texts a learner reads without hovering: labels, buttons, titles, the shown combo items."""
    out = []
    for w, what, text in texts(panel):
        if what in ("text", "title") and text and w.isVisibleTo(panel):
            out.append((w, text))
    for c in panel.findChildren(QComboBox):
        if not c.isEditable():
            out += [(c, c.itemText(i)) for i in range(c.count())]
    return out


def test_chinese_and_back_on_the_same_widgets(panel, qtbot):
    before = texts(panel)
    chosen, settings = selection(panel)
    sent = []
    panel.settingsChanged.connect(lambda *a: sent.append(a))
    edited = []
    for g in panel._groups():
        for b in g.fields.values():
            b.edited.connect(lambda *a: edited.append(a))

    apply_language("zh_CN")
    zh = texts(panel)
    assert [w for w, _, _ in zh] == [w for w, _, _ in before]  # the same widgets, none rebuilt
    assert panel.data_group.title() == "数据" and panel.network_group.title() == "网络"
    assert panel.training_group.title() == "训练"
    assert panel.widget("lr").toolTip().startswith("学习率 η")
    for w, text in visible_texts(panel):
        assert not english_words(text), f"English left in {type(w).__name__}: {text!r}"
    changed = sum(1 for (_, _, a), (_, _, b) in zip(before, zh) if a != b)
    assert changed > 100
    # combo items show the registry names in Chinese, the ids stay the data
    loss = panel.widget("loss")
    for i in range(loss.count()):
        assert loss.itemText(i) == names.title("loss", loss.itemData(i))
    assert loss.currentText() == "二元交叉熵" and loss.currentData() == "bce"
    assert panel.widget("init").currentText() == "Xavier（正态）"
    assert panel.data_group.dataset_combo.currentText() == "螺旋"
    assert panel.network_group.layers[1].combo.currentText() == "tanh"
    assert panel.network_group.layers[0].label.text() == "第 1 层"
    assert panel.network_group.layers_count.text() == "2 个隐藏层"
    assert selection(panel) == (chosen, settings)

    apply_language("en")
    assert texts(panel) == before
    assert selection(panel) == (chosen, settings)
    assert sent == [] and edited == []


def test_a_field_s_error_and_the_hints_follow_the_language(panel, qtbot):
    lr = panel.widget("lr").lineEdit()
    lr.setFocus()
    lr.selectAll()
    qtbot.keyClicks(lr, "fast")
    assert panel.invalid_fields() == {"lr": "“fast” is not a number; write it like 0.03 or 1e-3."}
    data = panel.data_group
    for cb in data.feature_checks.values():
        cb.setChecked(False)  # no input: the inputs turn red
    assert data.features_widget.toolTip().startswith("⚠ Choose at least one input.")
    hint = panel.network_group.pairing_hint
    panel.network_group.output_combo.setCurrentIndex(panel.network_group.output_combo.findData("softmax"))
    assert hint.text() == "A softmax output is usually trained with cross-entropy."

    apply_language("zh_CN")
    assert panel.invalid_fields() == {"lr": "“fast”不是数字；请写成 0.03 或 1e-3 这样的形式。"}
    assert lr.toolTip().startswith("⚠ “fast”不是数字") and "学习率 η" in lr.toolTip()
    assert lr.text() == "fast" and lr.property("invalid")
    assert data.features_widget.toolTip().startswith("⚠ 请至少选择一个输入。")
    assert hint.text() == "softmax 输出通常配合交叉熵训练。"

    apply_language("en")
    assert lr.toolTip().startswith("⚠ “fast” is not a number")
    assert hint.text() == "A softmax output is usually trained with cross-entropy."


def test_a_panel_made_in_chinese_and_rows_added_later(panel, qtbot):
    apply_language("zh_CN")
    p = ControlsPanel(SETTINGS)
    qtbot.addWidget(p)
    assert p.widget("optimizer").currentText() == "动量法"
    assert p.training_group.full_batch_check.text() == "全批量"
    panel.add_layer()  # a row added after the switch is Chinese too
    assert panel.network_group.layers[-1].label.text() == "第 3 层"
    combo = panel.network_group.layers[-1].combo
    assert combo.currentData() == "tanh" and combo.itemText(combo.findData("identity")) == "恒等"
    apply_language("en")
    assert p.widget("optimizer").currentText() == "Momentum"
    assert panel.network_group.layers[-1].label.text() == "Layer 3"


def test_a_file_dataset_keeps_its_name(panel):
    panel.set_dataset("/tmp/some/my points.csv")
    combo = panel.data_group.dataset_combo
    apply_language("zh_CN")
    assert combo.currentText() == "my points.csv" and combo.currentData() == "/tmp/some/my points.csv"
    apply_language("en")
    assert combo.currentText() == "my points.csv"


def test_a_narrow_combo_elides_its_item_never_clips(qtbot):
    from nnviz.app.controls.fields import make_combo

    c = make_combo(tooltip="What the data is")
    c.addItem("Gaussian bumps (regression)", "reg-gauss")
    qtbot.addWidget(c)
    c.resize(90, c.sizeHint().height())
    c.show()
    qtbot.waitExposed(c)
    assert c.is_elided()  # painted as "Gaussian b…", the whole text in its tooltip
    c.resize(400, c.height())
    assert not c.is_elided()
