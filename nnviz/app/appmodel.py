"""The application model between the window and the training thread (in the spirit of napari's
``ViewerModel``): widgets subscribe to its signals and call its methods; none of them touches an
experiment or the :class:`~nnviz.app.training.controller.TrainingController`.

:class:`AppModel` owns the current :class:`~nnviz.experiment.Settings` (its own copy: the UI
thread's truth), the experiment's life (build it, load data on a
:class:`~nnviz.app.training.dataloader.DatasetLoader` thread, replace, reset, open and save model files),
the run's state, the epoch history and the snapshot stream.

Once an experiment is handed to the worker the UI thread never reads it again: what the views
need is captured before (:class:`ExperimentInfo`) or arrives in snapshots, and every command
carries the model's own copy of the settings (a save right after a settings change carries the
new ones, whatever the worker has applied so far).
"""
from __future__ import annotations

from array import array
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from nnviz.app.appcommands import TrainingCommands
from nnviz.app.apploading import LoadingAndFiles, _copy, _experiment
from nnviz.app.training.dataloader import DatasetLoader
from nnviz.app.experimentinfo import (BIG_DATASETS, DEFAULT_SETTINGS, HISTORY_COLUMNS, ExperimentInfo,  # noqa: F401
                                      describe, same_data, slow_to_load)
from nnviz.core.errors import NNVizError
from nnviz.experiment import Settings
from nnviz.i18n import _, message


class AppModel(TrainingCommands, LoadingAndFiles, QObject):
    """One run of nnviz: settings, experiment, training state and snapshots (UI thread only).

    ``confirm_discard()`` and ``ask_download(name, folder)`` are callbacks the window sets to
    its dialogs (defaults: discard without asking; never download).
    """

    experimentReplaced = Signal(object)      # ExperimentInfo
    snapshot = Signal(object)                # Snapshot (inside the worker's frame: see frame.py)
    stateChanged = Signal(str)               # "running", "paused", "finished", "stopped"
    diverged = Signal(str)
    error = Signal(str, str)                 # title, message
    loadStarted = Signal(str)                # what is being loaded (for a progress dialog)
    loadProgress = Signal(object, object, str)  # done bytes, total bytes, file name
    loadFinished = Signal()
    settingsChanged = Signal(object)         # a copy of the model's settings
    status = Signal(str)                     # a passing message ("" clears the last one)
    saved = Signal(str)                      # a model file was written

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.confirm_discard: Callable[[], bool] = lambda: True
        self.ask_download: Callable[[str, str], bool] = lambda name, folder: False
        self._settings: Settings | None = None
        self._data = None
        self._info: ExperimentInfo | None = None
        self._controller = None
        self._state = "paused"
        self._last_snapshot = None
        self._history = array("d")
        self._loader: DatasetLoader | None = None
        self._pending: tuple | None = None   # (settings, net or None) waiting for its data
        self._handovers = 0                  # counts hand-overs: a later one cancels a spread one
        self._spreading = False              # a spread hand-over waits for its first snapshot
        self._deferred = None                # that snapshot, until its turn comes
        self._delay_ms = 0
        self._sample = 0
        self._finish_shown = False
        self._closing = False
        from nnviz.app.runs import RunList
        from nnviz.app.stepmode import StepMode
        self.step_mode = StepMode(self)
        self.runs = RunList(self)   # the session's runs and their timelines (issue 20)
        from nnviz.app.timeline.scrub import Scrubber
        self.scrub = Scrubber(self)  # records runs, shows recorded moments, branches (issue 20)

    # -- what the views read ------------------------------------------------------------------
    def settings(self) -> Settings | None:
        """A copy of the current settings."""
        return None if self._settings is None else _copy(self._settings)

    @property
    def info(self) -> ExperimentInfo | None:
        return self._info

    @property
    def state(self) -> str:
        return self._state

    @property
    def global_step(self) -> int:
        return 0 if self._controller is None else self._controller.global_step

    @property
    def last_snapshot(self):
        return self._last_snapshot

    @property
    def loading(self) -> bool:
        return self._loader is not None and self._loader.is_running()

    @property
    def controller(self):
        """The training controller, for benchmarks and diagnostics only (send commands through
        the model's methods)."""
        return self._controller

    @property
    def training_elsewhere(self) -> bool:
        """True while the run trains in the child process (a frame then costs training nothing)."""
        return self._controller is not None and self._controller.training_elsewhere

    def is_trained(self) -> bool:
        return self.global_step > 0

    def epoch_history(self):
        """The epochs finished so far, one row each, columns :data:`HISTORY_COLUMNS`."""
        import numpy as np

        return np.frombuffer(self._history, dtype=float).reshape(-1, len(HISTORY_COLUMNS)).copy()

    # -- settings → experiment ------------------------------------------------------------------
    def request_settings(self, s: Settings, confirm: bool = True) -> bool:
        """Build a new network (and data if needed) for ``s``; asks first if one was trained.
        False when refused (cancelled, or it failed at once)."""
        s = _copy(s)
        if confirm and self.is_trained() and not self.confirm_discard():
            self._revert()
            return False
        if self._data is not None and self._settings is not None and same_data(s, self._settings):
            return self._install(s, self._data)
        return self._load(s)

    def apply_settings(self, s: Settings) -> None:
        """Settings that need no new network (optimizer, lr, L1/L2, schedule, epochs)."""
        self._settings = _copy(s)
        if self._controller is not None:
            self._controller.apply_settings(_copy(s))
            self.step_mode.retrace()  # in step mode: the update phase with the new optimizer / lr
        self.settingsChanged.emit(_copy(s))

    def choose_dataset(self, name: str, confirm: bool = True, label: str | None = None,
                       options: dict | None = None) -> bool:
        """Switch to dataset ``name`` (a catalog name or a file) with a network that fits it;
        ``label``: a CSV file's label column (as ``--label-column`` takes it; None: guess);
        ``options``: a CSV file's ``encoding`` and ``delimiter`` (the CSV dialog's choices)."""
        from nnviz.presets import settings_for_dataset

        base = self._settings or DEFAULT_SETTINGS
        s = settings_for_dataset(base, str(name))
        if _family_is_file(str(name)):
            s = s.replace(scaling=None)
        extra = {k: str(v) for k, v in (options or {}).items() if k in ("encoding", "delimiter") and v}
        if label is not None:
            extra["label"] = str(label)
        if extra:
            s = s.replace(data_options={**s.data_options, **extra})
        return self.request_settings(s, confirm=confirm)

    def open_dataset(self, path: str, label: str | None = None, options: dict | None = None) -> bool:
        return self.choose_dataset(str(path), label=label, options=options)

    def open_preset(self, name: str) -> bool:
        """Open a CLI preset (``nnviz presets``) as ``nnviz train --preset NAME`` would build it."""
        from nnviz.presets import get_preset

        try:
            p = get_preset(name)
        except NNVizError as exc:
            self.error.emit(_("Unknown preset"), message(exc))
            return False
        if p.kind == "graph":
            self.error.emit(_("Not a network"),
                            _("{name} is a computational graph: see it with `nnviz trace --preset {name}`.")
                            .format(name=name))
            return False
        if self.is_trained() and not self.confirm_discard():
            return False
        s = _copy(p.settings)
        if p.data_factory is None:
            return self._load(s)
        try:
            data = p.data_factory()  # the seeds' tiny tables
        except NNVizError as exc:
            self.error.emit(_("The dataset could not be loaded"), message(exc))
            return False
        return self._install(s, data)

    def install_data(self, s: Settings, data) -> bool:
        """Build ``s``'s network on data already loaded (benchmarks, presets' own data)."""
        return self._install(_copy(s), data)

    def reset(self) -> bool:
        """A fresh network with the same settings (new random weights from the seed)."""
        if self._settings is None or self._data is None:
            return False
        if self.is_trained() and not self.confirm_discard():
            return False
        return self._install(_copy(self._settings), self._data)

    def _load(self, s: Settings, net=None) -> bool:
        if slow_to_load(s):
            return self._load_in_background(s, net=net)
        try:
            from nnviz.experiment import load_data
            data = load_data(s)
        except NNVizError as exc:
            self.error.emit(_("The dataset could not be loaded"), message(exc))
            self._revert()
            self._fallback()
            return False
        return self._install(s, data, net)

    def _install(self, s: Settings, data, net=None) -> bool:
        try:
            exp = _experiment(_copy(s), data, net)
        except NNVizError as exc:
            self._build_failed(net, message(exc))
            return False
        self._hand_over(s, exp)
        return True

    def _build_failed(self, net, message: str) -> None:
        title = (_("These settings do not make a network") if net is None
                 else _("The model does not fit"))
        self.error.emit(title, message)
        self._revert()
        self._fallback()

    def _hand_over(self, s: Settings, exp, spread: bool = False) -> None:
        """Capture what the views need, then give ``exp`` to the worker (never read again).

        ``spread``: the views (with the worker), the controls and the first snapshot each get
        their own turn of the event loop (for a big experiment each takes milliseconds to tens
        of them: together, a felt stall). Commands sent in between go to
        the new experiment; snapshots of the previous network still on their way are dropped
        (``_on_snapshot``).
        """
        self._handovers += 1
        ticket = self._handovers
        self._settings, self._data = _copy(s), exp.data
        self._info = describe(exp)
        self._last_snapshot = None
        self._history = array("d")
        self._state = "paused"
        self._finish_shown = False
        self._spreading, self._deferred = spread, None
        self._give(exp)  # first: commands sent by the views' handlers reach the new network
        self.scrub.on_hand_over(_copy(s), exp)  # a new run in self.runs records it
        if not spread:
            self.experimentReplaced.emit(self._info)
            self.settingsChanged.emit(_copy(s))
            self.stateChanged.emit(self._state)
            return
        self.experimentReplaced.emit(self._info)
        self.stateChanged.emit(self._state)

        def controls() -> None:
            if ticket == self._handovers and not self._closing:  # (else a newer one replaced it)
                self.settingsChanged.emit(_copy(s))
        QTimer.singleShot(1, self, controls)  # (a timer: input and paints go first)

    def _give(self, exp) -> None:
        if self._controller is None:
            self._start_controller(exp)
        else:
            self._controller.replace_experiment(exp)
        self._controller.set_speed(self._delay_ms)
        if self._sample:
            self._sample = 0
            self._controller.set_sample(0)

    def _start_controller(self, exp) -> None:
        from nnviz.app.training.controller import TrainingController

        c = self._controller = TrainingController(exp, parent=self)
        c.snapshot.connect(self._on_snapshot)
        sig = c.signals
        sig.stateChanged.connect(self._on_state)
        sig.diverged.connect(self.diverged)
        sig.errored.connect(lambda msg: self.error.emit(_("Training stopped"), msg))
        sig.saved.connect(self._on_saved)
        sig.saveFailed.connect(lambda msg: self.error.emit(_("The model could not be saved"), msg))

    def _revert(self) -> None:
        """A change was refused: the views show the settings still in force again."""
        if self._settings is not None:
            self.settingsChanged.emit(_copy(self._settings))

    def _fallback(self) -> None:
        """No experiment yet (e.g. the remembered dataset is gone): the default toy problem."""
        if self._info is None and not self._closing:
            self.request_settings(DEFAULT_SETTINGS, confirm=False)


def _family_is_file(name: str) -> bool:
    from nnviz.data import list_datasets

    return name not in BIG_DATASETS and name not in list_datasets()
