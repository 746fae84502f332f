"""One call from a network, its data and a choice of axes to a :class:`Surface` with paths."""
from __future__ import annotations

import time

import numpy as np

from nnviz.core.errors import N_, NNVizError, shown
from nnviz.landscape.directions import Directions, axis_directions, pca_directions, random_directions
from nnviz.landscape.path import path_extent, project
from nnviz.landscape.surface import PlaneLoss, Surface, grid_axis

#: With a path and no span given, the span is this much larger than the path's reach.
PATH_MARGIN = 1.25


def make_directions(net, axes, seed: int = 0, paths=(), bias: str = "zero",
                    center: np.ndarray | None = None) -> Directions:
    """``axes``: ``"random"``, ``"pca"`` (needs ``paths``: lists/arrays of flat checkpoints) or
    two named parameters (``"w:0:0:0,w:0:1:0"`` or a pair)."""
    center = net.flat_params if center is None else center
    if isinstance(axes, str) and axes.strip() == "random":
        return random_directions(net, seed=seed, bias=bias, params=center)
    if isinstance(axes, str) and axes.strip() == "pca":
        rows = [np.atleast_2d(np.asarray(p)) for p in paths if len(p)]
        if not rows:
            raise NNVizError(N_("--axes pca needs a recorded path (train with --epochs N and --record FILE, or give a recorded run file)"))
        return pca_directions(center, rows)
    if isinstance(axes, str) and "," not in axes:
        raise NNVizError(N_("--axes must be two parameters (w:LAYER:ROW:COL or b:LAYER:INDEX, comma-separated), random or pca; got {text}"), text=shown(axes))
    return axis_directions(net, axes)


def default_span(directions: Directions, coords=()) -> float:
    """The span when none is given: the path's reach with a margin, at least 1 (0.05 for PCA,
    whose unit directions are in weight units), and 1 without a path."""
    reach = path_extent(coords)
    if reach > 0:
        floor = 1e-3 if directions.kind == "pca" else 1.0
        return float(max(PATH_MARGIN * reach, floor))
    return 1.0


def compute_surface(net, x, t, directions: Directions, span: float = 1.0, grid: int = 31,
                    center: np.ndarray | None = None, dtype=None, progress=None, cancel=None,
                    evaluator: PlaneLoss | None = None) -> Surface:
    """``L(θ + α·d₁ + β·d₂)`` on a ``grid`` × ``grid`` lattice over ``[-span, span]²``."""
    alphas = grid_axis(span, grid)
    start = time.perf_counter()
    ev = evaluator or PlaneLoss(net, x, t, dtype=dtype)
    theta = np.array(net.flat_params if center is None else center, dtype=np.float64)
    loss = ev.grid(theta, directions.d1, directions.d2, alphas, alphas, progress, cancel)
    center_loss = ev.loss_at(theta)
    return Surface(alphas, alphas.copy(), loss, center_loss, directions, float(span), len(ev.x),
                   time.perf_counter() - start, ev.dtype.name)


def project_paths(paths, center, directions: Directions) -> list[dict]:
    """Every path (a list of (P,) arrays or an (n, P) array) projected on the plane."""
    out = []
    for p in paths:
        coords, off = project(p, center, directions.d1, directions.d2)
        out.append({"coords": coords, "off": off})
    return out


def paths_landscape(net, x, t, paths: dict, axes="pca", center: np.ndarray | None = None,
                    span: float | None = None, grid: int = 31, seed: int = 0, progress=None,
                    cancel=None) -> tuple[Surface, dict]:
    """The surface around ``center`` (default: ``net``'s weights) with several named paths
    (``{name: (n, P) checkpoints}``, e.g. the variants of a race) projected on it.

    With ``axes="pca"`` the plane is the principal plane of all the paths pooled, so every
    optimizer of a race is seen on one real surface; ``span`` None fits them all.
    Returns ``(surface, {name: coords (n, 2)})``.
    """
    center = np.array(net.flat_params if center is None else center, dtype=np.float64)
    arrays = {k: np.atleast_2d(np.asarray(v, dtype=np.float64)) for k, v in paths.items()}
    directions = make_directions(net, axes, seed=seed, paths=list(arrays.values()), center=center)
    coords = {k: project(v, center, directions.d1, directions.d2)[0] for k, v in arrays.items()}
    if span is None:
        span = default_span(directions, list(coords.values()))
    surface = compute_surface(net, x, t, directions, span=span, grid=grid, center=center,
                              progress=progress, cancel=cancel)
    return surface, coords
