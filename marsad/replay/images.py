"""The replay publisher's pictures: a small PNG per article, drawn from its number.

Real pages carry a lead image; the corpus has none, so the publisher draws one (colour bands
from a hash of the article's address) to let the demo and the tests show and fetch pictures.
"""

from __future__ import annotations

import struct
import zlib

WIDTH, HEIGHT = 640, 360


def article_png(source: str, number: int) -> bytes:
    """A PNG for one article: two colour bands and a diagonal, stable for the address."""
    seed = zlib.crc32(f"{source}/{number}".encode())
    top = ((seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF)
    bottom = tuple(255 - c // 2 for c in top)
    rows = []
    for y in range(HEIGHT):
        colour = bytes(top if y < HEIGHT * 2 // 3 else bottom)
        line = bytearray(colour * WIDTH)
        x = (y * WIDTH) // HEIGHT
        line[x * 3 : x * 3 + 24] = b"\xff" * min(24, (WIDTH - x) * 3)
        rows.append(b"\x00" + bytes(line))
    raw = zlib.compress(b"".join(rows), 6)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)),
            _chunk(b"IDAT", raw),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
