"""pyqtgraph's context menus in the current language, also after a switch.

pyqtgraph writes the texts of a plot's menus once, when the plot is built (its view's menu, its
"Plot Options" and the scene's "Export..."), through ``QCoreApplication.translate``, which
:class:`nnviz.app.translation.CatalogTranslator` answers from nnviz's catalog
(:mod:`nnviz.i18n.qtstrings`). :func:`retranslate_plot_menus` writes them again, in place (the
menus keep their state and connections); a plot's ``retranslate_ui`` calls it.
"""
from __future__ import annotations

from nnviz.i18n import _

# pyqtgraph's texts (marked in nnviz.i18n.qtstrings): what CatalogTranslator answers them with
_PLOT_OPTIONS = ("Transforms", "Downsample", "Average", "Alpha", "Grid", "Points")


def _retranslate_viewbox_menu(menu) -> None:
    menu.setTitle(_("ViewBox options"))
    menu.viewAll.setText(_("View All"))
    submenus = [a for a in menu.actions() if a.menu() is not None]
    for action, axis in zip(submenus, "XY"):
        action.setText(f"{axis} {_('axis')}")
    if len(submenus) >= 3:
        submenus[2].setText(_("Mouse Mode"))
    for action, text in zip(menu.mouseModes, ("3 button", "1 button")):
        action.setText(_(text))
    for ui in menu.ctrl:
        ui.retranslateUi(ui.label.parentWidget())


def retranslate_plot_menus(plot) -> None:
    """Write the menus of ``plot`` (a ``pg.PlotItem`` or a ``pg.ViewBox``) and of its scene in
    the current language."""
    vb = plot.getViewBox() if hasattr(plot, "getViewBox") else plot
    if getattr(vb, "menu", None) is not None:
        _retranslate_viewbox_menu(vb.menu)
    ctrl_menu = getattr(plot, "ctrlMenu", None)
    if ctrl_menu is not None:
        ctrl_menu.setTitle(_("Plot Options"))
        submenus = [a for a in ctrl_menu.actions() if a.menu() is not None]
        for action, text in zip(submenus, _PLOT_OPTIONS):
            action.setText(_(text))
        plot.ctrl.retranslateUi(plot.ctrl.transformGroup.parentWidget() or plot.ctrl.transformGroup)
    scene = plot.scene()
    if scene is not None and getattr(scene, "contextMenu", None):
        scene.contextMenu[0].setText(_("Export..."))
        dialog = getattr(scene, "exportDialog", None)
        if dialog is not None:
            dialog.ui.retranslateUi(dialog)
            if dialog.isVisible():
                dialog.updateFormatList()
