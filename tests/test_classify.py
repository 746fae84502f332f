"""`nnviz classify` on picture files, and the shipped model and sample digits (offline)."""
import json
import socket

import numpy as np
import pytest
from PySide6.QtGui import QImage

from nnviz.classify import DigitModel, shipped_model_path
from nnviz.cli import main
from nnviz.data.samples import load_samples, sample_path


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No dataset and no network: everything here must work from resources/ alone."""
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)

    def refuse(*a, **k):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="module")
def model():
    return DigitModel.load()


@pytest.fixture(scope="module")
def samples():
    return load_samples()


def save_picture(path, grey, fmt=None):
    """Write a (h, w) 0..255 array with QImage (RGB32, so no grey shortcut is taken)."""
    g = np.clip(np.rint(grey), 0, 255).astype(np.uint32)
    argb = np.ascontiguousarray(0xFF000000 | (g << 16) | (g << 8) | g)
    h, w = argb.shape
    img = QImage(argb.data, w, h, 4 * w, QImage.Format.Format_RGB32).copy()
    assert img.save(str(path), fmt)
    return path


def enlarge(img28, k=4):
    return np.kron(np.asarray(img28, dtype=np.float64), np.ones((k, k)))


def test_shipped_model_offline(model):
    assert shipped_model_path().stat().st_size <= 4 * 1024 * 1024
    assert model.net.sizes[0] == 784 and model.net.sizes[-1] == 10
    assert model.test_accuracy >= 0.985
    assert model.extra["command"].startswith("nnviz train --preset mnist-canvas --augment")
    assert model.extra["settings"]["augment"] is True


def test_shipped_sample_digits_read_correctly(model, samples):
    x, y = samples
    assert sample_path().stat().st_size < 1024 * 1024
    assert x.dtype == np.uint8 and x.shape == (200, 28, 28) and np.bincount(y).tolist() == [20] * 10
    probs = model.predict(x)
    assert probs.shape == (200, 10)
    np.testing.assert_allclose(probs.sum(1), 1, rtol=1e-5)
    assert (probs.argmax(1) == y).mean() >= 0.95


def _good_digits(model, samples, n=3):
    x, y = samples
    ok = np.flatnonzero(model.predict(x).argmax(1) == y)
    picks = [ok[np.flatnonzero(y[ok] == k)[0]] for k in (3, 7, 0)][:n]
    return x[picks], y[picks]


def test_classify_files_both_polarities_and_formats(tmp_path, capsys, model, samples):
    (a, b, c), labels = _good_digits(model, samples)
    files = [save_picture(tmp_path / "dark_on_light.png", 255 - enlarge(a)),
             save_picture(tmp_path / "light_on_dark.bmp", enlarge(b, 3)),
             save_picture(tmp_path / "photo.jpg", 230 - 0.8 * enlarge(c, 5), "JPEG")]
    code = main(["classify", *map(str, files), "--json"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [o["file"] for o in out] == [str(f) for f in files]
    assert [o["class"] for o in out] == labels.tolist()
    for o in out:
        assert len(o["probabilities"]) == 10 and abs(sum(o["probabilities"]) - 1) < 1e-4
        assert o["probability"] == max(o["probabilities"])


def test_classify_reports_bad_files_and_still_prints_the_good(tmp_path, capsys, model, samples):
    (a, _, _), labels = _good_digits(model, samples)
    good = save_picture(tmp_path / "b_good.png", 255 - enlarge(a))
    blank = save_picture(tmp_path / "c_blank.png", np.full((60, 60), 255.0))
    text = tmp_path / "a_notes.png"
    text.write_text("not a picture")
    code = main(["classify", str(text), str(good), str(blank)])
    out, err = capsys.readouterr()
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{good}: {labels[0]} (")
    assert len(lines[0].split()) == 3 + 10  # path, class, (probability), ten "k:p"
    assert f"{text}: not a picture" in err and f"{blank}: no ink" in err
    assert "Traceback" not in err
    # a folder runs as one batch, in name order
    code = main(["classify", str(tmp_path), "--json"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 2 and [o["file"].rsplit("/", 1)[1] for o in out] == ["a_notes.png", "b_good.png", "c_blank.png"]
    assert "error" in out[0] and out[1]["class"] == labels[0] and "no ink" in out[2]["error"]


def test_classify_missing_model_or_file(tmp_path, capsys):
    code = main(["classify", str(tmp_path / "nothing.png")])
    assert code == 2 and "no such file" in capsys.readouterr().err
    pic = save_picture(tmp_path / "x.png", np.eye(30) * 255)
    code = main(["classify", str(pic), "--model", str(tmp_path / "none.npz")])
    assert code == 2 and "no such model file" in capsys.readouterr().err


def test_canvas_benchmark_on_the_shipped_sample():
    from nnviz.bench.canvas import draw_on_canvas, run

    canvas = draw_on_canvas(np.eye(28) * 255, 140, 10, 100)
    assert canvas.shape == (280, 280) and canvas[:10].max() == 0 and canvas[10:150, 100:240].max() > 200
    res = run(n=60)
    assert res["digits"] == "sample" and res["n"] == 60
    assert res["test_acc"] >= 0.95 and res["canvas_acc"] >= 0.95
