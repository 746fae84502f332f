"""``nnviz trace`` output: a readable table or one JSON document, written step by step.

The steps are made as they are written (:func:`trace_steps` yields one :class:`Trace` per
step), so ``--steps 100000`` needs the memory of one step, not of all of them.
"""
from __future__ import annotations

import sys

from nnviz.cliargs import dumps


def _fmt(v) -> str:
    """Numbers as Python prints them (exact, e.g. 0.7216325609518421), arrays as nested lists."""
    import numpy as np

    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return repr(v.item())
        text = np.array2string(v, precision=6, separator=", ", max_line_width=10**6, threshold=60)
        return " ".join(text.split())
    if isinstance(v, float):
        return repr(v)
    return str(v)



def write_json(doc: dict, first, rest) -> None:
    """``doc`` plus ``"steps"``: every record of ``first`` and the traces after it, streamed."""
    sys.stdout.write(dumps(doc, ensure_ascii=False)[:-1] + ', "steps": [')
    sep = ""
    for tr in _chain(first, rest):
        for r in tr.records:
            sys.stdout.write(sep + dumps(r, ensure_ascii=False))
            sep = ", "
    sys.stdout.write("]}\n")


def print_text(doc: dict, first, rest) -> None:
    _print_head(doc)
    for tr in _chain(first, rest):
        _print_records(doc, tr.records)


def trace_steps(net, x, t, optimizer, n: int):
    """One :class:`Trace` per training step, made as it is asked for."""
    from nnviz.core.trace import Trace

    for step in range(n):
        tr = Trace()
        net.train_step(x, t, optimizer, trace=tr, step=step)
        yield tr


def _chain(first, rest):
    yield first
    yield from rest


def _print_head(doc) -> None:
    print(f"preset {doc['preset']}   weights: z = x·W + b (W is n_in × n_out)")
    from nnviz.i18n.names import layer_title

    n = len(doc["layers"])
    for i, l in enumerate(doc["layers"]):  # the 0-based index of the JSON, and the diagram's name
        print(f"layer {i} = {layer_title(i, n)} ({l['activation']}):\n  W = {_fmt(l['W'])}\n  b = {_fmt(l['b'])}")
    print(f"input  = {_fmt(doc['input'])}")
    if not doc["trainable"]:
        print("forward only: this network uses the step activation, which cannot be trained")
    print(f"output = {_fmt(doc['output'])}")
    if doc["output"].size <= 8:
        print("         " + " ".join(repr(float(v)) for v in doc["output"].ravel()))


def _print_records(doc, records) -> None:
    for r in records:
        head = f"step {r['step']}  {r['phase']:<8} layer {r['layer']}"
        if r["phase"] == "forward":
            print(f"{head}: z = {_fmt(r['z'])}\n{'':>28}a = {_fmt(r['a'])}")
        elif r["phase"] == "loss":
            print(f"{head}: L ({doc['loss_name']}, {doc['loss_reduction']}) = {r['value']!r};  "
                  f"∂L/∂{r['grad_of']} = {_fmt(r['grad'])}")
        elif r["phase"] == "backward":
            print(f"{head}: δ = {_fmt(r.get('delta'))}\n{'':>28}dW = {_fmt(r['dW'])}\n{'':>28}db = {_fmt(r['db'])}")
        elif r["phase"] == "update":
            print(f"{head}: W = {_fmt(r['W'])}\n{'':>28}b = {_fmt(r['b'])}  (lr {r['lr']:g})")
