"""Animated PNG (APNG) files without a new dependency (Qt-free).

An APNG is a PNG whose first frame is the ordinary image (what a reader without animation
support shows) plus ``acTL`` (how many frames), one ``fcTL`` per frame (size, place, delay) and
the later frames' compressed pixels in ``fdAT`` chunks (``IDAT`` data after a sequence number).
:class:`ApngWriter` assembles it from whole PNG files, e.g. frames that Qt encoded
(``QImage.save(buffer, "PNG")``, libpng's adaptive filters), or encodes RGB arrays itself
(:func:`encode_png`: filter "Up" in NumPy, then zlib). :func:`read_apng` splits a file back
into its frames as standalone PNG files (for tests and checks).
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The ``(type, data)`` chunks of a PNG file (ValueError if it is not one)."""
    if not png.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    out, pos = [], len(SIGNATURE)
    while pos + 8 <= len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if pos + 12 + n > len(png):
            raise ValueError("a PNG chunk runs past the end of the file")
        out.append((kind, png[pos + 8:pos + 8 + n]))
        pos += 12 + n
        if kind == b"IEND":
            break
    return out


def encode_png(rgb: np.ndarray, level: int = 6) -> bytes:
    """An (h, w, 3) or (h, w, 4) uint8 array as a PNG file (8-bit RGB or RGBA)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, c = rgb.shape
    if c not in (3, 4):
        raise ValueError("PNG frames are RGB or RGBA")
    rows = rgb.reshape(h, w * c)
    up = rows.copy()
    up[1:] -= rows[:-1]  # filter 2 ("Up"): each byte minus the one above, modulo 256
    raw = np.empty((h, w * c + 1), dtype=np.uint8)
    raw[:, 0] = 2
    raw[0, 0] = 0  # the first row has nothing above it
    raw[0, 1:] = rows[0]
    raw[1:, 1:] = up[1:]
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2 if c == 3 else 6, 0, 0, 0)
    return (SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw.tobytes(), level))
            + chunk(b"IEND", b""))


class ApngWriter:
    """Writes an APNG of ``n_frames`` frames to ``fileobj`` (open for binary writing).

    Every frame is a whole PNG (:meth:`add_png`) or an RGB(A) array (:meth:`add_frame`); all
    have the same size and pixel format (the first frame's header is the file's). ``loop``:
    times to play (0: for ever). :meth:`close` checks that ``n_frames`` came and ends the file.
    """

    def __init__(self, fileobj, n_frames: int, loop: int = 0):
        if n_frames < 1:
            raise ValueError("an animation needs at least one frame")
        self.f, self.n_frames, self.loop = fileobj, int(n_frames), int(loop)
        self.frames = 0
        self._seq = 0
        self._ihdr: bytes | None = None

    def add_frame(self, rgb: np.ndarray, delay_ms: int = 100) -> None:
        self.add_png(encode_png(rgb), delay_ms)

    def add_png(self, png: bytes, delay_ms: int = 100) -> None:
        if self.frames >= self.n_frames:
            raise ValueError(f"this animation was announced with {self.n_frames} frames")
        parts = chunks(bytes(png))
        ihdr = next((d for k, d in parts if k == b"IHDR"), None)
        idat = [d for k, d in parts if k == b"IDAT"]
        if ihdr is None or not idat:
            raise ValueError("a PNG frame without a header or pixels")
        w, h = struct.unpack(">II", ihdr[:8])
        write = self.f.write
        if self._ihdr is None:
            self._ihdr = ihdr
            write(SIGNATURE + chunk(b"IHDR", ihdr))
            write(chunk(b"acTL", struct.pack(">II", self.n_frames, self.loop)))
            first_idat = next(i for i, (k, _d) in enumerate(parts) if k == b"IDAT")
            for kind, data in parts[:first_idat]:   # the palette, colour space … of the first frame
                if kind not in (b"IHDR", b"acTL", b"fcTL"):
                    write(chunk(kind, data))
        elif ihdr != self._ihdr:
            raise ValueError("every frame of an APNG needs the first frame's size and pixel format")
        # delay as a fraction: delay_ms / 1000 s; dispose none, blend "source" (replace the pixels)
        write(chunk(b"fcTL", struct.pack(">IIIIIHHBB", self._next(), w, h, 0, 0,
                                         max(0, int(delay_ms)), 1000, 0, 0)))
        if self.frames == 0:
            for d in idat:
                write(chunk(b"IDAT", d))
        else:
            for d in idat:
                write(chunk(b"fdAT", struct.pack(">I", self._next()) + d))
        self.frames += 1

    def _next(self) -> int:
        self._seq += 1
        return self._seq - 1

    def close(self) -> None:
        if self.frames != self.n_frames:
            raise ValueError(f"{self.frames} frames written of the {self.n_frames} announced")
        self.f.write(chunk(b"IEND", b""))


def read_apng(data: bytes) -> tuple[int, list[bytes], list[float]]:
    """``(announced frame count, frames as standalone PNG files, delays in seconds)``."""
    parts = chunks(data)
    ihdr = next(d for k, d in parts if k == b"IHDR")
    n = next((struct.unpack(">I", d[:4])[0] for k, d in parts if k == b"acTL"), 1)
    frames, delays, current = [], [], None
    for kind, d in parts:
        if kind == b"fcTL":
            if current is not None:
                frames.append(current)
            _seq, w, h, _x, _y, num, den = struct.unpack(">IIIIIHH", d[:24])
            delays.append(num / (den or 100))
            current = [struct.pack(">II", w, h) + ihdr[8:]]
        elif kind in (b"IDAT", b"fdAT") and current is not None:
            current.append(d if kind == b"IDAT" else d[4:])
    if current is not None:
        frames.append(current)
    pngs = [SIGNATURE + chunk(b"IHDR", f[0]) + b"".join(chunk(b"IDAT", x) for x in f[1:])
            + chunk(b"IEND", b"") for f in frames]
    return n, pngs, delays
