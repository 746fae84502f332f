"""The fuzz suite needs Hypothesis (in the ``test`` extra); without it these tests are skipped."""
import pytest

pytest.importorskip("hypothesis")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/fuzz/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.fuzz)
