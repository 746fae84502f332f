"""The window's side of the catalog: Qt's own strings, pyqtgraph's menus, and live switching.

* :func:`apply_language` makes a language current everywhere: nnviz's catalog
  (:mod:`nnviz.i18n`), Qt's standard buttons and dialogs (``qtbase_<lang>.qm`` from PySide6;
  the ``qt_<lang>.qm`` meta file needs modules the wheel lacks), and pyqtgraph's context menus
  (:class:`CatalogTranslator` answers their contexts from nnviz's catalog). Qt then sends every
  widget a ``LanguageChange`` event, and every object registered with :func:`retranslate` has
  its ``retranslate_ui()`` called, so the open window is retranslated in place, training on.
* :func:`retranslate` is how a widget takes part (the Frescobaldi pattern): write every text it
  shows in one ``retranslate_ui`` method, and call ``retranslate(self)`` once in ``__init__``;
  it calls the method now and again after every switch, for as long as the object lives.
"""
from __future__ import annotations

import weakref

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from nnviz import i18n

#: pyqtgraph's contexts whose texts nnviz's catalog holds (``nnviz/i18n/qtstrings.py``).
PYQTGRAPH_CONTEXTS = frozenset({"ViewBox", "PlotItem", "GraphicsScene", "Form", "Context Menu",
                                "ImageView", "GradientEditorItem", "ColorBarItem", "Exporter"})

_registered: list = []          # weak methods of every registered retranslate_ui


class CatalogTranslator(QTranslator):
    """Answers pyqtgraph's ``translate(context, text)`` calls from nnviz's catalog."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: N802 (Qt's name)
        if context in PYQTGRAPH_CONTEXTS and source:
            text = i18n._(source)
            if text != source:
                return text
        return None  # a null string: Qt asks the next translator

    def isEmpty(self):  # noqa: N802
        return False


def _alive(obj) -> bool:
    try:
        from shiboken6 import isValid
        return isValid(obj)
    except (ImportError, TypeError):
        return True


def retranslate(obj, method: str = "retranslate_ui") -> None:
    """Call ``obj.<method>()`` now and after every language switch while ``obj`` lives."""
    bound = getattr(obj, method)
    _registered.append(weakref.WeakMethod(bound))
    bound()


def retranslate_all() -> int:
    """Call every live registered method (after a switch); returns how many ran."""
    alive, ran = [], 0
    for ref in list(_registered):
        bound = ref()
        if bound is None or not _alive(bound.__self__):
            continue
        try:
            bound()
        except RuntimeError as exc:  # a plain object whose widgets Qt has deleted meanwhile
            if "already deleted" not in str(exc):
                raise
            continue
        alive.append(ref)
        ran += 1
    _registered[:] = alive
    return ran


def _qt_translator(app, lang: str):
    tr = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return tr if tr.load(f"qtbase_{lang}", folder) else None


def apply_language(lang: str | None, app=None) -> str:
    """Make ``lang`` (``en``, ``zh_CN``; None: English) the language of nnviz and of Qt, and
    retranslate everything open. Returns the language's code."""
    app = app or QCoreApplication.instance()
    code = i18n.set_language(lang)
    if app is not None:
        for old in getattr(app, "_nnviz_translators", []):
            app.removeTranslator(old)
        installed = []
        if code != i18n.SOURCE_LANGUAGE:
            for tr in (CatalogTranslator(app), _qt_translator(app, code)):
                if tr is not None:
                    app.installTranslator(tr)
                    installed.append(tr)
        app._nnviz_translators = installed  # kept alive with the application
    retranslate_all()
    return code
