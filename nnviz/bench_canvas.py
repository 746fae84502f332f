"""The canvas benchmark moved to :mod:`nnviz.bench.canvas`; ``python -m nnviz.bench_canvas``
still runs it."""
import sys

from nnviz.bench.canvas import canvas_images, draw_on_canvas, main, run, run_ui  # noqa: F401

if __name__ == "__main__":
    sys.exit(main())
