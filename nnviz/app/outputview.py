"""Old home of :class:`OutputView`; it lives in :mod:`nnviz.app.output` now."""
from nnviz.app.output import OutputView  # noqa: F401
