"""The diagram during step-through: what one phase of a traced training step lights up.

Built from :func:`nnviz.lessons.display_state` with the scene's stock items only (the neuron
dots take brushes from the prebuilt colour steps, the edges go through the usual edge plan):

* forward phases: the neurons reached so far show their new a, the layers not reached yet stay
  neutral, and only the edges that carried values so far are drawn;
* loss and backward phases: neurons coloured by δ (diverging scale), edges by ∂L/∂w;
* the update phase: edges by each weight's change w′ − w (the tooltip says old → new).
"""
from __future__ import annotations

import numpy as np

from nnviz.app import theme
from nnviz.app.diagram.scene import _BRUSHES
from nnviz.i18n import _, fill
from nnviz.i18n.names import layer_title

NEUTRAL = theme.N_STEPS // 2
_NOTHING = (np.empty(0), np.empty(0))


def _diverging_ids(v: np.ndarray) -> np.ndarray:
    v = np.ravel(np.asarray(v, dtype=float))
    m = float(np.max(np.abs(v))) if v.size else 0.0
    return theme.DIVERGING.index(v / m if m > 0 else v)


def step_neuron_ids(layout, acts, state: dict, sample: int = 0) -> np.ndarray:
    """Brush step of every neuron for ``state`` (see the module docstring)."""
    ids = np.full(len(layout.spot_xy), NEUTRAL, dtype=np.intp)
    backward = state["phase"] in ("loss", "backward", "update")
    for layer in layout.spot_layers:
        sl = layout.spot_slices[layer]
        if layer == -1:
            v = np.asarray(state["x"])[sample]
            ids[sl] = theme.DIVERGING.index(np.ravel(v))
            continue
        if backward and state["delta"][layer] is not None:
            ids[sl] = _diverging_ids(np.asarray(state["delta"][layer])[sample])
        elif not backward and state["a"][layer] is not None:
            scale = theme.scale_for(acts[layer])
            v = np.ravel(np.asarray(state["a"][layer])[sample])
            ids[sl] = scale.index(v) + (theme.N_STEPS if scale is theme.SEQUENTIAL else 0)
    return ids


def step_edges(state: dict, old_weights) -> list:
    """The (W, b) per layer the edges show for ``state``; empty (no edge drawn) where nothing
    flows yet."""
    phase, L = state["phase"], len(state["W"])
    out = []
    for l in range(L):
        W, b = np.asarray(state["W"][l]), np.ravel(state["b"][l])
        if phase == "forward":
            out.append((W, b) if state["a"][l] is not None else _NOTHING)
        elif phase == "update":
            W0, b0 = old_weights[l]
            out.append((W - np.asarray(W0), b - np.ravel(b0)))
        elif state["dW"][l] is not None:
            delta = np.asarray(state["delta"][l])
            out.append((np.asarray(state["dW"][l]), np.ravel(delta.sum(axis=0) if delta.ndim == 2 else delta)))
        else:
            out.append(_NOTHING)
    return out


def diagram_caption(phase: str | None) -> str:
    """What the diagram's colours mean in ``phase`` (the legend describes the live display)."""
    if phase == "forward":
        return _("Diagram: the neurons reached so far show their new a; the edges drawn carried them.")
    if phase == "loss":
        return _("Diagram: the output neurons coloured by δ (orange negative, blue positive).")
    if phase == "backward":
        return _("Diagram: neurons coloured by δ, edges by ∂L/∂w (orange negative, blue positive).")
    if phase == "update":
        return _("Diagram: edges show each weight's change w′ − w; hover one for old → new.")
    return ""


def hidden_parts(hidden, key) -> set:
    """Which of ``key``'s values a Your-turn question (``hidden``: layer, neuron, quantity,
    index) asks for: a subset of {"a", "delta", "dW", "new"} (shown as "?")."""
    if hidden is None or key is None or hidden.layer is None:
        return set()
    q, kind = hidden.quantity, key[0]
    if kind in ("n", "heat") and key[1] == hidden.layer and key[2] == hidden.neuron:
        return {"a"} if q in ("z", "a") else {"delta"} if q in ("delta", "dL/da") else set()
    index = tuple(hidden.index) if hidden.index is not None else None
    if kind == "w" and key[1] == hidden.layer and index == (key[2], key[3]):
        return {"dW"} if q == "dL/dW" else {"new"} if q in ("W_new", "W_change") else set()
    if kind == "w" and key[1] == hidden.layer and key[3] == hidden.neuron and q in ("delta", "dL/da"):
        return {"dW"}           # δ·x: the neuron's incoming gradients would tell its δ
    if kind == "b" and key[1] == hidden.layer and key[2] == hidden.neuron:
        return {"new"} if q in ("b_new", "b_change", "dL/db") else set()
    return set()


def step_tooltip(key, state: dict, old_weights, sample: int = 0, hidden=None) -> str:
    """The hover text of hit ``key`` in step mode (the full values); layers are named as
    everywhere (:func:`~nnviz.i18n.names.layer_title`), neurons and indices 0-based as in the
    step panels. A value a Your-turn question asks for (``hidden``) reads "?"."""
    if key is None or state is None:
        return ""
    if hidden_parts(hidden, key):
        return _hidden_tooltip(key, state, hidden_parts(hidden, key), old_weights, sample)
    kind, n_layers = key[0], len(state["W"])
    if kind in ("n", "heat"):
        layer, j = key[1], key[2]
        if layer == -1:
            return _("x[{j}] = {value!r}").format(j=j, value=float(np.asarray(state["x"])[sample, j]))
        parts = []
        if state["a"][layer] is not None:
            parts.append(_("a = {value!r}").format(value=float(np.asarray(state["a"][layer])[sample, j])))
        if state["delta"][layer] is not None:
            parts.append(_("δ = {value!r}").format(value=float(np.asarray(state["delta"][layer])[sample, j])))
        head = _("{layer}, neuron {j} (click: explain it)").format(layer=layer_title(layer, n_layers), j=j)
        return "\n".join([head, *parts])
    if kind == "w":
        layer, i, j = key[1], key[2], key[3]
        old = float(np.asarray(old_weights[layer][0])[i, j])
        lines = [fill(_("W[{i},{j}] of {layer}"), {"i": i, "j": j, "layer": layer_title(layer, n_layers)})]
        if state["phase"] == "update":
            lines.append(_("{old!r} → {new!r}").format(old=old, new=float(np.asarray(state["W"][layer])[i, j])))
        else:
            lines.append(_("w = {value!r}").format(value=old))
        if state["dW"][layer] is not None:
            lines.append(_("∂L/∂w = {value!r}").format(value=float(np.asarray(state["dW"][layer])[i, j])))
        return "\n".join(lines)
    if kind == "b":
        layer, j = key[1], key[2]
        old = float(np.ravel(old_weights[layer][1])[j])
        name = layer_title(layer, n_layers)
        if state["phase"] == "update":
            return fill(_("b[{j}] of {layer}: {old!r} → {new!r}"),
                        {"j": j, "layer": name, "old": old, "new": float(np.ravel(state["b"][layer])[j])})
        return fill(_("b[{j}] of {layer} = {value!r}"), {"j": j, "layer": name, "value": old})
    return ""


def _hidden_tooltip(key, state, parts, old_weights, sample) -> str:
    """``step_tooltip`` with the asked values as "?"."""
    text = step_tooltip(key, state, old_weights, sample)
    lines = text.split("\n")
    marks = {"a": "a = ", "delta": "δ = ", "dW": "∂L/∂w = "}
    out = []
    for line in lines:
        if any(line.startswith(marks[p]) for p in parts if p in marks):
            line = line.split("= ")[0] + "= ?"
        elif "new" in parts and " → " in line:
            line = line.split(" → ")[0] + " → ?"
        out.append(line)
    return "\n".join(out)


def _grey_asked(edge, q, phase):
    """Layer ``q.layer``'s edge values (W, b) with those that would tell ``q``'s answer at 0 (grey):
    the asked weight or bias, and while δ or ∂L/∂a is asked in a backward phase, the neuron's
    incoming ∂L/∂w and its bias (both are δ times something shown)."""
    W, b = np.array(edge[0], dtype=float), np.array(edge[1], dtype=float)
    quantity, j = q.quantity, q.neuron
    if quantity in ("dL/dW", "W_new", "W_change") and q.index is not None:
        W[tuple(q.index)] = 0.0
    elif quantity in ("dL/db", "b_new", "b_change") and j is not None and j < b.size:
        b[j] = 0.0
    elif quantity in ("delta", "dL/da") and phase in ("loss", "backward") and j is not None and j < b.size:
        W[:, j] = 0.0
        b[j] = 0.0
    return W, b


class StepDisplay:
    """Mixin of :class:`~nnviz.app.diagram.view.NetworkDiagram`: the step-through display."""

    _step_state: dict | None = None
    _step_old = None
    _step_hidden = None   # the question the learner is answering (Your turn): its value not shown

    def set_step_hidden(self, question) -> None:
        """Hide what ``question`` asks for (its neuron's colour and hover value, its edge); None
        shows everything again."""
        self._step_hidden = question
        if self._step_state is not None:
            self.show_step(self._step_state)

    def show_step(self, state: dict | None) -> None:
        """Draw phase ``state`` (from :meth:`StepSession.display`); None returns to the live display."""
        if state is None:
            self.end_step()
            return
        if self.network_layout is None:
            return
        first = self._step_state is None
        self._step_state = state
        if first:
            self._draw_heatmaps()   # hidden in step mode: the dots carry the phase's numbers
        self._step_old = [(np.asarray(W), np.ravel(b)) for W, b in
                          zip(state["W_before"], state["b_before"])] if "W_before" in state else \
            [(np.asarray(W), np.ravel(b)) for W, b in zip(state["W"], state["b"])]
        self.legend.set_phase(state.get("phase"))
        ids = step_neuron_ids(self.network_layout, self.texts.acts, state)
        edges = step_edges(state, self._step_old)
        q = self._step_hidden
        if q is not None and q.layer is not None and q.layer in self.network_layout.spot_slices:
            if q.quantity in ("z", "a", "delta", "dL/da") and q.neuron is not None:
                ids[self.network_layout.spot_slices[q.layer]][q.neuron] = NEUTRAL   # its colour would tell
            if len(edges[q.layer][0]):
                edges[q.layer] = _grey_asked(edges[q.layer], q, state.get("phase"))
        self.scene.neurons.set_brush_ids(ids, _BRUSHES)
        plan = self.scene.draw_edges(edges, self._max_edges)
        if plan is not None:
            wmax = float(f"{plan.wmax:.3g}")
            if self.legend.wmax != wmax:   # at once (the live legend waits between changes)
                self.legend.set_wmax(None)
                self.legend.set_wmax(wmax)

    def end_step(self) -> None:
        """Leave the step display: the last live snapshot again."""
        was = self._step_state is not None
        self._step_state = self._step_old = None
        self.legend.set_phase(None)
        if was and self._snap is not None:
            self.legend.set_wmax(None)   # so that the live number comes back at once
            self.update_snapshot(self._snap)

    def in_step(self) -> bool:
        return self._step_state is not None

    def step_state(self) -> dict | None:
        return self._step_state

    def _step_tooltip(self, key) -> str:
        return step_tooltip(key, self._step_state, self._step_old, hidden=self._step_hidden)
