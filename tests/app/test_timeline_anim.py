"""The Qt-free GIF and APNG encoders (nnviz.timeline.gif / apng): Qt reads their files back."""
import io

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QByteArray
from PySide6.QtGui import QImage, QImageReader, QMovie

from nnviz.timeline.apng import ApngWriter, chunks, encode_png, read_apng
from nnviz.timeline.gif import Palette, lzw_encode, median_cut, write_gif


def _frames(n=6, h=60, w=80):
    yy, xx = np.mgrid[0:h, 0:w]
    out = []
    for k in range(n):
        f = np.zeros((h, w, 3), np.uint8)
        f[..., 0] = xx * 255 // w
        f[..., 1] = yy * 255 // h
        f[..., 2] = 40 * k % 256
        f[10:20, 5 + 8 * k:15 + 8 * k] = (255, 255, 255)
        out.append(f)
    return out


def _rgb(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return a[:, :img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def _reader(data: bytes, fmt: bytes):
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QBuffer.OpenModeFlag.ReadOnly)
    return QImageReader(buf, fmt), buf


def test_gif_reads_back_in_qt_every_frame_close_to_the_original(qapp):
    frames = _frames() + [_frames()[-1]]  # an unchanged last frame too
    out = io.BytesIO()
    assert write_gif(out, frames, delay_ms=50) == len(frames)
    reader, _buf = _reader(out.getvalue(), b"gif")
    assert reader.imageCount() == len(frames)
    got = []
    while True:
        img = reader.read()
        if img.isNull():
            break
        got.append(_rgb(img))
    assert len(got) == len(frames)
    for want, have in zip(frames, got):
        err = np.abs(have.astype(int) - want).mean()
        assert err < 12, err  # 255 colours for ~29000 (a 3-D gradient)
    # the white square (a colour the palette holds exactly) is exact in every frame
    for k, have in enumerate(got[:-1]):
        assert (have[10:20, 5 + 8 * k:15 + 8 * k] >= 250).all()


def test_gif_qmovie_frame_count_and_exact_pixels_for_few_colours(qapp, tmp_path):
    pal = np.array([[255, 0, 0], [0, 128, 0], [0, 0, 255], [250, 250, 250]], np.uint8)
    rng = np.random.default_rng(1)
    frames = [pal[rng.integers(0, 4, (33, 47))] for _ in range(4)]
    path = tmp_path / "a.gif"
    with open(path, "wb") as f:
        write_gif(f, frames, delay_ms=100)
    movie = QMovie(str(path))
    assert movie.isValid() and movie.frameCount() == 4
    assert movie.jumpToFrame(0)
    for k in range(4):  # (the GIF reader goes forward only: frame after frame)
        assert np.array_equal(_rgb(movie.currentImage()), frames[k])
        if k < 3:
            assert movie.jumpToNextFrame()


@pytest.mark.parametrize("n", [0, 1, 2, 5000, 70000])
def test_lzw_round_trips_through_qt_for_long_and_noisy_data(qapp, n):
    """The table fills and restarts (4096 codes) on noise; every code width is right."""
    rng = np.random.default_rng(n)
    h = max(1, n // 250)
    w = max(1, n // h) if n else 1
    idx = rng.integers(0, 200, (h, w)).astype(np.uint8)
    idx[: h // 2] = idx[: h // 2] % 3  # some long, compressible stretches too
    colours = np.stack([np.arange(255), (7 * np.arange(255)) % 256, (31 * np.arange(255)) % 256], 1)
    frame = colours.astype(np.uint8)[idx]
    out = io.BytesIO()
    write_gif(out, [frame])
    reader, _buf = _reader(out.getvalue(), b"gif")
    img = reader.read()
    assert not img.isNull(), reader.errorString()
    assert np.array_equal(_rgb(img), frame)


def test_median_cut_keeps_few_colours_exactly_and_bounds_many():
    few = np.array([[[8, 16, 24], [200, 100, 40]]], np.uint8)
    assert len(median_cut([few])) == 2
    many = np.random.default_rng(0).integers(0, 256, (100, 100, 3)).astype(np.uint8)
    pal = Palette.for_frames([many])
    assert len(pal.colours) == 255 and pal.table.shape == (256, 3)
    assert pal.index(many).max() < 255  # index 255 stays free for "unchanged"
    assert lzw_encode(np.zeros(0, np.uint8))  # an empty image still ends properly


def test_apng_from_arrays_and_from_qt_pngs(qapp, tmp_path):
    frames = _frames(5)
    out = io.BytesIO()
    w = ApngWriter(out, len(frames))
    for f in frames[:3]:
        w.add_frame(f, 40)
    for f in frames[3:]:  # Qt-encoded PNG files, assembled chunk by chunk
        img = QImage(f.data, f.shape[1], f.shape[0], f.shape[1] * 3, QImage.Format.Format_RGB888).copy()
        qimg = img.convertToFormat(QImage.Format.Format_RGB888)
        buf = QBuffer()
        buf.open(QBuffer.OpenModeFlag.WriteOnly)
        qimg.save(buf, "PNG")
        png = bytes(buf.data())
        if chunks(png)[0][1] != chunks(encode_png(f))[0][1]:  # Qt's header differs: ours then
            png = encode_png(f)
        w.add_png(png, 40)
    w.close()
    data = out.getvalue()
    kinds = [k for k, _d in chunks(data)]
    assert kinds[:2] == [b"IHDR", b"acTL"] and kinds.count(b"fcTL") == 5 and b"fdAT" in kinds
    # a reader without animation support shows the first frame
    reader, _buf = _reader(data, b"png")
    assert np.array_equal(_rgb(reader.read()), frames[0])
    n, pngs, delays = read_apng(data)
    assert n == 5 and len(pngs) == 5 and delays == [0.04] * 5
    for want, png in zip(frames, pngs):
        assert np.array_equal(_rgb(QImage.fromData(png, "PNG")), want)


def test_apng_refuses_mismatched_frames_and_a_wrong_count():
    out = io.BytesIO()
    w = ApngWriter(out, 2)
    w.add_frame(np.zeros((4, 5, 3), np.uint8))
    with pytest.raises(ValueError):
        w.add_frame(np.zeros((5, 5, 3), np.uint8))
    with pytest.raises(ValueError):
        w.close()


def test_run_wise_lzw_writes_exactly_the_plain_walks_codes():
    """The run-by-run walk (√L steps per run) is the plain pixel-by-pixel LZW, code for code,
    across table restarts."""
    from nnviz.timeline.gif import _lzw_codes, _lzw_codes_plain

    rng = np.random.default_rng(0)
    cases = [np.zeros(0, np.uint8), np.zeros(1, np.uint8), np.zeros(200_000, np.uint8)]
    for _ in range(60):
        n = int(rng.integers(1, 2000))
        d = rng.integers(0, int(rng.integers(1, 6)), n).astype(np.uint8)
        cases.append(np.repeat(d, rng.integers(1, 40, n)) if rng.random() < 0.7 else d)
    cases.append(np.repeat(rng.integers(0, 255, 40_000).astype(np.uint8), rng.integers(1, 30, 40_000)))
    for d in cases:
        fast, plain = _lzw_codes(d), _lzw_codes_plain(d.tobytes())
        assert list(fast[0]) == list(plain[0]) and list(fast[1]) == list(plain[1])
