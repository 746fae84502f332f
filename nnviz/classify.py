"""Read digits with a trained model: ``nnviz classify IMAGE… [--model FILE] [--json]``.

:class:`DigitModel` is what the canvas and the command share: a saved network (by default the
one shipped in ``resources/models/``) with the input scaling it was trained on, fed through
:mod:`nnviz.data.preprocess` exactly as MNIST's digits were made.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from nnviz.core.errors import N_, ModelFileError, NNVizError, shown

SHIPPED_MODEL = ("models", "mnist.npz")


def shipped_model_path() -> Path:
    from nnviz.resources import resource_path

    return resource_path(*SHIPPED_MODEL)


class DigitModel:
    """A network that reads 28×28 digits; ``predict(images)`` → (n, 10) probabilities."""

    def __init__(self, net, extra: dict | None = None, scaling: str | None = None,
                 source: str = ""):
        from nnviz.data.base import SCALINGS

        self.net, self.source = net, source
        self.extra = dict(extra) if isinstance(extra, dict) else {}
        settings = self.extra.get("settings")
        settings = settings if isinstance(settings, dict) else {}
        self.scaling = scaling or settings.get("scaling") or "unit"
        if self.scaling not in SCALINGS:
            raise ModelFileError(N_("{model}: unknown input scaling {scaling} in the model's "
                                    "settings; valid: {valid}"), model=source or "the model",
                                 scaling=shown(self.scaling), valid=", ".join(SCALINGS))
        if net.n_inputs != 784:
            raise ModelFileError(N_("{model}: has {n} inputs; a digit model needs 784 (28×28 "
                                    "pixels)"), model=source or "the model", n=net.n_inputs)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "DigitModel":
        """The model saved at ``path`` (default: the shipped one)."""
        from nnviz.core.model_io import load_model

        path = Path(path) if path else shipped_model_path()
        if not path.is_file() and not path.exists() and path == shipped_model_path():
            raise ModelFileError(N_("the shipped digit model is missing ({path}); reinstall "
                                    "nnviz or give one with --model"), path=str(path))
        net, extra = load_model(path)
        return cls(net, extra, source=str(path))

    @property
    def test_accuracy(self) -> float | None:
        acc = self.extra.get("test_acc")
        return acc if isinstance(acc, (int, float)) and not isinstance(acc, bool) else None

    def inputs(self, images28: np.ndarray) -> np.ndarray:
        """(n, 28, 28) or (n, 784) 0..255 images → the network's scaled inputs."""
        from nnviz.data.preprocess import scale_inputs

        x = np.asarray(images28).reshape(len(images28), -1)
        return scale_inputs(x, self.scaling, dtype=self.net.dtype)

    def predict(self, images28: np.ndarray) -> np.ndarray:
        """(n, 10) class probabilities (outputs scaled to sum to 1 unless a softmax made them)."""
        y = np.asarray(self.net.forward(self.inputs(images28)), dtype=np.float64)
        s = y.sum(axis=1, keepdims=True)
        if not np.allclose(s, 1.0, atol=1e-4):
            y = np.clip(y, 0, None)
            y /= np.maximum(y.sum(axis=1, keepdims=True), 1e-12)
        return y

    def __call__(self, images28: np.ndarray) -> np.ndarray:
        return self.predict(images28)


# -- the command ------------------------------------------------------------------------------
def _files(paths: list[str]) -> list[Path]:
    from nnviz.app.imagefile import picture_files

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = picture_files(p)
            if not found:
                raise NNVizError(N_("{path}: no pictures in this folder (PNG, JPEG, BMP, SVG)"),
                                 path=str(p))
            out.extend(found)
        else:
            out.append(p)
    return out


def read_digits(paths: list[Path]) -> tuple[list[Path], np.ndarray, list[tuple[Path, str]]]:
    """Decode and preprocess every file: ``(good paths, (n, 28, 28) images, [(path, error)])``."""
    from nnviz.app.imagefile import read_grey
    from nnviz.data.preprocess import ink_image, to_mnist

    good, images, bad = [], [], []
    for path in paths:
        try:
            images.append(to_mnist(ink_image(read_grey(path))))
            good.append(path)
        except MemoryError:
            bad.append((path, f"{path}: the picture is too big to decode in the memory that is free"))
        except NNVizError as exc:
            msg = str(exc)
            bad.append((path, msg if msg.startswith(str(path)) else f"{path}: {msg}"))
    arr = np.stack(images) if images else np.zeros((0, 28, 28), np.float32)
    return good, arr, bad


def cmd_classify(args) -> int:
    try:
        import PySide6.QtGui  # noqa: F401  (decoding pictures)
    except ImportError as exc:
        raise NNVizError(N_("cannot decode pictures without Qt: {reason}"), reason=str(exc)) from None
    from nnviz.cliargs import dumps

    model = DigitModel.load(args.model)
    files = _files(args.images)
    good, images, bad = read_digits(files)
    probs = model.predict(images) if len(images) else np.zeros((0, 10))
    results = {p: pr for p, pr in zip(good, probs)}
    errors = dict(bad)
    for path in files:  # the order the user gave
        if path in errors:
            if args.json:
                print(dumps({"file": str(path), "error": errors[path]}), flush=True)
            sys.stderr.write(f"nnviz: error: {errors[path]}\n")
            continue
        pr = results[path]
        top = int(pr.argmax())
        if args.json:
            print(dumps({"file": str(path), "class": top, "probability": round(float(pr[top]), 6),
                         "probabilities": [round(float(v), 6) for v in pr]}), flush=True)
        else:
            print(f"{path}: {top} ({pr[top]:.3f})  " + " ".join(f"{k}:{v:.3f}" for k, v in enumerate(pr)))
    return 2 if bad else 0


def add_classify_parser(sub) -> None:
    sp = sub.add_parser("classify", help="read digits in picture files with a trained model")
    sp.add_argument("images", nargs="+", metavar="IMAGE",
                    help="PNG/JPEG/BMP/SVG files or folders (dark ink on light or light on dark)")
    sp.add_argument("--model", metavar="FILE", help="a saved model (default: the shipped one)")
    sp.add_argument("--json", action="store_true", help="one JSON object per file")
    sp.set_defaults(func=cmd_classify)
