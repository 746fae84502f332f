"""Find visible text that was not translated: walk a widget tree with Chinese loaded.

:func:`untranslated_texts` returns every text shown by a visible widget (labels, buttons, group
titles, dock titles, tab texts, combo items, line-edit placeholders, tooltips) and every text of
the menu bar's menus and actions that still holds an English word. Allowed: the names that stay
Latin (the glossary's list), single letters and symbols, numbers, formula tokens, file names and
patterns, key names of shortcuts, and tokens with digits ("2-4-4-1", "x1", "L2").
"""
from __future__ import annotations

import re

from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDockWidget, QGroupBox, QLabel, QLineEdit,
                               QMenu, QTabBar, QWidget)

#: Names that stay Latin in both languages (GLOSSARY-zh.md), with the glossary's Latin asides.
ALLOWED_NAMES = {
    "nnviz", "mnist", "fashion", "relu", "leakyrelu", "tanh", "sigmoid", "softmax", "sgd", "adam",
    "adagrad", "rmsprop", "nesterov", "xavier", "he", "kaiming", "huber", "csv", "png", "svg", "json",
    "xor", "and", "or", "nand", "numpy", "idx", "npz", "gz", "ubyte", "bn", "mse", "bp", "dropout",
    "batch_size", "epoch", "steplr", "multisteplr", "exponentiallr", "qt", "pyside", "sha",
    "english",  # the Language menu names each language in its own language
    "pytorch", "leaky", "momentum", "utf", "gbk", "bom", "latin", "sig", "le", "be", "playground", "lecun", "glorot", "adamw", "momentum_sgd", "gelu", "elu", "selu", "swish",
}
#: Formula tokens and the key names of shortcuts.
ALLOWED_TOKENS = {
    "exp", "log", "ln", "max", "min", "sum", "sin", "cos", "mean", "grad", "sign", "argmax", "dl", "dw", "db", "dz", "da", "d",
    "ctrl", "shift", "alt", "space", "home", "end", "left", "right", "up", "down", "del", "enter",
    "esc", "tab", "pgup", "pgdown", "backspace", "return", "lr", "e",
}
_FILE = re.compile(r"(\*|[\w.-]+)\.(csv|txt|npz|gz|png|svg|json|nnviz|ini|log|md)\b|\*-ubyte|[~/][\w./-]+",
                   re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>|&[a-z]+;|&(?=\S)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_']*")


def english_words(text: str) -> list[str]:
    """The words of ``text`` that are English and not allowed (see the module docs)."""
    text = _FILE.sub(" ", _TAG.sub("", text or ""))
    bad = []
    for word in _WORD.findall(text):
        w = word.lower().strip("'")
        if (len(w) <= 1 or any(c.isdigit() for c in w) or w in ALLOWED_NAMES or w in ALLOWED_TOKENS
                or re.fullmatch(r"[a-zδ]_[a-z]+", w)):   # a formula symbol with a subscript: a_prev
            continue
        bad.append(word)
    return bad


def _visible(w: QWidget) -> bool:
    return w.isVisible() and w.window().isVisible()


def _menu_texts(menu: QMenu, where: str, menus: dict):
    yield where, menu.title()
    for act in menu.actions():
        if act.isSeparator():
            continue
        sub = menus.get(act)
        if sub is not None:
            yield from _menu_texts(sub, f"{where} › {sub.title()}", menus)
        else:
            yield f"{where} › action", act.text()


def _menus_by_action(root: QWidget) -> dict:
    """Every menu under ``root`` by its menu action. (Not ``QAction.menu()``: with PySide6 6.x the
    wrapper it returns may own the menu, and the menu is deleted when the wrapper is collected.)"""
    return {m.menuAction(): m for m in root.findChildren(QMenu)}


def shown_texts(root: QWidget):
    """``(where, text)`` for every text ``root``'s visible widgets and its menu bar show."""
    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        if isinstance(w, QMenu) or not _visible(w):
            continue
        name = f"{type(w).__name__}[{w.objectName()}]"
        if isinstance(w, QLabel):
            yield name, w.text()
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QDockWidget):
            yield name, w.windowTitle()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield f"{name} tab {i}", w.tabText(i)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item {i}", w.itemText(i)
        elif isinstance(w, QLineEdit):
            yield f"{name} placeholder", w.placeholderText()
        if w.toolTip():
            yield f"{name} tooltip", w.toolTip()
    bar = getattr(root, "menuBar", None)
    if callable(bar):
        menus = _menus_by_action(root)
        for act in bar().actions():
            if act in menus:
                yield from _menu_texts(menus[act], "menu", menus)


def untranslated_places(root: QWidget) -> list[tuple[str, str]]:
    """``(where, text)`` of every shown text holding an English word (see :func:`english_words`)."""
    return [(where, text) for where, text in shown_texts(root) if text and english_words(text)]


def untranslated_texts(root: QWidget) -> list[str]:
    """The shown texts of ``root`` (visible widgets, the menu bar's menus) that are not translated."""
    seen, out = set(), []
    for _where, text in untranslated_places(root):
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out
