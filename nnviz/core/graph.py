"""Scalar computational graphs: multiply and add nodes, forward left to right, backward right to left.

The seed's apple example: 2 apples at 100 each with 10% tax, ``100 × 2 × 1.1 = 220``. Going
back from ``d price = 1``, a multiply node hands each input the upstream gradient times the
*other* input, an add node hands it back unchanged: ``d price/d apple = 2.2``,
``d price/d count = 110``, ``d price/d tax = 200``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class MulNode:
    """``out = x·y``; backward: ``dx = dout·y``, ``dy = dout·x``."""

    op = "×"

    def forward(self, x: float, y: float) -> float:
        self.x, self.y = x, y
        return x * y

    def backward(self, dout: float) -> tuple[float, float]:
        return dout * self.y, dout * self.x


class AddNode:
    """``out = x + y``; backward passes ``dout`` to both inputs unchanged."""

    op = "+"

    def forward(self, x: float, y: float) -> float:
        return x + y

    def backward(self, dout: float) -> tuple[float, float]:
        return dout, dout


@dataclass
class Graph:
    """A chain of binary nodes with named inputs, traced node by node.

    ``steps`` lists ``(output_name, node, left_name, right_name)`` in forward order.
    """

    inputs: dict[str, float]
    steps: list[tuple[str, object, str, str]]
    values: dict[str, float] = field(default_factory=dict)
    grads: dict[str, float] = field(default_factory=dict)
    trace: list[dict] = field(default_factory=list)

    def forward(self) -> float:
        self.values = dict(self.inputs)
        for out, node, a, b in self.steps:
            self.values[out] = node.forward(self.values[a], self.values[b])
            self.trace.append({"phase": "forward", "node": out, "op": node.op, "inputs": [a, b],
                               "value": self.values[out]})
        return self.values[self.steps[-1][0]]

    def backward(self, dout: float = 1.0) -> dict[str, float]:
        last = self.steps[-1][0]
        self.grads = {last: dout}
        for out, node, a, b in reversed(self.steps):
            da, db = node.backward(self.grads[out])
            self.grads[a] = self.grads.get(a, 0.0) + da
            self.grads[b] = self.grads.get(b, 0.0) + db
            self.trace.append({"phase": "backward", "node": out, "op": node.op, "upstream": self.grads[out],
                               "grads": {a: da, b: db}})
        return self.grads

    def nodes(self) -> list[dict]:
        """Every named value with its forward value and ∂output/∂value."""
        return [{"name": k, "value": v, "grad": self.grads.get(k)} for k, v in self.values.items()]


def apple_graph(apple: float = 100.0, count: float = 2.0, tax: float = 1.1) -> Graph:
    """The seed's apple purchase: ``price = apple × count × tax``."""
    return Graph({"apple": apple, "count": count, "tax": tax},
                 [("apple_price", MulNode(), "apple", "count"), ("price", MulNode(), "apple_price", "tax")])
