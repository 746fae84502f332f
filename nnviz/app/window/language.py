"""The window's languages and words: its ``retranslate_ui``, the Language menu's switch, the
banner (kept as a template, so it follows a switch), and the welcome dialog it opens.

:class:`WindowTexts` is a mixin of :class:`~nnviz.app.window.mainwindow.MainWindow`. A switch
(:meth:`WindowTexts.set_language`, the View → Language menu) goes through
:func:`nnviz.app.translation.apply_language`: everything open is retranslated in place, training
runs on, and the choice is remembered in the window's settings (``ui/lang``), where
``nnviz --lang`` also writes it; with no choice the system locale decides
(:func:`nnviz.app.main._language`).
"""
from __future__ import annotations

from nnviz.app.translation import apply_language
from nnviz.i18n import _


class WindowTexts:
    """Mixin of :class:`~nnviz.app.window.mainwindow.MainWindow` (see the module docs)."""

    def retranslate_ui(self) -> None:
        """Every fixed text of the window (its docks' titles, menus, toolbar, status bar, banner)."""
        self.setWindowTitle(_("Watch a neural network learn"))  # Qt adds " — nnviz"
        self.controls_dock.setWindowTitle(_("Settings"))
        self.plots_dock.setWindowTitle(_("Loss and accuracy"))
        self.output_dock.setWindowTitle(_("Data and output"))
        self.confusion_dock.setWindowTitle(_("Confusion matrix"))
        self._retranslate_menus()
        self.statusBar().clearMessage()  # a passing message was written in the other language
        if self._banner_text is not None:
            template, values = self._banner_text
            self._show_banner(template, **values)

    def set_language(self, lang: str) -> str:
        """Switch the whole window to ``lang`` (``en``, ``zh_CN``) now, training on; remembered."""
        code = apply_language(lang)
        self.qs.setValue("ui/lang", code)
        return code

    def show_welcome(self):
        """The welcome dialog (first start, and Help → Welcome)."""
        from nnviz.app.window.welcome import WelcomeDialog

        if self.welcome is None:
            self.welcome = WelcomeDialog(self)
        self.qs.setValue("ui/welcomed", True)
        self.welcome.show()
        self.welcome.raise_()
        self.welcome.activateWindow()
        return self.welcome

    def _show_banner(self, template: str, **values) -> None:
        """Show the banner with ``template`` (marked with ``N_``) translated, then filled in."""
        self._banner_text = (template, values)
        self.banner.setText(_(template).format(**values) if values else _(template))
        self.banner.show()

    def _hide_banner(self) -> None:
        self._banner_text = None
        self.banner.hide()
