"""What a CSV file from a spreadsheet is written in: its encoding, its delimiter, its decimal mark.

Excel and WPS export CSV as UTF-8 (with or without a byte-order mark), as UTF-16 with a BOM
("Unicode text"), in China often as GBK (cp936), and in much of Europe with semicolons between
cells and commas as the decimal mark (``1,5;2,25;0``). :func:`detect` finds all three from the
bytes; every choice can be given instead (``encoding=``, ``delimiter=``: ``--encoding`` and
``--delimiter`` on the command line, the combos of the window's CSV dialog).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from nnviz.core.errors import N_, DataError, Text

#: Names accepted for the delimiter (``auto`` or None: detect).
DELIMITERS = {"auto": None, ",": ",", "comma": ",", ";": ";", "semicolon": ";", "\t": "\t",
              "\\t": "\t", "tab": "\t", "|": "|", "pipe": "|"}
#: Encodings offered in the window's dialog (any Python codec name is accepted too).
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030", "latin-1", "cp1252")
#: Delimiters tried when detecting, most telling first (a file of semicolons or tabs that also
#: holds commas uses them as decimal marks).
CANDIDATES = ("\t", ";", ",", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_DECIMAL_COMMA = re.compile(r"\s*[+-]?\d*,\d+(?:[eE][+-]?\d+)?\s*\Z")
_SNIFF_LINES = 50


@dataclass
class CsvFormat:
    """How a CSV file is written; ``encoding`` is a Python codec name."""

    encoding: str
    delimiter: str
    decimal_comma: bool = False
    encoding_label: str = ""
    detected: tuple = ()   # which of "encoding", "delimiter" were detected (not given)

    def describe(self) -> str:
        """``'UTF-8 with BOM (detected), delimiter ';' (detected), decimal commas'``."""
        enc = self.encoding_label or self.encoding
        parts = [f"encoding {enc}" + (" (detected)" if "encoding" in self.detected else ""),
                 f"delimiter {DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}"
                 + (" (detected)" if "delimiter" in self.detected else "")]
        if self.decimal_comma:
            parts.append("decimal commas (1,5 = 1.5)")
        return ", ".join(parts)


def parse_delimiter(value) -> str | None:
    """A delimiter name or character (``auto``/None: detect) → the character, or DataError."""
    if value is None:
        return None
    key = str(value)
    if key.strip().lower() in DELIMITERS:
        return DELIMITERS[key.strip().lower()]
    if key in DELIMITERS:
        return DELIMITERS[key]
    if len(key) == 1 and key not in "\"'\r\n" and not key.isalnum():
        return key
    raise DataError(N_("unknown delimiter {value}; use auto, comma, semicolon, tab or one "
                       "character such as |"), value=repr(key)[:20])


def parse_encoding(value) -> str | None:
    """An encoding name (``auto``/None: detect) → a Python codec name, or DataError."""
    if value is None or str(value).strip().lower() in ("", "auto"):
        return None
    name = str(value).strip()
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        raise DataError(N_("unknown encoding {value}; try auto, utf-8, utf-16, gbk or cp1252"),
                        value=repr(name)[:30]) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, encoding: str, final: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    return decoder.decode(data, final=final)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of the start is NUL (ASCII text in UTF-16)."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, path, encoding: str | None = None, final: bool = True) -> tuple[str, str, str]:
    """``(text, codec, label)`` of a CSV file's bytes; ``encoding`` None detects it.

    ``final=False`` for the first bytes of a file (a character cut at the end is dropped).
    """
    if encoding is not None:
        codec = parse_encoding(encoding)
        try:
            text = _decode(data, codec, final)
        except UnicodeDecodeError as exc:
            raise DataError(N_("{path}: cannot be read as {encoding}: byte {byte} at line {line} "
                               "is not {encoding} text; try --encoding auto, or another "
                               "encoding (utf-8, utf-16, gbk, cp1252)"),
                            path=str(path), encoding=codec, byte=hex(data[exc.start]),
                            line=_line_of(data, exc.start)) from None
        return text.removeprefix("\ufeff"), codec, codec.upper()
    boms = ((codecs.BOM_UTF32_LE, "utf-32", Text(N_("UTF-32 with BOM"))),
            (codecs.BOM_UTF32_BE, "utf-32", Text(N_("UTF-32 with BOM"))),
            (codecs.BOM_UTF8, "utf-8-sig", Text(N_("UTF-8 with BOM"))),
            (codecs.BOM_UTF16_LE, "utf-16", Text(N_("UTF-16 with BOM"))),
            (codecs.BOM_UTF16_BE, "utf-16", Text(N_("UTF-16 with BOM"))))
    for bom, codec, label in boms:
        if data.startswith(bom):
            return decode(data, path, codec, final)[0], codec, label
    bomless = _utf16_without_bom(data)
    if bomless is not None:
        try:
            return _decode(data, bomless, final), bomless, Text(N_("{codec} without BOM"), codec=bomless.upper())
        except UnicodeDecodeError:
            pass
    try:
        return _decode(data, "utf-8", final), "utf-8", "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return _decode(data, "gb18030", final), "gb18030", "GBK/GB18030"
    except UnicodeDecodeError:
        pass
    raise DataError(N_("{path}: not a text file nnviz can read: byte {byte} at line {line} is "
                       "neither UTF-8 nor GBK. If it is a spreadsheet, save it as \"CSV UTF-8\"; "
                       "or name its encoding with --encoding (e.g. cp1252, latin-1)"),
                    path=str(path), byte=hex(data[first_bad]), line=_line_of(data, first_bad))


def _field_counts(text: str, delimiter: str) -> list[int]:
    counts = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(c.strip() for c in row):
                counts.append(len(row))
                if len(counts) >= _SNIFF_LINES:
                    break
    except csv.Error:
        return []
    return counts


def sniff_delimiter(text: str) -> str:
    """The delimiter of ``text``: the first of tab, semicolon, comma, pipe that splits every
    one of the first lines into the same number (≥ 2) of cells; else the one giving most
    cells; comma when nothing splits."""
    head = text[:65536]
    if len(text) > len(head) and "\n" in head:
        head = head[:head.rindex("\n")]
    best, best_cells = ",", 1
    for delimiter in CANDIDATES:
        counts = _field_counts(head, delimiter)
        if not counts:
            continue
        if min(counts) >= 2 and len(set(counts)) == 1:
            return delimiter
        if counts[0] > best_cells:
            best, best_cells = delimiter, counts[0]
    return best


def has_decimal_commas(text: str, delimiter: str) -> bool:
    """Whether cells of the first lines are numbers written with a decimal comma (``1,5``)."""
    if delimiter == ",":
        return False
    reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
    try:
        for i, row in enumerate(reader):
            if any(_DECIMAL_COMMA.match(c) for c in row):
                return True
            if i > _SNIFF_LINES:
                break
    except csv.Error:
        return False
    return False


def point(cell: str) -> str:
    """``'1,5'`` → ``'1.5'`` (a number with a decimal comma); any other cell as it is."""
    return cell.replace(",", ".") if _DECIMAL_COMMA.match(cell) else cell


def detect(data: bytes, path, encoding: str | None = None, delimiter: str | None = None,
           final: bool = True) -> tuple[str, CsvFormat]:
    """The text of a CSV file's bytes and how it is written (given choices win)."""
    text, codec, label = decode(data, path, parse_encoding(encoding), final)
    detected = ("encoding",) if parse_encoding(encoding) is None else ()
    delim = parse_delimiter(delimiter)
    if delim is None:
        delim, detected = sniff_delimiter(text), detected + ("delimiter",)
    return text, CsvFormat(codec, delim, has_decimal_commas(text, delim), label, detected)
