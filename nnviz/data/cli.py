"""The ``nnviz data`` sub-command: ``list``, ``info NAME [--json]``, ``download NAME``.

The main CLI calls :func:`add_data_parser` to register it and :func:`run_data` to run it;
errors are raised as :class:`~nnviz.core.errors.NNVizError` for the main CLI to print.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from nnviz.data.catalog import dataset_info, download_dataset, list_datasets


def add_data_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``data`` sub-command to an ``add_subparsers()`` object and return its parser."""
    parser = subparsers.add_parser("data", help="list, describe and download datasets",
                                   description="List, describe and download datasets.")
    actions = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="every named dataset with a description")
    info = actions.add_parser("info", help="sizes, classes and location of a dataset")
    info.add_argument("name", metavar="NAME", help="a dataset name or a file/folder path")
    info.add_argument("--json", action="store_true", help="print JSON instead of text")
    info.add_argument("--label-column", metavar="COLUMN", default=None,
                      help="CSV files: the label column, by header name or number "
                           "(1 = first, -1 = last); default: see label_column in the output")
    add_csv_flags(info)
    download = actions.add_parser("download", help="download mnist or fashion-mnist")
    download.add_argument("name", metavar="NAME", help="mnist or fashion-mnist")
    download.add_argument("--dest", metavar="DIR", default=None,
                          help="folder to download into (default: the user cache folder)")
    download.add_argument("--base-url", default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run_data)
    return parser


def add_csv_flags(parser) -> None:
    """``--delimiter`` and ``--encoding`` for a command that reads CSV files."""
    parser.add_argument("--delimiter", metavar="D", default=None,
                        help="CSV files: the cell separator: comma, semicolon, tab or one "
                             "character (default: auto, detected from the first lines)")
    parser.add_argument("--encoding", metavar="NAME", default=None,
                        help="CSV files: the text encoding, e.g. utf-8, utf-16, gbk, cp1252 "
                             "(default: auto: UTF-8 with or without BOM, UTF-16 with BOM, GBK)")


def csv_options(args) -> dict:
    """The CSV options given on the command line (label column, delimiter, encoding)."""
    from nnviz.data.csvformat import parse_delimiter, parse_encoding

    options = {}
    if getattr(args, "label_column", None) is not None:
        options["label"] = args.label_column
    if parse_delimiter(getattr(args, "delimiter", None)) is not None:
        options["delimiter"] = parse_delimiter(args.delimiter)
    if parse_encoding(getattr(args, "encoding", None)) is not None:
        options["encoding"] = parse_encoding(args.encoding)
    return options


class ProgressBar:
    """``[#######-------------]  35%   3.4/9.9 MB  file`` redrawn in place on a stream."""

    def __init__(self, stream: TextIO | None = None, width: int = 30):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self._last: tuple[str, int] | None = None

    def __call__(self, done: int, total: int, filename: str) -> None:
        percent = int(100 * done / total) if total else 0
        if self._last is not None and self._last[0] != filename:
            self.stream.write("\n")
        if self._last == (filename, percent) and done != total:
            return
        self._last = (filename, percent)
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        size = f"{done / 1e6:6.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:6.1f} MB"
        self.stream.write(f"\r[{bar}] {percent:3d}%  {size}  {filename}")
        self.stream.flush()

    def close(self) -> None:
        """End the line after the last file."""
        if self._last is not None:
            self.stream.write("\n")
            self.stream.flush()


def _print_info(info: dict, out: TextIO) -> None:
    width = max(len(k) for k in info)
    for key, value in info.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out.write(f"{key:<{width}}  {value}\n")


def run_data(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``nnviz data ...`` from parsed arguments; return the exit code (0 on success)."""
    out = out if out is not None else sys.stdout
    if args.data_command == "list":
        names = list_datasets()
        width = max(len(n) for n in names)
        for name, description in names.items():
            out.write(f"{name:<{width}}  {description}\n")
    elif args.data_command == "info":
        info = dataset_info(args.name, **csv_options(args))
        if args.json:
            out.write(json.dumps(info, indent=2) + "\n")
        else:
            _print_info(info, out)
    elif args.data_command == "download":
        bar = ProgressBar()
        try:
            folder = download_dataset(args.name, progress=bar, base_url=args.base_url,
                                      dest=args.dest)
        finally:
            bar.close()
        out.write(f"{args.name} is in {folder}\n")
    return 0
