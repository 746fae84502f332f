"""Issue 18, pictures and model files: every defect reproduced with a file made here, then fixed.

Memory is measured in a child process (its peak RSS, ``VmHWM``: ``ru_maxrss`` would count the
parent's memory at the fork), so a regression costs the child, not the test run.
"""
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.errors import ModelFileError, shown
from nnviz.core.model_io import load_model, save_model
from nnviz.core.network import build_mlp

PY = sys.executable
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1024 * 1024
#: A child's ``peak()``: its own peak resident memory in KB.
PEAK = ("def peak():\n    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n            return int(line.split()[1])\n")


# -- pictures made by hand (no full-size image in this process) --------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path, width, height, colour=0, ink=True, truncated=False):
    """A PNG of ``width``×``height`` (colour type 0 grey, 2 RGB), white with a black bar, made
    row by row; ``truncated``: only its header (it declares the size and holds nothing)."""
    ch = {0: 1, 2: 3}[colour]
    head = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
    if truncated:
        path.write_bytes(head + _chunk(b"IDAT", zlib.compress(b"\0" * 64)))
        return path
    comp, parts = zlib.compressobj(9), []
    white = b"\0" + b"\xff" * (width * ch)
    bar = bytearray(white)
    bar[1 + (width // 3) * ch:1 + (2 * width // 3) * ch] = b"\0" * ((2 * width // 3 - width // 3) * ch)
    for y in range(height):
        parts.append(comp.compress(bytes(bar) if ink and height // 4 <= y < 3 * height // 4 else white))
    parts.append(comp.flush())
    path.write_bytes(head + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))
    return path


def svg(path, width=8000, height=8000):
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
                    f'<rect x="{width // 3}" y="{height // 4}" width="{width // 3}" '
                    f'height="{height // 2}" fill="black"/></svg>')
    return path


def classify_in_child(*args):
    """``nnviz classify ARGS`` in a child: (exit code, stdout, stderr, peak RSS in bytes)."""
    code = (PEAK + "import sys\nfrom nnviz.cli import main\nrc = main(sys.argv[1:])\n"
            "sys.stdout.flush()\n"
            "sys.stderr.write(f'\\nPEAK {peak()}\\n')\n"
            "sys.exit(rc)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([PY, "-c", code, "classify", *map(str, args)], capture_output=True,
                       text=True, cwd=ROOT, env=env, timeout=120)
    peak = int(p.stderr.rsplit("PEAK", 1)[1].split()[0]) * 1024
    return p.returncode, p.stdout, p.stderr.rsplit("PEAK", 1)[0], peak


# -- defect 1: big pictures --------------------------------------------------------------------
@pytest.mark.parametrize("make, readable", [
    (lambda d: write_png(d / "grey.png", 8000, 8000, colour=0), True),
    (lambda d: svg(d / "big.svg"), True),
    (lambda d: write_png(d / "rgb.png", 5700, 5700, colour=2), True),
    (lambda d: write_png(d / "white.png", 8000, 8000, colour=2, ink=False), False),
])
def test_a_big_picture_is_read_small_and_stays_under_300_mb(tmp_path, make, readable):
    pic = make(tmp_path)
    code, out, err, peak = classify_in_child(pic)
    assert peak < 300 * MB, f"{pic.name}: peak {peak / MB:.0f} MB"
    if readable:
        assert code == 0 and out.startswith(f"{pic}: 8 "), err
    else:  # an 8000×8000 RGB PNG needs 244 MB to decode: refused as too big, unread
        assert code == 2 and "the picture is too big (8000×8000 pixels" in err
        assert "smaller network" not in err and "use PNG, JPEG" not in err


def test_a_png_over_qts_limit_says_it_is_too_big_not_which_formats_to_use(tmp_path):
    from nnviz.app.imagefile import ImageFileError, read_grey

    pic = write_png(tmp_path / "huge.png", 30000, 30000, colour=2, truncated=True)
    with pytest.raises(ImageFileError, match=r"too big \(30000×30000 pixels") as info:
        read_grey(pic)
    assert "use PNG" not in str(info.value)


def test_the_picture_is_shrunk_keeping_its_aspect(tmp_path):
    from nnviz.app.imagefile import MAX_SIDE, read_grey

    grey = read_grey(svg(tmp_path / "wide.svg", 4000, 1000))
    assert grey.shape == (MAX_SIDE // 4, MAX_SIDE)
    grey = read_grey(write_png(tmp_path / "tall.png", 300, 2000))
    assert max(grey.shape) <= MAX_SIDE and abs(grey.shape[1] / grey.shape[0] - 0.15) < 0.01
    assert grey.min() == 0 and grey.max() == 255  # the bar survives the block averaging


def test_under_a_memory_limit_the_message_does_not_blame_the_network(tmp_path):
    pic = write_png(tmp_path / "grey.png", 4000, 4000)
    code = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]),) * 2)\n"
            "from nnviz.cli import main\nsys.exit(main(['classify', sys.argv[2]]))\n")
    # room for Python, NumPy, Qt and the model, not for a 16 MB picture plus its copies
    for limit in (2000 * MB, 1200 * MB):
        p = subprocess.run([PY, "-c", code, str(limit), str(pic)], capture_output=True, text=True,
                           cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120)
        assert "smaller network" not in p.stderr and "Traceback" not in p.stderr, p.stderr


# -- defect 2: extra.settings of the wrong type ------------------------------------------------
def _rewrite_meta(path, change):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(np.load(io.BytesIO(members["__nnviz__.npy"])).tobytes().decode())
    change(meta)
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    members["__nnviz__.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    return path


def _digit_model(path, extra=None, nan=None):
    net = build_mlp([784, 8, 10], seed=1)
    if nan is not None:
        net.layers[0].params["W"][3, 2] = nan
    return save_model(net, path, extra=extra or {"settings": {"scaling": "unit"}})


@pytest.mark.parametrize("settings", ["abc", [1, 2], 7])
def test_a_model_whose_settings_are_not_an_object_is_refused_in_one_line(tmp_path, capsys, settings):
    model = _rewrite_meta(_digit_model(tmp_path / "m.npz"), lambda m: m["extra"].update(settings=settings))
    pic = svg(tmp_path / "d.svg", 280, 280)
    code = main(["classify", str(pic), "--model", str(model)])
    err = capsys.readouterr().err
    assert code == 2 and "extra.settings must be an object" in err and str(model) in err
    assert "unexpected" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("change, message", [
    (lambda m: m["network"].update(loss=5), "network.loss must be text, got 5"),
    (lambda m: m["network"]["layers"][0].update(batchnorm="yes"), r"layers\[0\]\.batchnorm must be true or false"),
    (lambda m: m["extra"].update(test_acc="high"), "extra.test_acc must be a finite number"),
    (lambda m: m.update(extra=[]), "extra must be an object"),
    (lambda m: m.update(arrays={"p:0.W": {"shape": "big"}}), r"shape must be a list"),
    (lambda m: m.update(version=True), "model format version True is not supported"),
])
def test_every_member_of_the_description_is_checked_for_its_type(tmp_path, change, message):
    model = _rewrite_meta(_digit_model(tmp_path / "m.npz"), change)
    with pytest.raises(ModelFileError, match=message):
        load_model(model)


def test_an_unknown_scaling_names_the_model_file(tmp_path, capsys):
    model = _digit_model(tmp_path / "m.npz", extra={"settings": {"scaling": "weird"}})
    code = main(["classify", str(svg(tmp_path / "d.svg", 280, 280)), "--model", str(model)])
    err = capsys.readouterr().err
    assert code == 2 and f"{model}: unknown input scaling 'weird'" in err


# -- defect 3: NaN or infinite weights; strict JSON ---------------------------------------------
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_weights_are_refused_at_load(tmp_path, capsys, value):
    model = _digit_model(tmp_path / "m.npz", nan=value)  # its checksums match
    with pytest.raises(ModelFileError, match=r"array p:0\.W holds 1 values that are not finite"):
        load_model(model)
    code = main(["classify", str(svg(tmp_path / "d.svg", 280, 280)), "--model", str(model), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "not finite numbers (NaN or infinity)" in err
    assert len(err.splitlines()) == 1


def test_classify_json_never_holds_nan(tmp_path, capsys, monkeypatch):
    from nnviz.classify import DigitModel

    net = build_mlp([784, 8, 10], seed=1)
    net.layers[0].params["W"][:] = np.nan  # a live network gone wrong (no file check between)
    monkeypatch.setattr(DigitModel, "load", classmethod(lambda cls, path=None: cls(net)))
    main(["classify", str(svg(tmp_path / "d.svg", 280, 280)), "--json"])

    def refuse(name):
        raise AssertionError(f"{name} in the JSON output")
    doc = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert doc["probability"] is None and set(doc["probabilities"]) == {None}
    assert doc["not_finite"]["probability"] == "NaN"


# -- defect 10: metadata size, quoted values cut ------------------------------------------------
def test_a_huge_model_description_is_refused_before_it_is_read(tmp_path):
    model = _digit_model(tmp_path / "m.npz")
    _rewrite_meta(model, lambda m: m["extra"].update(description="x" * (30 * MB)))
    assert model.stat().st_size < 2 * MB  # deflate: 30 MB of one letter is small
    code = (PEAK + "import sys\nfrom nnviz.core.model_io import load_model\n"
            "try:\n    load_model(sys.argv[1])\nexcept Exception as e:\n    print(e)\n"
            "print(peak())\n")
    p = subprocess.run([PY, "-c", code, str(model)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    message, peak = p.stdout.splitlines()
    assert "the model description is 30.0 MB, more than the 1.0 MB an nnviz model may have" in message
    assert int(peak) * 1024 < 150 * MB


def test_a_long_value_in_a_model_is_quoted_short(tmp_path):
    model = _rewrite_meta(_digit_model(tmp_path / "m.npz"), lambda m: m.update(format="y" * 500_000))
    with pytest.raises(ModelFileError) as info:
        load_model(model)
    text = str(info.value)
    assert "format is 'yyyy" in text and "(500000 characters)" in text and len(text) < len(str(model)) + 200
    assert len(shown("z" * 5_000_000)) < 100 and len(shown(list(range(100_000)))) < 120


# -- also: what a model "file" is when it is not a file ------------------------------------------
def test_fifo_device_and_folder_say_what_they_are(tmp_path, capsys):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    link = tmp_path / "zero.npz"
    link.symlink_to("/dev/zero")
    cases = {fifo: "is a named pipe (FIFO), not a file", link: "is a device (like /dev/zero), not a file",
             tmp_path: "is a folder, not a file"}
    for path, message in cases.items():
        with pytest.raises(ModelFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
            load_model(path)
        code = main(["classify", str(svg(tmp_path / "d.svg", 280, 280)), "--model", str(path)])
        assert code == 2 and message in capsys.readouterr().err
    from nnviz.app.imagefile import ImageFileError, read_grey
    with pytest.raises(ImageFileError, match="named pipe"):
        read_grey(fifo)  # never opened: it would block


# -- the messages are templates: English on the command line, translated in the window ----------
def test_model_and_picture_errors_are_translated_templates(tmp_path):
    from nnviz.app.imagefile import ImageFileError, read_grey
    from nnviz.i18n import message, set_language

    model = _digit_model(tmp_path / "m.npz", nan=np.nan)
    with pytest.raises(ModelFileError) as bad_model:
        load_model(model)
    with pytest.raises(ImageFileError) as bad_picture:
        read_grey(write_png(tmp_path / "huge.png", 30000, 30000, colour=2, truncated=True))
    assert bad_model.value.template.startswith("{path}: array {array} holds {n} values")
    try:
        set_language("zh_CN")
        assert "不是有限数" in message(bad_model.value) and str(model) in message(bad_model.value)
        assert "图片太大" in message(bad_picture.value)
        assert "not finite" in str(bad_model.value)  # the CLI stays English
    finally:
        set_language("en")
    assert message(bad_model.value) == str(bad_model.value)
