"""leaflet: undo spinner damage in health articles and publish them as leaflets.

The public API:

- :func:`clean` — text in, :class:`Cleaned` out (``.text`` and ``.changes``).
- :func:`replay` — reapply a recorded plan of changes to the original text.
- :func:`build_document` — clean and section: the :class:`Document` renderers read.
- :func:`pipeline.render.render_html` and :func:`pipeline.render.render_pdf` publish it.
- :func:`pipeline.publish.build` and :func:`pipeline.publish.clean_batch` — whole batches.

Names are loaded when first used, so ``import pipeline`` (and ``leaflet --help``) costs
nothing the caller does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.article import build_document
    from pipeline.model import Change, Cleaned, Document
    from pipeline.normalise import CleanOptions, clean, replay

__version__ = "0.1.0"

_HOMES = {
    "Change": "pipeline.model",
    "Cleaned": "pipeline.model",
    "Document": "pipeline.model",
    "CleanOptions": "pipeline.normalise",
    "clean": "pipeline.normalise",
    "replay": "pipeline.normalise",
    "build_document": "pipeline.article",
}

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


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
