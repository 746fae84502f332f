"""Animated GIF files without a new dependency: a median-cut palette, an LZW encoder and the
file's blocks (Qt-free; the window's animation export feeds it RGB frames).

* :func:`median_cut` picks at most 255 colours for a set of frames (the 256th palette entry is
  kept for "unchanged": see below) from a 5-bit-per-channel histogram, so its cost does not
  grow with the number of pixels; :class:`Palette` maps any RGB frame to palette indices
  through one 32768-entry lookup table (NumPy, no per-pixel Python).
* :func:`lzw_encode` is GIF's variable-width LZW (the same code-width rule as giflib, which
  every reader follows). The dictionary walk goes run by run of equal pixels (NumPy finds
  them; see :func:`_lzw_codes`); the bit packing and the 255-byte sub-blocks are NumPy. Frames after the first are cut to
  the rectangle that changed, and inside it the unchanged pixels take the transparent index,
  so the walk meets long runs it compresses well.
* :class:`GifWriter` streams frames to an open binary file: header, global palette, the
  NETSCAPE2.0 loop block, then one graphic-control block and image per frame.
"""
from __future__ import annotations

from array import array

import numpy as np

#: The palette index that means "this pixel did not change" (transparent in frames after the first).
TRANSPARENT = 255
_BINS = 32  # histogram bins per channel (5 bits)


def _keys(rgb: np.ndarray) -> np.ndarray:
    """Each pixel's 15-bit histogram key (5 bits per channel) as a flat int array."""
    rgb = np.asarray(rgb, dtype=np.uint8).reshape(-1, 3)
    q = (rgb >> 3).astype(np.int32)
    return (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]


def _histogram(frames, stride: int = 1):
    """Pixel counts and RGB sums per 5-bit-per-channel bin of ``frames``."""
    counts = np.zeros(_BINS ** 3, dtype=np.int64)
    sums = np.zeros((_BINS ** 3, 3), dtype=np.float64)
    for f in frames:
        rgb = np.asarray(f, dtype=np.uint8).reshape(-1, 3)[::max(1, int(stride))]
        k = _keys(rgb)
        counts += np.bincount(k, minlength=_BINS ** 3)
        for c in range(3):
            sums[:, c] += np.bincount(k, weights=rgb[:, c], minlength=_BINS ** 3)
    return counts, sums


def median_cut(frames, n: int = 255, stride: int = 1, _boxes: list | None = None) -> np.ndarray:
    """At most ``n`` colours (an (m, 3) uint8 array, m ≤ n) for the RGB ``frames`` (arrays of
    shape (..., 3)); ``stride`` > 1 samples every stride-th pixel. Each colour is the mean of
    the pixels of its box, so an image of few colours (one per bin) keeps them exactly."""
    counts, sums = _histogram(frames, stride)
    keys = np.flatnonzero(counts)
    if not len(keys):
        return np.zeros((1, 3), dtype=np.uint8)
    cols = np.column_stack([(keys >> 10) & 31, (keys >> 5) & 31, keys & 31]).astype(np.float64)
    w = counts[keys].astype(np.float64)

    def score(b):
        if len(b) < 2:
            return -1.0
        c = cols[b]
        return float((c.max(axis=0) - c.min(axis=0)).max()) * float(np.sqrt(w[b].sum()))

    boxes = [np.arange(len(keys))]
    scores = [score(boxes[0])]
    while len(boxes) < n:  # ≤ 255 splits, each a few array operations
        best = int(np.argmax(scores))
        if scores[best] <= 0:
            break
        b = boxes.pop(best)
        scores.pop(best)
        c = cols[b]
        axis = int(np.argmax(c.max(axis=0) - c.min(axis=0)))
        order = b[np.argsort(c[:, axis], kind="stable")]
        cw = np.cumsum(w[order])
        cut = int(np.searchsorted(cw, cw[-1] / 2.0))
        cut = min(max(cut, 1), len(order) - 1)
        for part in (order[:cut], order[cut:]):
            boxes.append(part)
            scores.append(score(part))
    pal = np.array([sums[keys[b]].sum(axis=0) / w[b].sum() for b in boxes])
    if _boxes is not None:
        _boxes.extend(keys[b] for b in boxes)
    return np.clip(np.rint(pal), 0, 255).astype(np.uint8)


class Palette:
    """A fixed palette (≤ 255 colours; index 255 stays free for :data:`TRANSPARENT`) and the
    lookup table from every 5-bit-per-channel colour to its nearest entry."""

    def __init__(self, colours: np.ndarray):
        colours = np.asarray(colours, dtype=np.uint8).reshape(-1, 3)[:255]
        if not len(colours):
            colours = np.zeros((1, 3), dtype=np.uint8)
        self.colours = colours
        table = np.zeros((256, 3), dtype=np.uint8)
        table[:len(colours)] = colours
        self.table = table  # the 256-entry palette as written to the file
        keys = np.arange(_BINS ** 3)
        centre = np.column_stack([(keys >> 10) & 31, (keys >> 5) & 31, keys & 31]) * 8.0 + 4.0
        pal = colours.astype(np.float64)
        # nearest entry by |c - p|² = |c|² - 2 c·p + |p|² (one matrix product; |c|² is the same per row)
        lut = (pal ** 2).sum(axis=1)[None, :] - 2.0 * centre @ pal.T
        lut = lut.argmin(axis=1).astype(np.uint8)
        self.lut = lut

    @classmethod
    def for_frames(cls, frames, stride: int = 1) -> "Palette":
        """The median-cut palette of ``frames``; every colour bin they use maps to its own box's
        entry (the nearest entry only for colours they do not hold)."""
        boxes: list = []
        pal = cls(median_cut(frames, 255, stride, boxes))
        for i, keys in enumerate(boxes):
            pal.lut[keys] = i
        return pal

    def index(self, rgb: np.ndarray) -> np.ndarray:
        """An (h, w, 3) uint8 frame as (h, w) palette indices."""
        rgb = np.asarray(rgb, dtype=np.uint8)
        return self.lut[_keys(rgb)].reshape(rgb.shape[:2])


def lzw_encode(indices, min_code_size: int = 8) -> bytes:
    """GIF LZW of the byte values ``indices`` (each < 2**min_code_size) as the image data's
    sub-blocks (without the leading code-size byte and the terminating 0 block)."""
    codes, widths = _lzw_codes(np.ascontiguousarray(indices, dtype=np.uint8).ravel(), min_code_size)
    return _sub_blocks(_pack(np.frombuffer(codes, dtype=np.uint16), np.frombuffer(widths, dtype=np.uint8)))


def _lzw_codes(d: np.ndarray, mcs: int = 8):
    """The LZW codes of ``d`` and their widths (giflib's rule: a code is written with the
    current width; the width grows once the next free code reaches it; at 4095 a clear code
    starts a new table).

    The walk goes run by run (NumPy finds the runs of equal values): inside a run of ``v`` the
    greedy match only ever extends through the strings ``v``, ``vv``, ``vvv`` …, whose codes
    are kept in order per value, so a run of length L costs about √(2L) steps, not L."""
    clear, first = 1 << mcs, (1 << mcs) + 2
    codes, widths = array("H", [clear]), array("B", [mcs + 1])
    emit_c, emit_w = codes.append, widths.append
    bits, limit, running = mcs + 1, 1 << (mcs + 1), first
    table: dict[int, int] = {}
    pure: dict[int, list] = {}   # value → codes of v, vv, vvv … (in the current table)
    get = table.get

    def emit_add(code: int, key: int):
        """Write ``code``, then give ``key`` the next free code (None: the table restarted)."""
        nonlocal bits, limit, running
        emit_c(code)
        emit_w(bits)
        if running >= limit:
            bits += 1
            limit <<= 1
        if running >= 4095:
            emit_c(clear)
            emit_w(bits)
            running, bits, limit = first, mcs + 1, 1 << (mcs + 1)
            table.clear()
            pure.clear()
            return None
        table[key] = running
        running += 1
        return running - 1

    cur, pj = -1, 0   # the current string's code; pj = j when it is v^j of the run's value v
    if len(d):
        starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
        lengths = np.diff(np.r_[starts, len(d)])
        for v, n in zip(d[starts].tolist(), lengths.tolist()):
            if cur < 0:
                cur, pj = v, 1
            else:
                nxt = get((cur << 8) | v)
                if nxt is not None:
                    cur, pj = nxt, 0
                else:
                    emit_add(cur, (cur << 8) | v)
                    cur, pj = v, 1
            n -= 1
            while n and not pj:  # a mixed string ending in v: the plain walk until it is written
                n -= 1
                key = (cur << 8) | v
                nxt = get(key)
                if nxt is not None:
                    cur = nxt
                else:
                    emit_add(cur, key)
                    cur, pj = v, 1
            if not n:
                continue
            chain = pure.get(v)
            if chain is None:
                chain = pure[v] = [v]
            while n:
                can = len(chain) - pj
                if n <= can:
                    pj += n
                    cur = chain[pj - 1]
                    break
                n -= can + 1  # the longest v^m known, then the v that is not in the table yet
                cur = chain[-1]
                new = emit_add(cur, (cur << 8) | v)
                if new is None:
                    chain = pure[v] = [v]
                else:
                    chain.append(new)
                cur, pj = v, 1
        emit_c(cur)
        emit_w(bits)
        if running >= limit and bits < 12:
            bits += 1
    emit_c(clear + 1)
    emit_w(bits)
    return codes, widths


def _lzw_codes_plain(data: bytes, mcs: int = 8):
    """The same codes, pixel by pixel (the reference the run-wise walk is tested against)."""
    clear, first = 1 << mcs, (1 << mcs) + 2
    codes, widths = array("H", [clear]), array("B", [mcs + 1])
    bits, limit, running = mcs + 1, 1 << (mcs + 1), first
    table: dict[int, int] = {}
    if data:
        cur = data[0]
        for px in data[1:]:
            key = (cur << 8) | px
            nxt = table.get(key)
            if nxt is not None:
                cur = nxt
                continue
            codes.append(cur)
            widths.append(bits)
            if running >= limit:
                bits += 1
                limit <<= 1
            cur = px
            if running >= 4095:
                codes.append(clear)
                widths.append(bits)
                running, bits, limit = first, mcs + 1, 1 << (mcs + 1)
                table.clear()
            else:
                table[key] = running
                running += 1
        codes.append(cur)
        widths.append(bits)
        if running >= limit and bits < 12:
            bits += 1
    codes.append(clear + 1)
    widths.append(bits)
    return codes, widths


def _pack(codes: np.ndarray, widths: np.ndarray) -> bytes:
    """Variable-width codes, least significant bit first, as bytes."""
    shifts = np.arange(12, dtype=np.uint16)
    bitmat = ((codes[:, None] >> shifts[None, :]) & 1).astype(np.uint8)
    bits = bitmat[shifts[None, :] < widths[:, None]]  # row-major: each code's bits in order
    return np.packbits(bits, bitorder="little").tobytes()


def _sub_blocks(data: bytes) -> bytes:
    """``data`` as GIF sub-blocks: a length byte (≤ 255) before each piece."""
    n = len(data)
    full, rest = divmod(n, 255)
    out = np.empty(full * 256, dtype=np.uint8)
    if full:
        blocks = out.reshape(full, 256)
        blocks[:, 0] = 255
        blocks[:, 1:] = np.frombuffer(data, dtype=np.uint8, count=full * 255).reshape(full, 255)
    tail = bytes([rest]) + data[full * 255:] if rest else b""
    return out.tobytes() + tail


class GifWriter:
    """Writes an animated GIF, frame by frame, to ``fileobj`` (open for binary writing).

    ``palette``: a :class:`Palette` for every frame (see :meth:`Palette.for_frames`);
    ``loop``: times to repeat (0: for ever). Call :meth:`add_frame` for each (h, w, 3) uint8
    frame, then :meth:`close` (which writes the trailer; the file object stays open).
    """

    def __init__(self, fileobj, width: int, height: int, palette: Palette, loop: int = 0):
        if not (0 < width < 65536 and 0 < height < 65536):
            raise ValueError(f"a GIF frame is 1..65535 pixels wide and high, not {width}×{height}")
        self.f, self.width, self.height, self.palette = fileobj, int(width), int(height), palette
        self._prev: np.ndarray | None = None
        self.frames = 0
        w = self.f.write
        w(b"GIF89a")
        w(np.array([self.width, self.height], dtype="<u2").tobytes())
        w(bytes([0xF7, 0, 0]))  # a global table of 256 colours (8 bits each)
        w(palette.table.tobytes())
        w(b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + np.array([loop], dtype="<u2").tobytes() + b"\x00")

    def add_frame(self, rgb: np.ndarray, delay_ms: int = 100) -> None:
        rgb = np.asarray(rgb, dtype=np.uint8)
        if rgb.shape != (self.height, self.width, 3):
            raise ValueError(f"frame of shape {rgb.shape}, expected {(self.height, self.width, 3)}")
        idx = self.palette.index(rgb)
        x0, y0, sub, transparent = 0, 0, idx, False
        if self._prev is not None:
            changed = idx != self._prev
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if not len(rows):  # nothing changed: one transparent pixel carries the delay
                rows, cols = np.array([0]), np.array([0])
                changed = np.zeros_like(changed)
            y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
            sub = np.where(changed[y0:y1, x0:x1], idx[y0:y1, x0:x1], TRANSPARENT).astype(np.uint8)
            transparent = True
        self._prev = idx
        delay = max(2, int(round(delay_ms / 10)))  # hundredths of a second (readers clamp < 2)
        w = self.f.write
        # graphic control: disposal 1 (leave the frame in place), transparency from the 2nd frame on
        w(b"\x21\xf9\x04" + bytes([(1 << 2) | int(transparent)])
          + np.array([delay], dtype="<u2").tobytes() + bytes([TRANSPARENT, 0]))
        h, wd = sub.shape
        w(b"\x2c" + np.array([x0, y0, wd, h], dtype="<u2").tobytes() + b"\x00")
        w(b"\x08" + lzw_encode(sub, 8) + b"\x00")
        self.frames += 1

    def close(self) -> None:
        self.f.write(b"\x3b")


def write_gif(fileobj, frames, delay_ms: int = 100, loop: int = 0) -> int:
    """All ``frames`` ((h, w, 3) uint8, same size) as one animated GIF; returns the frame count."""
    frames = list(frames)
    if not frames:
        raise ValueError("an animation needs at least one frame")
    h, w = frames[0].shape[:2]
    writer = GifWriter(fileobj, w, h, Palette.for_frames(frames, stride=max(1, h * w * len(frames) // 2_000_000)), loop)
    for f in frames:
        writer.add_frame(f, delay_ms)
    writer.close()
    return writer.frames
