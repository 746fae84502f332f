"""nnviz: watch a neural network learn.

Packages: ``nnviz.core`` (the NumPy engine, no Qt), ``nnviz.data`` (datasets, no Qt),
``nnviz.app`` (the Qt window), plus ``nnviz.experiment``/``nnviz.presets`` that tie a
setup together for both the CLI (``nnviz.cli``) and the window.
"""
__version__ = "0.1.0"
