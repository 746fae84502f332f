"""Lessons on the seeds' small networks: a traced step, a training curve, the parameter table, MNIST."""
from __future__ import annotations

import numpy as np

from nnviz.i18n import _
from nnviz.lessons.fmt import num


def step_demo(preset: str, select=None, sample=None) -> dict:
    """One traced step of ``preset`` as phases; ``output`` is the network's (first) output."""
    from nnviz.lessons.phases import build_phases
    from nnviz.lessons.stepping import step_preset

    _exp, rec = step_preset(preset, sample=sample)
    phases = build_phases(rec, select=tuple(select) if select else None)
    out = float(rec.trace.output(0).ravel()[0])
    lines = [_("output = {value}").format(value=repr(out))]
    for p in phases:
        lines += [f"[{p.index}] {p.title}", f"    {p.formula}"] + [f"    {ln}" for ln in p.filled.splitlines()]
    return {"output": out, "record": rec, "phases": [p.as_dict() for p in phases], "lines": lines,
            "fill": {"output": repr(out), "loss": num(rec.loss_value) if rec.loss_value is not None else "-"}}


def train_curve(preset: str, epochs: int | None = None, every: int = 100) -> dict:
    """Train ``preset`` from its start; the loss every ``every`` epochs and the final outputs."""
    from nnviz.experiment import build
    from nnviz.presets import get_preset, preset_data

    p = get_preset(preset)
    s = p.settings if epochs is None else p.settings.replace(epochs=int(epochs))
    exp = build(s, data=preset_data(p, s))
    tr = exp.trainer
    losses, marks = [], []
    for e in range(s.epochs):
        res = tr.run_epoch()
        if e % every == 0 or e == s.epochs - 1:
            losses.append(res.train_loss)
            marks.append(e + 1)
    x = exp.data.inputs(exp.data.x_train, dtype=exp.net.dtype)
    return {"epochs": np.array(marks), "loss": np.array(losses), "outputs": exp.net.forward(x).ravel(),
            "inputs": exp.data.x_train}


def train_demo(preset: str, epochs: int | None = None, every: int = 100) -> dict:
    r = train_curve(preset, epochs, every)
    lines = [_("epoch {epoch}  loss {loss}").format(epoch=f"{e:>6}", loss=f"{l:.6f}")
             for e, l in zip(r["epochs"], r["loss"])]
    lines.append(_("outputs: {values}").format(values=" ".join(f"{v:.4f}" for v in r["outputs"])))
    r.update(lines=lines, fill={"first": num(r["loss"][0]), "last": num(r["loss"][-1]),
                                "outputs": " ".join(f"{v:.2f}" for v in r["outputs"])})
    return r


def param_table(preset: str) -> dict:
    """Every named parameter with its shape, the count per layer and in total."""
    from nnviz.experiment import build
    from nnviz.presets import get_preset, preset_data

    p = get_preset(preset)
    net = build(p.settings, data=preset_data(p)).net
    rows = [{"name": n, "shape": list(a.shape), "count": int(a.size), "values": a.copy()}
            for n, a in net.named_parameters()]
    counts = net.param_counts()
    lines = [_("{name} shape {shape} {count} parameters").format(
        name=f"{r['name']:<10}", shape=f"{str(tuple(r['shape'])):<8}", count=f"{r['count']:>3}") for r in rows]
    lines.append(_("per layer: {counts} = {total}").format(counts=" + ".join(map(str, counts)), total=sum(counts)))
    return {"rows": rows, "counts": counts, "total": int(sum(counts)), "lines": lines,
            "sizes": net.sizes, "activations": [l.activation.name for l in net.dense_layers()],
            "fill": {"counts": " / ".join(map(str, counts)), "total": str(sum(counts))}}


def seed_scaling(pixels) -> np.ndarray:
    """The seed's MNIST input scaling: x / 255 × 0.99 + 0.01 (keeps inputs off zero)."""
    return np.asarray(pixels, dtype=np.float64) / 255.0 * 0.99 + 0.01


def mnist_demo(preset: str = "mnist-seed", sample: int = 0) -> dict:
    """The seed's 784-100-10 network: its scaling and targets, and one traced step if MNIST is here."""
    from nnviz.experiment import build
    from nnviz.presets import get_preset, preset_data

    p = get_preset(preset)
    s = p.settings
    pix = np.array([0, 128, 255])
    targets = np.full(10, s.target_off)
    targets[3] = s.target_on
    res = {"pixels": pix, "scaled": seed_scaling(pix), "targets_for_3": targets, "sizes": [784, 100, 10],
           "params": 784 * 100 + 100 + 100 * 10 + 10}
    lines = [_("pixels {pixels} → inputs {inputs}").format(
                 pixels=pix.tolist(), inputs=[round(float(v), 4) for v in res["scaled"]]),
             _("targets for the digit 3: {targets}").format(targets=targets.tolist()),
             _("784-100-10 sigmoid: {n} parameters").format(n=res["params"])]
    from nnviz.core.errors import NNVizError
    from nnviz.i18n import message

    try:
        data = preset_data(p, s)
    except NNVizError as exc:  # the data set is not on this machine: the rest of the lesson still stands
        lines.append("(" + _("MNIST not available here: {reason}").format(reason=message(exc).splitlines()[0]) + ")")
        res.update(lines=lines, available=False, fill={"params": str(res["params"])})
        return res
    from nnviz.lessons.phases import build_phases
    from nnviz.lessons.record import record_step
    from nnviz.lessons.stepping import sample_batch

    exp = build(s, data=data)
    x, t = sample_batch(exp, sample)
    rec = record_step(exp.net, x, t, exp.optimizer)
    phases = build_phases(rec)
    for ph in phases:
        lines += [f"[{ph.index}] {ph.title}"] + [f"    {ln}" for ln in ph.filled.splitlines()] + \
                 [f"    ({n})" for n in ph.notes]
    res.update(lines=lines, available=True, record=rec, phases=[ph.as_dict() for ph in phases],
               label=int(data.y_train[sample]), fill={"params": str(res["params"])})
    return res
