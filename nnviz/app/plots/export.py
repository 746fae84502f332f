"""Writing the training curves to files: the metrics as CSV, both plots as PNG or SVG
(:class:`PlotsExport`, a mixin of :class:`~nnviz.app.plots.metrics.MetricsPlots`). Every file is
written atomically (temp file + rename), the hover readout lines hidden meanwhile."""
from __future__ import annotations

from nnviz.core.model_io import atomic_write


class PlotsExport:
    """Uses the plots' ``history``, ``glw`` and ``_hover_lines``."""

    def export_csv(self, path) -> None:
        """Write every epoch's metrics to ``path`` (by :func:`~nnviz.core.model_io.atomic_write`:
        temp file + rename; devices, FIFOs and folders refused; permissions kept)."""
        atomic_write(path, self.history.write_csv)

    def _export(self, exporter, path) -> None:
        shown = [line.isVisible() for line in self._hover_lines]
        for line in self._hover_lines:
            line.setVisible(False)
        try:
            atomic_write(path, exporter.export, by_name=True)
        finally:
            for line, v in zip(self._hover_lines, shown):
                line.setVisible(v)

    def export_png(self, path, width: int | None = None) -> None:
        """Both plots as a PNG (``width`` in pixels, default: the on-screen size)."""
        from pyqtgraph.exporters import ImageExporter

        ex = ImageExporter(self.glw.ci)
        if width:
            ex.params["width"] = int(width)
        self._export(ex, path)

    def export_svg(self, path) -> None:
        """Both plots as an SVG drawing."""
        from pyqtgraph.exporters import SVGExporter

        self._export(SVGExporter(self.glw.ci), path)


