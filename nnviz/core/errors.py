"""Errors a user can cause. Each carries a message meant to be shown as it is, no traceback.

A message the window shows is written as a template marked with :func:`N_` and its named
values, ``NNVizError(N_("layer {layer}: expected {n} inputs"), layer=2, n=4)``: ``str(error)``
is the English text, and the window translates the template before filling it in
(``nnviz.i18n.message``). The core stays Qt- and catalog-free: ``N_`` only marks the text for
the catalog's extractor.
"""


def N_(text: str) -> str:
    """Mark a message template for the translation catalog (the extractor knows this name)."""
    return text


class NNVizError(Exception):
    """Base of every error caused by input: the CLI prints it, the window shows it in a dialog."""

    exit_code = 2

    def __init__(self, message: str = "", /, **values):
        self.template, self.values = message, values
        super().__init__(message.format(**values) if values else message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownNameError(NNVizError, KeyError):
    """A name (activation, loss, optimizer, preset...) that is not registered."""

    def __init__(self, kind: str, name: str, valid):
        self.kind, self.name, self.valid = kind, name, sorted(valid)
        super().__init__(f"unknown {kind} {name!r}; valid: {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class ShapeError(NNVizError, ValueError):
    """Arrays whose shapes do not fit (names the layer and the shapes)."""


class TrainingRefused(NNVizError):
    """Training asked of something that cannot learn (a step activation has no gradient)."""


class Diverged(NNVizError):
    """Training blew up: the loss became NaN or infinite, or stayed far above where it started.

    ``reason`` says what was seen, ``hint`` what to change (a smaller learning rate by
    default; the weight decay or L1 when they are what drives the weights apart).
    """

    exit_code = 3
    DEFAULT_HINT = "try a smaller learning rate"

    def __init__(self, epoch: int, step: int, loss: float, reason: str | None = None,
                 hint: str | None = None):
        self.epoch, self.step, self.loss = epoch, step, loss
        self.reason = reason or f"loss {loss}"
        self.hint = hint or self.DEFAULT_HINT
        super().__init__(f"diverged at epoch {epoch}, step {step} ({self.reason}; {self.hint})")


class ModelFileError(NNVizError):
    """A model file that is missing, truncated, tampered with or of another format."""


class DataError(NNVizError):
    """A dataset file or folder that cannot be used as it is."""
