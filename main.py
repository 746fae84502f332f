"""``python main.py`` does what the ``nnviz`` command does (and is PyInstaller's entry point)."""
import sys

from nnviz.cli import main

if __name__ == "__main__":
    sys.exit(main())
