"""The loading half of the application model: data loaded (and the network built) on a
:class:`~nnviz.app.training.dataloader.DatasetLoader` thread, and model files opened and saved."""
from __future__ import annotations

import copy
from pathlib import Path

from nnviz import __version__
from nnviz.app.training.dataloader import DatasetLoader
from nnviz.app.experimentinfo import BIG_DATASETS, DEFAULT_SETTINGS, same_data
from nnviz.core.errors import NNVizError
from nnviz.experiment import Settings, build
from nnviz.i18n import _
from nnviz.i18n import message as i18n_message


def _copy(s: Settings) -> Settings:
    return copy.deepcopy(s)


def _experiment(s: Settings, data, net=None):
    """``s``'s experiment on ``data``: a new network, or around ``net`` (a loaded model).
    Pure NumPy: runs on the loader thread for big data."""
    if net is None:
        return build(s, data=data)
    from nnviz.app.timeline.runfiles import restore_opened
    from nnviz.experiment import with_network
    exp = with_network(s, data, net)
    restore_opened(exp)   # a run file: training goes on from its exact recorded state
    return exp


class LoadingAndFiles:
    """Mixin of :class:`~nnviz.app.appmodel.AppModel` (which owns the state it uses)."""

    # -- background loading (MNIST, files) -----------------------------------------------------
    def _load_in_background(self, s: Settings, download: bool = False, net=None) -> bool:
        """Load ``s``'s data on a thread; then build its network (or wrap ``net``, a loaded model).

        Whether MNIST is on this computer is asked without reading it (``located_unverified``):
        the loader thread verifies the checksums and loads, once."""
        if s.dataset in BIG_DATASETS and not download:
            from nnviz.data import locate
            if locate.located_unverified(s.dataset) is None:
                if self.ask_download(s.dataset, str(locate.cache_dir() / s.dataset)):
                    return self._load_in_background(s, download=True, net=net)
                self._revert()
                self._fallback()
                return False
        if self._loader is not None:
            self._loader.wait(2000)
        self._pending = (s, net)
        self._loader = DatasetLoader(s, download=download, parent=self, start=False,
                                     prepare=lambda data: _experiment(_copy(s), data, net))
        self._loader.progress.connect(self.loadProgress)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)
        self._loader.start()   # (held and connected first: Cancel reaches this load from the start)
        self.loadStarted.emit(_("Downloading {name}…").format(name=s.dataset) if download
                              else _("Loading {name}…").format(name=Path(s.dataset).name))
        return True

    def cancel_load(self) -> None:
        if self._loader is not None:
            self._loader.cancel()

    def _on_loaded(self, data, exp, error: str) -> None:
        """The loader thread loaded the data and built the experiment (or failed to build it)."""
        self.loadFinished.emit()
        pending, self._pending = self._pending, None
        if self._closing or pending is None:
            return
        if exp is None:
            self._build_failed(pending[1], error)
            return
        self._hand_over(pending[0], exp, spread=True)

    def _on_load_failed(self, message: str, _missing: bool) -> None:
        self.loadFinished.emit()
        self._pending = None
        if self._closing:
            return
        if self._loader is not None and self._loader.cancel_event.is_set():
            self.status.emit(_("Loading cancelled; the network is unchanged."))
        else:
            self.error.emit(_("The dataset could not be loaded"), message)
        self._revert()
        self._fallback()

    # -- model files ------------------------------------------------------------------------------
    def open_model(self, path: str) -> bool:
        """Open a model file with its settings (its data loads on the thread when big)."""
        from nnviz.app.timeline.runfiles import open_run
        from nnviz.core.model_io import load_model

        try:
            run = open_run(path)   # a model with its recorded run (issue 20), or None
            net, extra = load_model(path) if run is None else run[:2]
        except NNVizError as exc:
            self.error.emit(_("The model could not be opened"), i18n_message(exc))
            return False
        s = _copy(self._settings or DEFAULT_SETTINGS)
        if isinstance(extra.get("settings"), dict):
            try:
                s = Settings.from_dict(extra["settings"])
            except (NNVizError, TypeError):
                pass
        if self.is_trained() and not self.confirm_discard():
            return False
        if self._data is not None and self._settings is not None and same_data(s, self._settings):
            return self._install(s, self._data, net)
        return self._load(s, net=net)

    def save_model(self, path: str) -> bool:
        """Write the network to ``path`` on the worker thread; ``saved`` or ``error`` follows."""
        if self._controller is None or self._settings is None:
            return False
        extra = {"settings": self._settings.to_dict(), "app": f"nnviz {__version__}"}
        run = self.runs.selected or self.scrub.current_run()   # its timeline goes with it (issue 20)
        if run is not None and run.timeline is not None and len(run.timeline):
            from nnviz.app.training import commands as cmd
            self._controller.post(cmd.SaveModel(str(path), extra, run.timeline))
        else:
            self._controller.save_model(str(path), extra)
        return True

    def _on_saved(self, path: str) -> None:
        self.status.emit(_("Saved the model to {path}").format(path=path))
        self.saved.emit(path)
