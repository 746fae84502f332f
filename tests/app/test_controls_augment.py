"""The augment check box: image data only, a rebuild, a tooltip that says why."""
from PySide6.QtCore import QPoint, Qt

from nnviz.app.controls import ControlsPanel
from nnviz.experiment import Settings


def test_augment_is_offered_for_images_and_sent_with_a_rebuild(qtbot):
    p = ControlsPanel(Settings())
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    box = p.widget("augment")
    assert not box.isEnabled()                    # circle: nothing to distort
    assert "rotation" in box.toolTip() and "draw" in box.toolTip()
    sent = []
    p.settingsChanged.connect(lambda s, rebuild: sent.append((s, rebuild)))
    combo = p.data_group.dataset_combo
    combo.setCurrentIndex(combo.findData("mnist"))
    assert box.isEnabled() and not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    s, rebuild = sent[-1]
    assert s.augment is True and rebuild is True and s.dataset == "mnist"
    assert p.settings().augment is True
    combo.setCurrentIndex(combo.findData("fashion-mnist"))
    assert box.isEnabled()
    combo.setCurrentIndex(combo.findData("spiral"))
    s, _ = sent[-1]
    assert not box.isEnabled() and s.augment is False and not box.isChecked()
    p.set_settings(Settings(dataset="mnist", augment=True))
    assert box.isEnabled() and box.isChecked()
