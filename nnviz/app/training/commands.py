"""What the window can ask of the training thread: one small frozen dataclass per command.

A :class:`~nnviz.app.training.controller.TrainingController` builds one and posts it; the worker thread
runs it between two batches through one table, type → handler
(:data:`nnviz.app.training.command_handlers.HANDLERS`). Posting anything else raises ``TypeError``.
Plain data only (no Qt): values are converted to their types here, on the UI thread, so a
handler never sees a string where it expects a number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Command:
    """Base class of every command (see the module docs)."""

    __slots__ = ()


@dataclass(frozen=True)
class Play(Command):
    """Train freely until Pause, the planned epochs end, divergence or an error."""


@dataclass(frozen=True)
class Pause(Command):
    """Stop training after the current batch; the final snapshot of the run follows."""


@dataclass(frozen=True)
class StepBatch(Command):
    """Train exactly one batch, then stay paused."""


@dataclass(frozen=True)
class StepEpoch(Command):
    """Train until the current epoch ends, then pause."""


@dataclass(frozen=True)
class SetParam(Command):
    """Set ``net.layers[layer].params[name][index]`` to ``value`` (every entry if ``index`` is None)."""

    layer: int
    name: str
    index: tuple | None
    value: float

    def __post_init__(self):
        object.__setattr__(self, "layer", int(self.layer))
        object.__setattr__(self, "name", str(self.name))
        if self.index is not None:
            object.__setattr__(self, "index", tuple(int(i) for i in _as_tuple(self.index)))
        object.__setattr__(self, "value", float(self.value))


@dataclass(frozen=True)
class ApplySettings(Command):
    """Live-tunable settings (optimizer and its options, lr, L1/L2, schedule, epochs of a run)."""

    settings: Any


@dataclass(frozen=True)
class SaveModel(Command):
    """Write the network to ``path`` between batches (``saved`` or ``saveFailed`` follows)."""

    path: str
    extra: dict = field(default_factory=dict)
    timeline: object = None   # a run's nnviz.timeline.Timeline to write with it (issue 20)

    def __post_init__(self):
        object.__setattr__(self, "path", str(self.path))
        object.__setattr__(self, "extra", dict(self.extra or {}))


@dataclass(frozen=True)
class SetSpeed(Command):
    """Wait ``delay_ms`` milliseconds after each batch (0: full speed)."""

    delay_ms: int

    def __post_init__(self):
        object.__setattr__(self, "delay_ms", int(self.delay_ms))


@dataclass(frozen=True)
class SetSample(Command):
    """Which training sample the snapshots' ``x``/``z``/``a``/``delta`` describe."""

    index: int

    def __post_init__(self):
        object.__setattr__(self, "index", int(self.index))


@dataclass(frozen=True)
class ReplaceExperiment(Command):
    """Train ``exp`` from now on (reset or new network); the worker pauses."""

    exp: Any


@dataclass(frozen=True)
class TraceStep(Command):
    """Pause, and trace one training step of a *copy* of the network on the training rows
    ``indices`` (``stepTraced`` carries the record); the network itself does not change.

    Or on inputs of the user's own: ``pixels`` (n, n_inputs) raw values in the form of the
    data's rows (e.g. a drawn digit's 0..255 pixels) with their class ``labels``.
    """

    indices: tuple = ()
    pixels: Any = None
    labels: tuple = ()

    def __post_init__(self):
        rows = tuple(int(i) for i in _as_tuple(self.indices))
        if self.pixels is not None:
            import numpy as np

            pixels = np.array(self.pixels, dtype=float, copy=True)
            pixels = pixels.reshape(1, -1) if pixels.ndim == 1 else pixels.reshape(len(pixels), -1)
            labels = tuple(int(v) for v in _as_tuple(self.labels))
            if len(labels) != len(pixels) or not len(pixels):
                raise ValueError("a traced step on own inputs needs one label per input")
            object.__setattr__(self, "pixels", pixels)
            object.__setattr__(self, "labels", labels)
        elif not rows:
            raise ValueError("a traced step needs at least one training row")
        object.__setattr__(self, "indices", rows)


@dataclass(frozen=True)
class ApplyTracedStep(Command):
    """Make the last traced step real: the network and optimizer take the copy's new state."""


@dataclass(frozen=True)
class FineTune(Command):
    """Train ``steps`` batches on the learner's own digits, then pause.

    ``images`` (n, 28, 28) or (n, n_inputs) raw pixels (0..255, scaled like the experiment's
    data), ``labels`` (n,) their classes. Each batch holds all of them (at most ``batch`` at
    random) plus ``mix`` random training samples of the experiment's data, so the network does
    not forget what it knew; the experiment's optimizer takes the steps at learning rate ``lr``
    (its own rate is restored afterwards).
    """

    images: Any
    labels: Any
    steps: int = 20
    lr: float = 0.01
    mix: int = 32
    batch: int = 64
    seed: int = 0

    def __post_init__(self):
        import numpy as np

        images = np.array(self.images, dtype=np.float64)
        labels = np.array(self.labels, dtype=np.int64).ravel()
        if len(images) != len(labels) or not len(labels):
            raise ValueError(f"FineTune needs one label per image and at least one image, got "
                             f"{len(images)} images and {len(labels)} labels")
        images = images.reshape(len(images), -1)
        images.setflags(write=False)
        labels.setflags(write=False)
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "labels", labels)
        for name in ("steps", "mix", "batch", "seed"):
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "lr", float(self.lr))


@dataclass(frozen=True)
class RecordTimeline(Command):
    """Record the current experiment's run into ``timeline`` (a :class:`nnviz.timeline.Timeline`):
    its state now (step 0 of a new run, the branch point of a branch), then after every batch."""

    timeline: Any


@dataclass(frozen=True)
class ShowRecorded(Command):
    """Send a snapshot of ``timeline``'s checkpoint at ``step`` (``recorded_step`` set), computed
    on a scratch copy of the network (the training one is never touched); ``confusion``: with
    the test set's confusion matrix at that moment."""

    timeline: Any
    step: int
    confusion: bool = False

    def __post_init__(self):
        object.__setattr__(self, "step", int(self.step))
        object.__setattr__(self, "confusion", bool(self.confusion))


@dataclass(frozen=True)
class StartRace(Command):
    """Train ``race`` (a :class:`nnviz.timeline.Race`) from now on: every batch steps all its
    variants in lockstep; the snapshots show variant ``selected``. A new experiment ends it."""

    race: Any
    selected: int = 0

    def __post_init__(self):
        object.__setattr__(self, "selected", int(self.selected))


@dataclass(frozen=True)
class SelectVariant(Command):
    """Show race variant ``index`` (its whole history comes with the next snapshot)."""

    index: int

    def __post_init__(self):
        object.__setattr__(self, "index", int(self.index))


def _as_tuple(index) -> tuple:
    if isinstance(index, (tuple, list)):
        return tuple(index)
    try:
        return tuple(index.ravel().tolist())  # a NumPy array or scalar
    except AttributeError:
        return (index,)
