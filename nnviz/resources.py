"""Where nnviz's shipped files are: the one place that builds a path into ``resources/``.

``resources/`` (icon, shipped model, sample digits, lesson texts, translations) is found

* in a PyInstaller bundle, under ``sys._MEIPASS``;
* in an installed wheel, as ``nnviz/_resources`` inside the package;
* in a source checkout (and an editable install), as the top-level ``resources/`` folder.

Everything else in the code asks :func:`resource_path` for a file; nothing else joins paths
onto those roots.
"""
from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The folder that holds nnviz's shipped files (it may not exist in a broken install)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    installed = _PACKAGE_DIR / "_resources"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "resources"


def resource_path(*parts: str) -> Path:
    """``resources/<parts…>`` wherever nnviz runs from, e.g. ``resource_path("models", "mnist.npz")``."""
    return resources_dir().joinpath(*parts)
