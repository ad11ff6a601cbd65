"""leaflet: undo spinner damage in health articles and publish them as leaflets.

The public API:

- :func:`clean` — text in, :class:`Cleaned` out (``.text`` and ``.changes``).
- :func:`replay` — reapply a recorded plan of changes to the original text.
- :func:`build_document` — clean and section: the :class:`Document` renderers read.
- :func:`pipeline.render.render_html` and :func:`pipeline.render.render_pdf` publish it.
"""

from __future__ import annotations

from pipeline.article import build_document
from pipeline.model import Change, Cleaned, Document
from pipeline.normalise import CleanOptions, clean, replay

__version__ = "0.1.0"

__all__ = [
    "Change",
    "CleanOptions",
    "Cleaned",
    "Document",
    "__version__",
    "build_document",
    "clean",
    "replay",
]
