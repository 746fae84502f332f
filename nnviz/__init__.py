"""nnviz: watch a neural network learn.

Packages: ``nnviz.core`` (the NumPy engine, no Qt), ``nnviz.data`` (datasets, no Qt),
``nnviz.app`` (the Qt window), plus ``nnviz.experiment``/``nnviz.presets`` that tie a
setup together for both the CLI (``nnviz.cli``) and the window.
"""
__version__ = "0.1.0"

import os as _os

# One BLAS thread, set before NumPy loads its BLAS (a value the user exported wins). nnviz's
# matrices are small (a 64×784 batch times 784×100): a second thread gains nothing measurable
# headless (MNIST 784-100-10: 113-125k samples/s with one thread, 98-133k with two on this 2-core
# machine), while in the window it spin-waits on the core the UI paints on and halved training.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
