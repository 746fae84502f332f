"""``python -m nnviz`` does what the ``nnviz`` command does."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first (the training child process; see main.py)
    from nnviz.cli import main

    sys.exit(main())
