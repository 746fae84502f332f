"""The principal directions of a long pooled path (randomised range finder above EXACT_SVD)
equal the full SVD's: the same plane, the same explained variance."""
import numpy as np
import pytest

from nnviz.landscape import pca_directions
from nnviz.landscape.directions import EXACT_SVD


def test_big_path_principal_plane_equals_the_full_svd():
    rng = np.random.default_rng(1)
    P, n = 600, 4 * 300
    assert min(n, P) > EXACT_SVD
    # four paths from one start: mostly along two directions, plus noise
    basis = np.linalg.qr(rng.standard_normal((P, 2)))[0]
    t = np.linspace(0, 1, 300)
    start = rng.standard_normal(P)
    paths = [start + np.outer(np.sqrt(t) * a, basis[:, 0]) + np.outer(np.sin(3 * t) * b, basis[:, 1])
             + 0.01 * rng.standard_normal((300, P)) for a, b in ((3, 1), (2, -1), (-1, 2), (1, 1))]
    d = pca_directions(start, paths)
    m = np.vstack(paths) - start
    m -= m.mean(axis=0)
    _u, s, vt = np.linalg.svd(m, full_matrices=False)
    assert abs(d.d1 @ vt[0]) == pytest.approx(1, abs=1e-9)
    assert abs(d.d2 @ vt[1]) == pytest.approx(1, abs=1e-9)
    assert d.info["explained_variance"] == pytest.approx(list(s[:2] ** 2 / (s ** 2).sum()), rel=1e-9)
