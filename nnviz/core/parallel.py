"""Both cores for headless training, without BLAS threads.

nnviz runs NumPy's BLAS on one thread (``nnviz/__init__.py``): in the window a second BLAS thread
spin-waits on the core the UI paints on, and on a busy machine OpenBLAS's spinning threads make
a product many times slower (measured: 5× for ``mnist-fast``'s products with two busy
neighbours, see ``nnviz/bench/PERFORMANCE.md``). Headless training (``nnviz train``,
``nnviz bench``) may still use the second core: inside :func:`two_cores` the big products and the
optimizer's element-wise update are cut in two halves, one computed on a helper thread while the
calling thread computes the other (NumPy lets go of the GIL in both). A waiting thread sleeps
instead of spinning, so a busy machine costs the hand-over only.

The halves are fixed (rows of the left factor; the first and second half of a vector), so results
are deterministic. The element-wise update gives one thread's bits exactly; the products give
them for ``mnist-fast`` (tests/core/test_parallel.py), though in general BLAS may round a few
edge elements of a half differently (a last-bit difference from the window's one thread).
"""
from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

#: Products with fewer multiply-adds than this stay on one thread (a hand-over costs ~30 µs).
MIN_PRODUCT = 3_000_000
#: Element-wise updates of fewer elements than this stay on one thread.
MIN_ELEMENTS = 100_000

_pool: ThreadPoolExecutor | None = None
_depth = 0


def active() -> bool:
    return _pool is not None


@contextlib.contextmanager
def two_cores():
    """Split big products and updates over two threads inside the block (nestable)."""
    global _pool, _depth
    if _depth == 0:
        _pool = ThreadPoolExecutor(1, thread_name_prefix="nnviz-half")
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            pool, _pool = _pool, None
            pool.shutdown(wait=True)


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` (into ``out``), the rows of ``a`` in two halves when :func:`two_cores` is on."""
    pool = _pool
    m = a.shape[0]
    if pool is None or a.ndim != 2 or m < 2 or m * a.shape[1] * b.shape[1] < MIN_PRODUCT:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((m, b.shape[1]), dtype=np.result_type(a, b))
    h = m // 2
    half = pool.submit(np.matmul, a[h:], b, out=out[h:])
    try:
        np.matmul(a[:h], b, out=out[:h])
    finally:
        half.result()
    return out


def elementwise(fn, arrays, *args) -> None:
    """``fn(*arrays, *args)`` on equally long 1-D ``arrays`` (updated in place), in two halves
    when :func:`two_cores` is on and they are long."""
    pool = _pool
    n = arrays[0].shape[0]
    if pool is None or n < MIN_ELEMENTS:
        fn(*arrays, *args)
        return
    h = n // 2
    half = pool.submit(fn, *[a[h:] for a in arrays], *args)
    try:
        fn(*[a[:h] for a in arrays], *args)
    finally:
        half.result()
