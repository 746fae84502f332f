"""The loss landscape (issue 22): the loss over a 2-D slice of weight space through the
current weights, ``L(θ + α·d₁ + β·d₂)``, and the training paths projected onto it.

Qt-free. The directions (:mod:`.directions`): two named parameters, random filter-normalised
(Li et al., 2018) or the principal directions of a path; the surface (:mod:`.surface`),
evaluated many grid points per forward pass on a scratch copy of the network; the paths
(:mod:`.path`), least-squares projections of checkpoints; ``nnviz landscape`` (:mod:`.cli`).
"""
from nnviz.landscape.compute import (compute_surface, default_span, make_directions, paths_landscape,
                                     project_paths)
from nnviz.landscape.directions import (Directions, axis_directions, filter_normalize, parse_axis,
                                        pca_directions, random_directions)
from nnviz.landscape.path import project
from nnviz.landscape.surface import (MAX_GRID, MIN_GRID, Cancelled, PlaneLoss, Surface, check_grid,
                                     grid_axis, subset_rows)

__all__ = ["Cancelled", "Directions", "MAX_GRID", "MIN_GRID", "PlaneLoss", "Surface", "axis_directions",
           "check_grid", "compute_surface", "default_span", "filter_normalize", "grid_axis",
           "make_directions", "parse_axis", "paths_landscape", "pca_directions", "project", "project_paths",
           "random_directions", "subset_rows"]
