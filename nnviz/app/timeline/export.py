"""Sharing runs: the selected run's timeline as an animation, every run's metrics as CSV.

:class:`FrameRenderer` draws one checkpoint of a run into a ``QImage`` offscreen: a title line,
the diagram (with the neurons' pictures), the output view (decision regions for 2-D data, the
shown sample's bars otherwise) and the loss curve with a marker at the checkpoint.
:func:`export_animation` renders the run's checkpoints (at most ``max_frames``, spread over
the recording, so the fast early steps get more frames) into a GIF (:mod:`nnviz.timeline.gif`)
or an APNG (:mod:`nnviz.timeline.apng`, from Qt-encoded PNG frames), with a progress dialog
whose Cancel leaves no file (the file is written by :func:`~nnviz.core.model_io.atomic_write`).
:func:`write_runs_csv` writes one row per run per epoch.
"""
from __future__ import annotations

import csv
import io

import numpy as np
from PySide6.QtCore import QBuffer, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QProgressDialog

from nnviz.app.history import CSV_COLUMNS, EpochTable, csv_cell
from nnviz.core.model_io import atomic_write
from nnviz.i18n import _

FRAME_SIZE = (960, 540)
MAX_FRAMES = 80
FRAME_MS = 120          # each frame's time on screen; the last one stays LAST_MS
LAST_MS = 2000


class Cancelled(Exception):
    """The learner pressed Cancel: nothing was written."""


def write_runs_csv(runs, path) -> None:
    """Every run's epochs, one row per run per epoch (the run's name first), atomically."""
    def write(binary) -> None:
        f = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        w = csv.writer(f)
        w.writerow(["run", "race", "parent", *CSV_COLUMNS])
        for run in runs:
            parent = next((r.name for r in runs if r.id == run.parent), "")
            for e in list(getattr(run.timeline, "epochs", None) or ()):
                w.writerow([run.name, "" if run.race is None else run.race, parent,
                            *(csv_cell(e.get(c)) for c in CSV_COLUMNS)])
        f.flush()
        f.detach()

    atomic_write(path, write)


def pick_frames(n: int, most: int = MAX_FRAMES) -> list[int]:
    """Indices of at most ``most`` of ``n`` checkpoints, evenly spread, first and last included."""
    if n <= most:
        return list(range(n))
    return [int(i) for i in np.unique(np.linspace(0, n - 1, most).round().astype(int))]


class FrameRenderer:
    """Draws checkpoints of ``run`` (on ``data``, the run's dataset) as animation frames."""

    def __init__(self, run, data, size=FRAME_SIZE, grid_size: int = 40):
        from nnviz.app.diagram import NetworkDiagram
        from nnviz.app.experimentinfo import describe
        from nnviz.app.output import OutputView
        from nnviz.app.training.snapshots import grid_axes
        from nnviz.experiment import build

        self.run, self.size = run, size
        self.exp = build(run.settings, data=data)
        info = describe(self.exp)
        w, h = size
        self.diagram = NetworkDiagram()
        self.diagram.set_network(info.sizes, info.activations, names=info.layer_names,
                                 image_shape=info.image_shape, input_names=info.input_names,
                                 output_names=info.output_names)
        self.output = OutputView()
        self.output.set_data(data)
        for widget, wh in ((self.diagram, (w * 58 // 100, h - 34)), (self.output, (w - w * 58 // 100, (h - 34) // 2))):
            widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            widget.resize(*wh)
            widget.show()
        self.grid_size = grid_size if self.exp.net.n_inputs == 2 else 0
        self.axes = grid_axes(data, grid_size, self.exp.net.dtype) if self.grid_size else None
        tl = run.timeline
        table = EpochTable()
        table.add(list(tl.epochs))
        self.epochs = table
        self.spe = max(1, int(getattr(tl, "steps_per_epoch", None) or self.exp.trainer.steps_per_epoch or 1))
        from nnviz.app.plots.overlay import thin
        self.losses = thin(tl.losses, 600)
        cps = tl.checkpoints()
        if cps:  # once, so that every view has settled its layout before the first frame
            self.render(cps[0])

    def close(self) -> None:
        for widget in (self.diagram, self.output):
            widget.close()
            widget.deleteLater()

    def render(self, cp) -> QImage:
        from nnviz.app.training.snapshots import make_snapshot
        from nnviz.timeline import restore_state

        restore_state(self.exp.trainer, cp.state)
        with np.errstate(all="ignore"):
            snap = make_snapshot(self.exp, grid_size=self.grid_size, grid_axes_cache=self.axes, final=True,
                                 last_loss=cp.metrics.get("loss") if cp.metrics.get("loss") is not None else float("nan"))
            self.diagram.update_snapshot(snap)
            self.output.update_snapshot(snap)
        QApplication.sendPostedEvents()  # the views' layouts settle (the legend's rows) before grabbing
        QApplication.sendPostedEvents()
        w, h = self.size
        img = QImage(w, h, QImage.Format.Format_RGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._title(p, cp, w)
            dw = w * 58 // 100
            p.drawPixmap(0, 34, self.diagram.grab())
            out = self.output.plane_widget if self.output.mode() == "plane" else self.output
            p.drawPixmap(dw, 34, out.grab())
            self._curve(p, QRectF(dw + 8, 34 + (h - 34) // 2 + 6, w - dw - 16, (h - 34) // 2 - 14), cp)
        finally:
            p.end()
        return img

    def _title(self, p: QPainter, cp, w: int) -> None:
        font = QFont()
        font.setPointSizeF(11)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#222"))
        loss = cp.metrics.get("loss")
        text = _("{run} · epoch {epoch} · step {step} · loss {loss}").format(
            run=self.run.name, epoch=cp.epoch, step=cp.step,
            loss="—" if loss is None else f"{loss:.4f}")
        p.drawText(QRectF(10, 4, w - 20, 28), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        p.setPen(QPen(QColor(self.run.colour), 4))
        p.drawLine(0, 32, w, 32)

    def _curve(self, p: QPainter, r: QRectF, cp) -> None:
        """The loss against epochs: per batch (faint), per epoch (train solid, test dashed) and a
        marker at the checkpoint."""
        p.setPen(QPen(QColor("#999"), 1))
        p.drawRect(r)
        x_batch = self.losses[:, 0] / self.spe if len(self.losses) else np.zeros(0)
        ep = self.epochs.column("epoch")
        series = [(x_batch, self.losses[:, 1] if len(self.losses) else np.zeros(0))]
        series += [(ep, self.epochs.column("train_loss")), (ep, self.epochs.column("test_loss"))]
        ys = np.concatenate([s[1][np.isfinite(s[1])] for s in series] + [np.zeros(1)])
        xmax = max([1.0] + [float(s[0].max()) for s in series if len(s[0])])
        ymax = float(np.percentile(ys, 99)) * 1.05 if len(ys) > 1 else 1.0
        ymax = ymax if ymax > 0 and np.isfinite(ymax) else 1.0

        def poly(x, y) -> QPolygonF:
            ok = np.isfinite(y)
            px = r.left() + x[ok] / xmax * r.width()
            py = r.bottom() - np.clip(y[ok] / ymax, 0, 1) * r.height()
            return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist())])

        colour = QColor(self.run.colour)
        faint = QColor(colour)
        faint.setAlpha(70)
        for (x, y), pen in zip(series, (QPen(faint, 1), QPen(colour, 2),
                                         QPen(colour, 1.5, Qt.PenStyle.DashLine))):
            if len(x):
                p.setPen(pen)
                p.drawPolyline(poly(x, y))
        mx = r.left() + min(1.0, cp.step / self.spe / xmax) * r.width()
        p.setPen(QPen(QColor("#222"), 1.5))
        p.drawLine(QPointF(mx, r.top()), QPointF(mx, r.bottom()))
        font = QFont()
        font.setPointSizeF(9)
        p.setFont(font)
        p.setPen(QColor("#444"))
        p.drawText(r.adjusted(6, 2, -6, -2), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight,
                   _("loss (0 – {top}) over {epochs} epochs").format(top=f"{ymax:.3g}", epochs=f"{xmax:g}"))


def _qimage_rgb(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return a[:, :img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def _png(img: QImage) -> bytes:
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    img.convertToFormat(QImage.Format.Format_RGB888).save(buf, "PNG")
    return bytes(buf.data())


def export_animation(run, data, path, fmt: str = "gif", parent=None, progress=None,
                     max_frames: int = MAX_FRAMES, size=FRAME_SIZE) -> int:
    """Write ``run``'s timeline as an animated ``fmt`` ("gif" or "apng") to ``path``; returns
    the frame count. ``progress``: a QProgressDialog-like object (made here when None);
    Cancel raises :class:`Cancelled` and leaves no file."""
    from nnviz.timeline.apng import ApngWriter
    from nnviz.timeline.gif import GifWriter, Palette

    cps = run.timeline.checkpoints()
    frames = [cps[i] for i in pick_frames(len(cps), max_frames)]
    if not frames:
        raise ValueError(_("This run has no recorded moments yet: train it first."))
    samples = pick_frames(len(frames), 5) if fmt == "gif" else []
    total = len(frames) + len(samples)
    own = progress is None
    if own:
        progress = QProgressDialog(_("Drawing the animation…"), _("Cancel"), 0, total, parent)
        progress.setWindowTitle(_("Export animation"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
    progress.setMaximum(total)
    renderer = FrameRenderer(run, data, size)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        progress.setValue(done)
        QApplication.processEvents()
        if progress.wasCanceled():
            raise Cancelled()

    def write(f) -> None:
        delays = [FRAME_MS] * (len(frames) - 1) + [LAST_MS]
        if fmt == "gif":
            sample_rgb = []
            for i in samples:
                sample_rgb.append(_qimage_rgb(renderer.render(frames[i])))
                tick()
            writer = GifWriter(f, size[0], size[1], Palette.for_frames(sample_rgb, stride=2))
            for cp, delay in zip(frames, delays):
                writer.add_frame(_qimage_rgb(renderer.render(cp)), delay)
                tick()
        else:
            writer = ApngWriter(f, len(frames))
            for cp, delay in zip(frames, delays):
                writer.add_png(_png(renderer.render(cp)), delay)
                tick()
        writer.close()

    try:
        progress.setValue(0)
        atomic_write(path, write)
    finally:
        renderer.close()
        if own:
            progress.close()
    return len(frames)
