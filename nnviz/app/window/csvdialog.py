"""The CSV dialog: which column holds the labels, and (when detection guesses wrong) the
file's encoding and delimiter. Each choice is "auto" by default; the first row of the file
is shown as it reads with the current choices."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QVBoxLayout, QWidget)

from nnviz.app.translation import retranslate
from nnviz.core.errors import NNVizError
from nnviz.data.csvformat import ENCODINGS
from nnviz.i18n import N_, _, message

#: The delimiter combo's choices: (saved value, shown text).
DELIMITER_CHOICES = (("auto", N_("auto (detect)")), (",", N_("comma ,")),
                     (";", N_("semicolon ;")), ("\t", N_("tab")), ("|", N_("pipe |")))
DELIMITER_WORDS = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe")}


class CsvDialog(QDialog):
    """Label column, encoding and delimiter of one CSV file (see :meth:`options`)."""

    def __init__(self, parent: QWidget | None, path: str):
        super().__init__(parent)
        self.path = str(path)
        self.first: list[str] = []
        self.format = None
        self.error: str | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.label_combo, self.encoding_combo, self.delimiter_combo = (QComboBox(), QComboBox(),
                                                                       QComboBox())
        self.label_combo.setMinimumContentsLength(24)
        for value in ENCODINGS:
            self.encoding_combo.addItem(value, value)
        for value, _text in DELIMITER_CHOICES:
            self.delimiter_combo.addItem("", value)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        form = QFormLayout()
        self.label_label, self.encoding_label, self.delimiter_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.label_label, self.label_combo)
        form.addRow(self.encoding_label, self.encoding_combo)
        form.addRow(self.delimiter_label, self.delimiter_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.detected)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self._read()
        self.encoding_combo.currentIndexChanged.connect(self._reread)
        self.delimiter_combo.currentIndexChanged.connect(self._reread)
        retranslate(self)

    # -- reading ----------------------------------------------------------------------------
    def _read(self) -> None:
        from nnviz.data.csvtable import preview

        try:
            self.first, self.format = preview(self.path, self._choice(self.delimiter_combo),
                                              encoding=self._choice(self.encoding_combo))
            self.error = None
        except NNVizError as exc:
            self.first, self.format, self.error = [], None, message(exc)

    def _reread(self) -> None:
        keep, before = self.label_combo.currentIndex(), len(self.first)
        self._read()
        self.retranslate_ui()
        # other columns: back to "let nnviz decide"
        self.label_combo.setCurrentIndex(keep if len(self.first) == before else 0)

    @staticmethod
    def _choice(combo: QComboBox) -> str | None:
        value = combo.currentData()
        return None if value in (None, "auto") else value

    def options(self) -> dict:
        """What was chosen, as :func:`nnviz.data.load_dataset` takes it (auto: left out)."""
        out = {}
        if self.label_combo.currentIndex() > 0:
            out["label"] = str(self.label_combo.currentIndex())  # 1-based column number
        for key, combo in (("encoding", self.encoding_combo), ("delimiter", self.delimiter_combo)):
            if self._choice(combo) is not None:
                out[key] = self._choice(combo)
        return out

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("CSV file"))
        self.intro.setText(_("Which column holds the labels (the answers to learn)? If the "
                             "first row below looks wrong, choose the encoding or the "
                             "delimiter."))
        self.label_label.setText(_("Label column:"))
        self.encoding_label.setText(_("Encoding:"))
        self.delimiter_label.setText(_("Delimiter:"))
        self.encoding_combo.setItemText(0, _("auto (detect)"))
        for i, (_value, text) in enumerate(DELIMITER_CHOICES):
            self.delimiter_combo.setItemText(i, _(text))
        keep = self.label_combo.currentIndex()
        self.label_combo.blockSignals(True)
        self.label_combo.clear()
        self.label_combo.addItem(_("Let nnviz decide (the last column, or the first when it "
                                   "looks like labels)"))
        for i, cell in enumerate(self.first):
            self.label_combo.addItem(_("column {number}: {name}").format(
                number=i + 1, name=cell[:40] or "—"))
        self.label_combo.setCurrentIndex(max(0, min(keep, self.label_combo.count() - 1)))
        self.label_combo.blockSignals(False)
        self.label_combo.setToolTip(self.label_combo.currentText())
        self.detected.setText(self._detected_text())

    def _detected_text(self) -> str:
        if self.error is not None:
            return _("This file cannot be read this way: {reason}").format(reason=self.error)
        fmt = self.format
        delimiter = _(DELIMITER_WORDS[fmt.delimiter]) if fmt.delimiter in DELIMITER_WORDS \
            else repr(fmt.delimiter)
        text = _("Read as: encoding {encoding}, delimiter {delimiter}").format(
            encoding=message(fmt.encoding_label) if fmt.encoding_label else fmt.encoding, delimiter=delimiter)
        if fmt.decimal_comma:
            text += "\n" + _("Numbers use decimal commas (1,5 = 1.5).")
        first = ", ".join(c[:20] for c in self.first[:8]) + (" …" if len(self.first) > 8 else "")
        return text + "\n" + _("First row: {cells}").format(cells=first)
