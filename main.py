"""``python main.py`` does what the ``nnviz`` command does (and is PyInstaller's entry point)."""
import sys

from nnviz.cli import main

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # first: a packaged app's training child process starts here
    sys.exit(main())
