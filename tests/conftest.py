"""Shared test set-up: Qt offscreen, a UTF-8 locale, and where the MNIST copies are."""
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
# Tests must never read or write the user's settings.
os.environ.setdefault("XDG_CONFIG_HOME", str(Path(__file__).resolve().parent / ".config-test"))

import pytest  # noqa: E402

try:  # the fuzz suite's profiles: quick by default (CI), NNVIZ_FUZZ=deep for local runs
    from hypothesis import HealthCheck, settings as _hsettings

    _hsettings.register_profile("fast", max_examples=40, deadline=None,
                                suppress_health_check=[HealthCheck.too_slow])
    _hsettings.register_profile("deep", max_examples=2000, deadline=None,
                                suppress_health_check=[HealthCheck.too_slow])
    _hsettings.load_profile(os.environ.get("NNVIZ_FUZZ", "fast"))
except ImportError:  # hypothesis is in the `test` extra; without it tests/fuzz is skipped
    pass

ROOT = Path(__file__).resolve().parents[1]


def mnist_dir() -> Path | None:
    """The verified MNIST folder: $NNVIZ_DATA_DIR, else ../shared/data/mnist beside the repo."""
    cands = []
    if os.environ.get("NNVIZ_DATA_DIR"):
        d = Path(os.environ["NNVIZ_DATA_DIR"])
        cands += [d / "mnist", d]
    cands.append(ROOT.parent / "shared" / "data" / "mnist")
    for d in cands:
        if (d / "train-images-idx3-ubyte.gz").is_file() and (d / "t10k-labels-idx1-ubyte.gz").is_file():
            return d
    return None


@pytest.fixture
def mnist_path() -> Path:
    d = mnist_dir()
    if d is None:
        pytest.skip("MNIST files not found (set NNVIZ_DATA_DIR)")
    return d


@pytest.fixture
def with_mnist(monkeypatch, mnist_path):
    """NNVIZ_DATA_DIR pointing at the MNIST copy for the duration of a test."""
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(mnist_path))
    return mnist_path
