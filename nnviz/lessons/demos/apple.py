"""The seed's apple computational graph, stepped node by node: forward 220, backward 2.2, 110, 200."""
from __future__ import annotations

from dataclasses import dataclass, field

from nnviz.core.graph import apple_graph
from nnviz.i18n import N_, _
from nnviz.lessons.fmt import num

#: The nodes' names as a view labels them (translate with ``_``).
NAMES = {"apple": N_("apple"), "count": N_("count"), "tax": N_("tax"), "apple_price": N_("apple price"),
         "price": N_("price")}
PHASES = {"forward": N_("forward"), "backward": N_("backward")}


@dataclass
class GraphStep:
    """One node of the apple graph, forward or backward, with what is known after it."""

    index: int
    phase: str                 # "forward" or "backward"
    node: str                  # the output name of the node being evaluated
    formula: str
    filled: str
    values: dict[str, float]   # every forward value known after this step
    grads: dict[str, float]    # every ∂price/∂· known after this step
    edges: list[tuple[str, str]] = field(default_factory=list)   # (from, to) lit in this step


def apple_steps(apple: float = 100.0, count: float = 2.0, tax: float = 1.1) -> list[GraphStep]:
    """Step 0 shows the inputs; then each node forward, then ``d price = 1`` and each node backward."""
    g = apple_graph(apple, count, tax)
    g.forward()
    g.backward(1.0)
    vals = dict(g.inputs)
    def n(key):  # a node's name as the formulas write it, in the current language
        return _(NAMES[key]) if key in NAMES else key

    steps = [GraphStep(0, "forward", "inputs", _("inputs"),
                       f"{n('apple')} = {num(apple)}, {n('count')} = {num(count)}, {n('tax')} = {num(tax)}",
                       dict(vals), {})]
    for out, node, a, b in g.steps:
        vals[out] = g.values[out]
        steps.append(GraphStep(len(steps), "forward", out, f"{n(out)} = {n(a)} {node.op} {n(b)}",
                               f"{n(out)} = {num(g.values[a])} {node.op} {num(g.values[b])} = {num(g.values[out])}",
                               dict(vals), {}, [(a, out), (b, out)]))
    last = g.steps[-1][0]
    grads = {last: 1.0}
    top = n(last)
    steps.append(GraphStep(len(steps), "backward", last, f"∂{top}/∂{top} = 1", f"∂{top}/∂{top} = 1",
                           dict(vals), dict(grads)))
    for out, node, a, b in reversed(g.steps):
        up = grads[out]
        grads[a], grads[b] = g.grads[a], g.grads[b]
        if node.op == "×":
            formula = _("× node: ∂/∂{a} = upstream·{b},  ∂/∂{b} = upstream·{a}").format(a=n(a), b=n(b))
            filled = (f"∂{top}/∂{n(a)} = {num(up)}·{num(g.values[b])} = {num(grads[a])},  "
                      f"∂{top}/∂{n(b)} = {num(up)}·{num(g.values[a])} = {num(grads[b])}")
        else:
            formula = _("+ node: passes the upstream gradient to both inputs unchanged")
            filled = f"∂{top}/∂{n(a)} = ∂{top}/∂{n(b)} = {num(up)}"
        steps.append(GraphStep(len(steps), "backward", out, formula, filled, dict(vals), dict(grads),
                               [(out, a), (out, b)]))
    return steps


def apple_demo(apple: float = 100.0, count: float = 2.0, tax: float = 1.1) -> dict:
    steps = apple_steps(apple, count, tax)
    end = steps[-1]
    lines = [f"[{s.index}] {_(PHASES[s.phase]):<8} {s.filled}" for s in steps]
    return {"steps": steps, "price": end.values["price"], "grads": end.grads, "lines": lines,
            "fill": {"price": num(end.values["price"]), "d_apple": num(end.grads["apple"]),
                     "d_count": num(end.grads["count"]), "d_tax": num(end.grads["tax"])}}
