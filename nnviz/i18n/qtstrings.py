"""pyqtgraph's own texts that nnviz's plots can show, marked for nnviz's catalog.

pyqtgraph (0.14) asks Qt, ``QCoreApplication.translate(context, text)``, for the texts of its
context menus (right-click on a plot), its plot options and its export dialog;
:class:`nnviz.app.translation.CatalogTranslator` answers the contexts in
``PYQTGRAPH_CONTEXTS`` from nnviz's catalog. This module only lists those texts, exactly as
pyqtgraph writes them, so that the extractor puts them in the catalog (the HTML tooltips of the
axis controls are left out). Nothing imports it at run time.

Where they come from (under ``site-packages/pyqtgraph``):
``graphicsItems/ViewBox/ViewBoxMenu.py`` (context ``ViewBox``),
``graphicsItems/ViewBox/axisCtrlTemplate_generic.py`` (``Form``),
``graphicsItems/PlotItem/PlotItem.py`` (``PlotItem``),
``graphicsItems/PlotItem/plotConfigTemplate_generic.py`` (``Form``),
``GraphicsScene/GraphicsScene.py`` (``GraphicsScene``),
``GraphicsScene/exportDialogTemplate_generic.py`` (``Form``) and the exporters' names
(``Exporter``, from ``GraphicsScene/exportDialog.py``).
"""
from nnviz.i18n import N_

#: context "ViewBox": the view's menu ("X axis" is "X " + the translation of "axis")
VIEWBOX = (
    N_("ViewBox options"),
    N_("View All"),
    N_("axis"),
    N_("Mouse Mode"),
    N_("3 button"),
    N_("1 button"),
)

#: context "Form": the controls of one axis (in the X axis / Y axis submenus)
AXIS_CONTROLS = (
    N_("Link Axis:"),
    N_("Auto"),
    N_("Manual"),
    N_("Invert Axis"),
    N_("Mouse Enabled"),
    N_("Visible Data Only"),
    N_("Auto Pan Only"),
)

#: context "PlotItem": the "Plot Options" submenu
PLOT_OPTIONS = (
    N_("Plot Options"),
    N_("Transforms"),
    N_("Downsample"),
    N_("Average"),
    N_("Alpha"),
    N_("Grid"),
    N_("Points"),
)

#: context "Form": the plot options' controls and their plain tooltips
PLOT_CONTROLS = (
    N_("Display averages of the curves displayed in this plot. The parameter list allows you to "
       "choose parameters to average over (if any are available)."),
    N_("Clip to View"),
    N_("Plot only the portion of each curve that is visible. This assumes X values are uniformly spaced."),
    N_("Max Traces:"),
    N_("If multiple curves are displayed in this plot, check this box to limit the number of traces "
       "that are displayed."),
    N_("Peak"),
    N_("Downsample by drawing a saw wave that follows the min and max of the original data. This "
       "method produces the best visual representation of the data but is slower."),
    N_("If multiple curves are displayed in this plot, check \"Max Traces\" and set this value to limit "
       "the number of traces that are displayed."),
    N_("Forget hidden traces"),
    N_("If MaxTraces is checked, remove curves from memory after they are hidden (saves memory, but "
       "traces can not be un-hidden)."),
    N_("Mean"),
    N_("Downsample by taking the mean of N samples."),
    N_("Subsample"),
    N_("Downsample by taking the first of N samples. This method is fastest and least accurate."),
    N_("Automatically downsample data based on the visible range. This assumes X values are "
       "uniformly spaced."),
    N_("Downsample data before plotting. (plot every Nth sample)"),
    N_("Log X"),
    N_("Log Y"),
    N_("Power Spectrum (FFT)"),
    N_("Subtract Mean"),
    N_("Show X Grid"),
    N_("Show Y Grid"),
    N_("Opacity"),
)

#: context "GraphicsScene", the export dialog ("Form") and the exporters ("Exporter")
EXPORT = (
    N_("Export..."),
    N_("Export"),
    N_("Item to export:"),
    N_("Export format"),
    N_("Export options"),
    N_("Close"),
    N_("Copy"),
    N_("Image File (PNG, TIF, JPG, ...)"),
    N_("Scalable Vector Graphics (SVG)"),
    N_("CSV of original plot data"),
    N_("HDF5 Export: plot (x,y)"),
    N_("Matplotlib Window"),
    N_("Printer"),
)
