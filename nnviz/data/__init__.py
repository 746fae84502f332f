"""Datasets for nnviz: toy 2-D sets, the seed notes' tables, MNIST-style images, your files.

Everything goes through :mod:`nnviz.data.catalog`::

    from nnviz.data import load_dataset
    ds = load_dataset("circle", noise=10, seed=1)
    ds = load_dataset("mnist")            # NNVIZ_DATA_DIR, then the cache folder
    ds = load_dataset("my_points.csv")    # or a .npz, an IDX file, a folder

This package imports only NumPy and the standard library (no Qt), and does no work at import.
"""
from nnviz.data.base import Dataset
from nnviz.data.catalog import dataset_info, download_dataset, list_datasets, load_dataset

__all__ = ["Dataset", "dataset_info", "download_dataset", "list_datasets", "load_dataset"]
