"""The loss landscape in the window (issue 22): a dock with the surface, its contours and the
runs' paths; the numbers come from :mod:`nnviz.landscape` (Qt-free)."""
from nnviz.app.landscape.dock import LandscapeDock, install_landscape
from nnviz.app.landscape.view import LandscapeView

__all__ = ["LandscapeDock", "LandscapeView", "install_landscape"]
