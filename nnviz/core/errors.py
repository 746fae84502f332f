"""Errors a user can cause. Each carries a message meant to be shown as it is, no traceback.

A message the window shows is written as a template marked with :func:`N_` and its named
values, ``NNVizError(N_("layer {layer}: expected {n} inputs"), layer=2, n=4)``: ``str(error)``
is the English text, and the window translates the template before filling it in
(``nnviz.i18n.message``). The core stays Qt- and catalog-free: ``N_`` only marks the text for
the catalog's extractor.

A value quoted from a file or typed by a user is shown through :func:`shown` (its ``repr`` cut
to a readable length), and every text value longer than :data:`MAX_VALUE` is cut the same way
when an error is made, so a 5 MB string in a model file never ends up whole in a message.
"""

#: The longest value (in characters) a message quotes whole.
MAX_VALUE = 80


def N_(text: str) -> str:
    """Mark a message template for the translation catalog (the extractor knows this name)."""
    return text


def cut(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` itself, or its start and end around ``…`` with the length it had."""
    text = str(text)
    if len(text) <= limit:
        return text
    keep = max(8, limit - 24)
    return f"{text[:keep * 2 // 3]}…{text[-(keep // 3):]} ({len(text)} characters)"


def shown(value, limit: int = MAX_VALUE) -> str:
    """How a message quotes ``value``: its ``repr``, cut to ``limit`` characters (:func:`cut`)."""
    try:
        text = repr(value)
    except RecursionError:  # a deeply nested list from a file
        return f"<a deeply nested {type(value).__name__}>"
    if isinstance(value, str) and len(text) > limit:
        head = repr(value[:max(8, limit - 24)])
        return f"{head[:-1]}…{head[-1]} ({len(value)} characters)"
    return cut(text, limit)


class Text(str):
    """An English text that remembers its template and values, for a part of a message (a
    reason, a hint) that the window translates on its own: ``nnviz.i18n.message(text)``."""

    def __new__(cls, template: str, /, **values):
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template, self.values = template, values
        return self


def _capped(value):
    if isinstance(value, str) and not isinstance(value, Text) and len(value) > 4 * MAX_VALUE:
        return cut(value, 4 * MAX_VALUE)
    return value


class NNVizError(Exception):
    """Base of every error caused by input: the CLI prints it, the window shows it in a dialog."""

    exit_code = 2

    def __init__(self, message: str = "", /, **values):
        values = {k: _capped(v) for k, v in values.items()}
        self.template, self.values = message, values
        super().__init__(message.format(**values) if values else message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


#: "unknown {kind}" messages, one template per registry kind (any other kind: the last one).
_UNKNOWN = {
    "activation": N_("unknown activation {name}; valid: {valid}"),
    "loss": N_("unknown loss {name}; valid: {valid}"),
    "optimizer": N_("unknown optimizer {name}; valid: {valid}"),
    "initializer": N_("unknown initializer {name}; valid: {valid}"),
    "schedule": N_("unknown schedule {name}; valid: {valid}"),
    "preset": N_("unknown preset {name}; valid: {valid}"),
    None: N_("unknown {kind} {name}; valid: {valid}"),
}


class UnknownNameError(NNVizError, KeyError):
    """A name (activation, loss, optimizer, preset...) that is not registered."""

    def __init__(self, kind: str, name: str, valid):
        self.kind, self.name, self.valid = kind, name, sorted(valid)
        template = _UNKNOWN.get(kind, _UNKNOWN[None])
        super().__init__(template, kind=kind, name=shown(name), valid=", ".join(self.valid))

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class ShapeError(NNVizError, ValueError):
    """Arrays whose shapes do not fit (names the layer and the shapes)."""


class TrainingRefused(NNVizError):
    """Training asked of something that cannot learn (a step activation has no gradient)."""


class Diverged(NNVizError):
    """Training blew up: the loss became NaN or infinite, or stayed far above where it started.

    ``reason`` says what was seen, ``hint`` what to change (a smaller learning rate by
    default; the weight decay or L1 when they are what drives the weights apart). Both are
    :class:`Text`: English strings that ``nnviz.i18n.message`` translates on their own.
    """

    exit_code = 3
    DEFAULT_HINT = Text(N_("try a smaller learning rate"))

    def __init__(self, epoch: int, step: int, loss: float, reason: str | None = None,
                 hint: str | None = None):
        self.epoch, self.step, self.loss = epoch, step, loss
        self.reason = reason or Text(N_("loss {loss}"), loss=loss)
        self.hint = hint or self.DEFAULT_HINT
        super().__init__(N_("diverged at epoch {epoch}, step {step} ({reason}; {hint})"),
                         epoch=epoch, step=step, reason=self.reason, hint=self.hint)


class ModelFileError(NNVizError):
    """A model file that is missing, truncated, tampered with or of another format."""


class DataError(NNVizError):
    """A dataset file or folder that cannot be used as it is."""
