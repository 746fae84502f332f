"""The CSV dialog: label column, encoding and delimiter ("auto" by default), in both languages."""
import pytest

from nnviz.app.window.csvdialog import CsvDialog
from nnviz.app.translation import apply_language


@pytest.fixture
def zh():
    try:
        yield
    finally:
        apply_language("en")


def test_the_dialog_detects_and_offers_the_choices(qtbot, tmp_path, zh):
    path = tmp_path / "d.csv"
    path.write_bytes("长度;宽度;种类\r\n1,5;2,25;猫\r\n2,5;3;狗\r\n".encode("utf-16"))
    dlg = CsvDialog(None, str(path))
    qtbot.addWidget(dlg)
    assert dlg.label_combo.count() == 4 and "种类" in dlg.label_combo.itemText(3)
    assert "UTF-16 with BOM" in dlg.detected.text() and "semicolon" in dlg.detected.text()
    assert "decimal commas" in dlg.detected.text() and dlg.options() == {}
    dlg.label_combo.setCurrentIndex(3)
    dlg.delimiter_combo.setCurrentIndex(1)  # comma: the first row becomes one cell
    assert dlg.label_combo.count() == 2 and dlg.options() == {"delimiter": ","}
    dlg.delimiter_combo.setCurrentIndex(0)
    dlg.encoding_combo.setCurrentIndex(dlg.encoding_combo.findData("utf-8"))
    assert "cannot be read this way" in dlg.detected.text() and "utf-8" in dlg.detected.text()
    assert dlg.options() == {"encoding": "utf-8"}
    apply_language("zh_CN")
    assert dlg.windowTitle() == "CSV 文件" and dlg.encoding_label.text() == "编码："
    assert dlg.delimiter_combo.itemText(0) == "自动（检测）"
    assert "无法这样读取此文件" in dlg.detected.text()
    apply_language("en")
    assert dlg.windowTitle() == "CSV file" and dlg.delimiter_combo.itemText(2) == "semicolon ;"
