"""nnviz: watch a neural network learn.

Packages: ``nnviz.core`` (the NumPy engine, no Qt), ``nnviz.data`` (datasets, no Qt),
``nnviz.app`` (the Qt window), plus ``nnviz.experiment``/``nnviz.presets`` that tie a
setup together for both the CLI (``nnviz.cli``) and the window.
"""
__version__ = "0.1.0"

import os as _os

# One BLAS thread, set before NumPy loads its BLAS (a value the user exported wins). nnviz's
# matrices are small (a 64×784 batch times 784×100), so a second thread gains nothing headless,
# while in the window it spin-waits on the core the UI paints on and slows training (the figures
# are in nnviz/bench/PERFORMANCE.md).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
