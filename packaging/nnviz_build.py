"""nnviz's PEP 517 build backend: setuptools, plus the top-level resources/ as nnviz._resources.

pyproject.toml names it (``build-backend = "nnviz_build"``, ``backend-path = ["packaging"]``).
Why: resources/ stays at the top level (a checkout and the PyInstaller bundle use it there) and
must go into the wheel inside the package, where ``nnviz.resources`` looks for it. setuptools'
pyproject settings cannot add a package mapped from another folder to the ones ``find``
discovers, and a hand-written package list silently drops every package added later; so the
packages are found here, at build time, and the mapped one is added to them.
"""
from setuptools import build_meta as _setuptools_backend


class _Backend(_setuptools_backend._BuildMetaBackend):
    def run_setup(self, setup_script: str = "setup.py") -> None:
        from setuptools import find_packages, setup

        setup(
            packages=find_packages(include=["nnviz", "nnviz.*"]) + ["nnviz._resources"],
            package_dir={"nnviz._resources": "resources"},
            package_data={"nnviz._resources": ["**/*"]},
            include_package_data=False,
        )


_BACKEND = _Backend()
get_requires_for_build_wheel = _BACKEND.get_requires_for_build_wheel
get_requires_for_build_sdist = _BACKEND.get_requires_for_build_sdist
prepare_metadata_for_build_wheel = _BACKEND.prepare_metadata_for_build_wheel
build_wheel = _BACKEND.build_wheel
build_sdist = _BACKEND.build_sdist
get_requires_for_build_editable = _BACKEND.get_requires_for_build_editable
prepare_metadata_for_build_editable = _BACKEND.prepare_metadata_for_build_editable
build_editable = _BACKEND.build_editable
