"""The same optimizers racing on a real network: XOR on a 2-4-1 sigmoid net (the ``xor``
preset with binary cross-entropy), trained in lockstep by :class:`nnviz.timeline.Race` from the
identical initial weights, and every optimizer's recorded path drawn on the real loss surface:
the plane of the two principal directions of all the paths pooled, through the shared start
(:func:`nnviz.landscape.paths_landscape`).
"""
from __future__ import annotations

import numpy as np

from nnviz.i18n import _

#: The race: one learning rate for all four, so only the update rule differs.
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
PRESET = "xor"
EPOCHS, LR, SEED, GRID = 300, 0.1, 2, 61


def race_settings(epochs: int = EPOCHS, lr: float = LR, seed: int = SEED):
    """The shared settings: the ``xor`` preset's 2-4-1 sigmoid net, full batch, with mean
    binary cross-entropy, ``lr`` and ``epochs``."""
    from nnviz.presets import get_preset

    return get_preset(PRESET).settings.replace(loss="bce", reduction="mean", lr=float(lr),
                                               epochs=int(epochs), seed=int(seed))


def run_race(settings=None, optimizers=OPTIMIZERS):
    """The finished :class:`~nnviz.timeline.Race` (every variant's timeline recorded)."""
    from nnviz.timeline.race import Race

    race = Race(settings or race_settings(), {"optimizer": list(optimizers)}, preset=PRESET)
    while not race.finished:
        race.step()
    return race


def path_length(points: np.ndarray) -> float:
    """The length of a path of flat parameters (the sum of its steps' Euclidean lengths)."""
    pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
    return float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum()) if len(pts) > 1 else 0.0


def real_race(epochs: int = EPOCHS, lr: float = LR, seed: int = SEED, grid: int = GRID) -> dict:
    """The race's numbers and its picture: per optimizer the final loss, the path length in
    weight space, the checkpoints' steps and their (α, β) on the pooled PCA plane; the surface."""
    from nnviz.landscape import paths_landscape

    settings = race_settings(epochs, lr, seed)
    race = run_race(settings)
    exp = race.experiments[0]
    data = exp.data
    net = exp.net
    x = data.inputs(data.x_train, dtype=net.dtype)
    t = data.targets(data.y_train, dtype=net.dtype, off=settings.target_off, on=settings.target_on,
                     n_outputs=net.n_outputs)
    paths, steps, final, length = {}, {}, {}, {}
    for name, tl, opt in zip(race.names, race.timelines, OPTIMIZERS):
        cps = tl.checkpoints()
        paths[opt] = np.array([c.params for c in cps], dtype=np.float64)
        steps[opt] = [int(c.step) for c in cps]
        final[opt] = float(tl.epochs[-1]["train_loss"]) if tl.epochs else float("nan")
        length[opt] = path_length(paths[opt])
    start = paths[OPTIMIZERS[0]][0]
    surface, coords = paths_landscape(net, x, t, paths, axes="pca", center=start, grid=grid)
    return {"optimizers": list(OPTIMIZERS), "runs": list(race.names), "epochs": int(epochs), "lr": float(lr),
            "seed": int(seed), "sizes": [net.n_inputs, *[l.n_out for l in net.layers]],
            "n_params": int(net.n_params), "final_loss": final, "path_length": length, "steps": steps,
            "coords": coords, "surface": surface, "start_loss": float(surface.center_loss),
            "explained_variance": surface.directions.info["explained_variance"], "paths": paths}


def real_lines(real: dict) -> list[str]:
    """What ``nnviz lesson optimizers`` prints for the real race (the window shows the same)."""
    from nnviz.i18n.names import title

    out = [_("XOR on a {sizes} sigmoid network, {epochs} epochs at lr {lr}, from one start (loss {loss}):").format(
        sizes="-".join(map(str, real["sizes"])), epochs=real["epochs"], lr=f"{real['lr']:g}",
        loss=f"{real['start_loss']:.4f}")]
    for opt in real["optimizers"]:
        out.append(_("{optimizer} final loss {loss}, path length {length}").format(
            optimizer=_pad(title("optimizer", opt), 9), loss=f"{real['final_loss'][opt]:.4f}",
            length=f"{real['path_length'][opt]:.2f}"))
    v = real["explained_variance"]
    out.append(_("the plane of the pooled paths' two principal directions holds {share} of their spread").format(
        share=f"{100 * (v[0] + v[1]):.0f}%"))
    return out


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    import unicodedata

    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - cols, 0)
