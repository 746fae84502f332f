"""Start the Qt application: the main window, or ``--self-test`` (offscreen, checks, exits)."""
from __future__ import annotations

import json
import os
import sys
import time


def make_app():
    """The QApplication with nnviz's names (QSettings keys use them) and a readable style."""
    os.environ.setdefault("LANG", "C.UTF-8")
    from PySide6.QtWidgets import QApplication

    from PySide6.QtCore import qInstallMessageHandler

    def quiet(mode, context, message):  # the offscreen plugin's notices are not the user's concern
        if "propagateSizeHints" in message or "does not support raise()" in message:
            return
        sys.stderr.write(message + "\n")

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    app.setApplicationDisplayName("nnviz")
    app.setDesktopFileName("nnviz")  # matches resources/nnviz.desktop (taskbar icon on Wayland)
    from PySide6.QtGui import QIcon

    from nnviz.resources import resource_path
    icon = QIcon()  # PNGs, not the SVG: they need no SVG plugin in the bundle
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"nnviz-{size}.png")))
    app.setWindowIcon(icon)
    from nnviz.app.fonts import ensure_chinese_font
    app._nnviz_chinese_font = ensure_chinese_font()   # system, bundled or none (see fonts.py)
    import pyqtgraph as pg
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    return app


def install_excepthook(parent=None) -> None:
    """An unexpected error in the window becomes a dialog (details go to a log file), never a
    traceback in the terminal."""
    import traceback

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            return
        log = None
        try:
            from nnviz.data.locate import cache_dir
            folder = cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "errors.log"
            with open(log, "a", encoding="utf-8") as f:
                f.write(time.strftime("%Y-%m-%d %H:%M:%S ") + "".join(
                    traceback.format_exception(exc_type, exc, tb)) + "\n")
        except OSError:
            log = None
        try:
            from PySide6.QtWidgets import QMessageBox

            from nnviz.i18n import _, message
            text = _("Something unexpected went wrong ({kind}: {error}). Your work is still open; "
                     "saving the model now is a good idea.").format(kind=exc_type.__name__,
                                                                    error=message(exc))
            if log is not None:
                text += "\n\n" + _("Details were written to {path}.").format(path=log)
            QMessageBox.warning(parent, _("Unexpected error"), text)
        except Exception:  # noqa: BLE001 - last resort: one line, no traceback
            sys.stderr.write(f"nnviz: unexpected error: {exc_type.__name__}: {exc}\n")

    sys.excepthook = hook


def _quit_on_sigint(app) -> None:
    """Ctrl+C in the terminal closes nnviz as if the user closed it (exit 0, no traceback), also
    while a dialog is open (an error at start-up, a question): the dialog is dismissed first.

    Qt's event loop runs in C++, where Python's signal handler cannot run; a no-op timer
    hands control back to Python a few times a second so the handler gets its turn. It is
    installed before the window is built, so a dialog shown while the window starts is covered.
    """
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    def close_all():
        for w in QApplication.topLevelWidgets():   # a modal dialog runs its own event loop: end it
            if isinstance(w, QDialog) and w.isVisible():
                w.reject()
        app._nnviz_quit = True         # (if the window is still being built, it is not shown)
        win = getattr(app, "_nnviz_window", None)
        if win is not None:
            win.close()
        app.quit()

    def on_sigint(_signum, _frame):
        QTimer.singleShot(0, close_all)

    try:
        signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread (embedded use): leave Ctrl+C alone
        return
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(200)
    app._nnviz_sigint_tick = tick  # kept alive with the application


def install_language(app, lang: str | None) -> str:
    """Make ``lang`` the language of nnviz and Qt (see :mod:`nnviz.app.translation`)."""
    from nnviz.app.translation import apply_language

    return apply_language(lang, app)


def _language(args, qs) -> str:
    """The language asked for on the command line (remembered), else the remembered one."""
    from nnviz.i18n import check_language, system_language

    lang = getattr(args, "lang", None)
    if lang:
        lang = check_language(lang)
        qs.setValue("ui/lang", lang)
        return lang
    remembered = qs.value("ui/lang")
    try:
        return check_language(remembered) if remembered else system_language()
    except Exception:  # noqa: BLE001 - a translation removed since, or a bad value: the system's
        return system_language()


def run_app(args=None) -> int:
    if getattr(args, "lang", None):
        from nnviz.i18n import check_language
        check_language(args.lang)  # a clear error before any window
    if getattr(args, "self_test", False):
        return self_test(lang=getattr(args, "lang", None))
    t0 = time.perf_counter()
    app = make_app()
    from PySide6.QtCore import QSettings

    install_language(app, _language(args, QSettings()))
    from nnviz.app.window.mainwindow import MainWindow

    _quit_on_sigint(app)
    win = MainWindow()
    app._nnviz_window = win
    if getattr(app, "_nnviz_quit", False):   # Ctrl+C while the window was being built
        win.close()
        return 0
    install_excepthook(win)
    win.show()
    if os.environ.get("NNVIZ_STARTUP_TIME"):
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, lambda: print(f"first window after {time.perf_counter() - t0:.3f} s",
                                           file=sys.stderr))
    if os.environ.get("NNVIZ_QUIT_AFTER"):  # for smoke tests of a built bundle
        from PySide6.QtCore import QTimer
        QTimer.singleShot(int(float(os.environ["NNVIZ_QUIT_AFTER"]) * 1000), win.close)
    return app.exec()


def _canvas_reads_drawn_digits(win, app, labels=(3, 7)) -> bool:
    """Draw digits stroke by stroke (mouse events) on the window's canvas; True when the shipped
    model reads each as drawn (the installed program's check that the canvas works offline)."""
    from nnviz.app.canvas.handdrawn import DIGITS, draw

    win.digits.show_canvas()
    app.processEvents()
    panel = win.digits.panel
    read = []
    for label in labels:
        panel.canvas.clear()
        draw(panel.canvas, [[(60 + 160 * x, 40 + 200 * y) for x, y in s] for s in DIGITS[label]], width=18)
        panel.refresh()
        app.processEvents()
        read.append(panel.bars.top_class == label)
    panel.canvas.clear()
    return all(read)


def _trains_in_child_process(win, app, timeout_s: float) -> bool:
    """At full speed a free run trains in the child process (a frozen bundle must be able to
    start it): True once it trained batches there, or when the setting turns it off."""
    ctl = win.model.controller
    if not getattr(ctl.worker, "use_child", False):
        return True
    ctl.set_speed(0)
    win.model.play()
    end = time.monotonic() + timeout_s
    while ctl.stats.child_batches < 50 and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)
    win.model.pause()
    end = time.monotonic() + 2
    while win.model.state == "running" and time.monotonic() < end:
        app.processEvents()
    return ctl.stats.child_batches >= 50


def self_test(batches: int = 30, timeout_s: float = 30.0, lang: str | None = None) -> int:
    """Open the window offscreen, train a toy net through the real worker thread, check, exit.

    Prints one JSON line with what was checked; exit code 0 when every check passed.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NNVIZ_NO_DIALOGS"] = "1"
    import tempfile

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    app = make_app()
    install_language(app, lang)
    from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow

    ini = os.path.join(tempfile.mkdtemp(prefix="nnviz-selftest-"), "settings.ini")
    win = MainWindow(DEFAULT_SETTINGS, qsettings=QSettings(ini, QSettings.IniFormat), restore=False)
    win.resize(1200, 800)
    win.show()
    model = win.model
    got = {"snapshots": 0}
    model.snapshot.connect(lambda s: got.__setitem__("snapshots", got["snapshots"] + 1))
    before = win.diagram.grab().toImage()
    deadline = time.monotonic() + timeout_s
    model.play()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: (model.global_step >= batches or time.monotonic() > deadline) and loop.quit())
    timer.start(20)
    loop.exec()
    model.pause()
    # let the final snapshot arrive
    end = time.monotonic() + 2
    while model.state == "running" and time.monotonic() < end:
        app.processEvents()
    app.processEvents()
    after = win.diagram.grab().toImage()
    in_child = _trains_in_child_process(win, app, timeout_s)
    drawn_read = _canvas_reads_drawn_digits(win, app)
    n_epochs = len(win.plots.epochs())
    steps = win.plots.step_curve.getData()[0]
    checks = {
        "trained_batches": model.global_step >= batches,
        "snapshots_received": got["snapshots"] > 0,
        "diagram_changed": before != after,
        "plots_have_points": n_epochs > 0 or (steps is not None and len(steps) > 0),
        "canvas_reads_drawn_digits": drawn_read,
        "full_speed_in_child_process": in_child,
        "no_error": not hasattr(win, "last_error"),
    }
    if lang and lang != "en":   # Chinese asked for: a font that has it (the system's or the bundled one)
        checks["chinese_font"] = app._nnviz_chinese_font != "none"
        checks["menus_translated"] = any("\u4e00" <= c <= "\u9fff" for a in win.menuBar().actions() for c in a.text())
    batches_done = model.global_step
    win.close()
    ok = all(checks.values())
    print(json.dumps({"self_test": "passed" if ok else "failed", "checks": checks, "language": lang or "en",
                      "chinese_font": app._nnviz_chinese_font,
                      "batches": batches_done, "epochs_plotted": n_epochs}))
    return 0 if ok else 1
