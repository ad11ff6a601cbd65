"""The QR code that takes a patient from the printed leaflet to its web version.

:func:`qr_png` draws the address as a QR code with segno: a PNG of black and white
modules (error correction level M or better, the standard four-module quiet zone), the
same bytes for the same address. The web page embeds it as a ``data:`` URL; the PDF
draws the same image, without smoothing, so every module stays a sharp square.

>>> qr_png("https://gp.example/leaflets/aspirin.html")[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import segno

SCALE = 8
"""Pixels per module in the PNG: a version-4 code (most leaflet addresses) is 328 pixels
square with its border, sharp at 30 mm wide in print."""


@lru_cache(maxsize=64)
def qr_png(address: str) -> bytes:
    """``address`` as a QR code, a PNG image."""
    code = segno.make_qr(address, error="m")  # the level is raised when it costs no size
    out = io.BytesIO()
    code.save(out, kind="png", scale=SCALE, border=4)
    return out.getvalue()


def qr_data_url(address: str) -> str:
    """The QR code for ``address`` as a ``data:`` URL."""
    return "data:image/png;base64," + base64.b64encode(qr_png(address)).decode("ascii")
