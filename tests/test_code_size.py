"""Every module in ``nnviz/`` stays small enough to read in one sitting: at most 400 lines, and
no class over 300 (the architecture's rule; split by concept when one grows past it)."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnviz"
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 300
MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_found():
    assert len(MODULES) > 50 and (PACKAGE / "core" / "network.py") in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_classes_are_small(path):
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines; split it by concept"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            n = node.end_lineno - node.lineno + 1
            assert n <= MAX_CLASS_LINES, f"class {node.name} in {path.name} has {n} lines"
