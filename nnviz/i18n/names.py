"""Display names and tooltips of everything the interface names by an id.

The ids (``sse_half``, ``xavier_normal``, ``mnist_seed`` …) stay what settings and model
files save; the window shows :func:`title` and :func:`tip` in the current language. One table,
``NAMES``, keyed by (kind, id); kinds: activation, loss, init, optimizer, schedule, dataset,
preset, lesson. An id missing from the table shows as itself.
"""
from __future__ import annotations

from nnviz.i18n import N_, _

NAMES: dict[tuple[str, str], tuple[str, str]] = {
    # (kind, id): (display name, tooltip)
}


def title(kind: str, ident: str) -> str:
    """The display name of ``ident`` in the current language (the id when it has none)."""
    entry = NAMES.get((kind, str(ident)))
    return _(entry[0]) if entry else str(ident)


def tip(kind: str, ident: str) -> str:
    """The tooltip of ``ident`` in the current language (empty when it has none)."""
    entry = NAMES.get((kind, str(ident)))
    return _(entry[1]) if entry and entry[1] else ""


def layer_title(layer: int, n_layers: int) -> str:
    """One name per layer everywhere (diagram, step panels, math panel, ``nnviz step``):
    ``layer`` is the 0-based dense layer (-1: the input), ``n_layers`` the number of dense
    layers. ``input``, ``hidden 1`` … ``hidden L-1``, ``output``."""
    if layer < 0:
        return _("input")
    if layer >= n_layers - 1:
        return _("output")
    return _("hidden {k}").format(k=layer + 1)
