"""leaflet: undo spinner damage in health articles and publish them as leaflets.

The public API:

- :func:`clean` — text in, :class:`Cleaned` out (``.text`` and ``.changes``).
- :func:`replay` — reapply a recorded plan of changes to the original text.
- :func:`build_document` — clean and section: the :class:`Document` renderers read.
- :func:`pipeline.render.render_html` and :func:`pipeline.render.render_pdf` publish it.
- :func:`clean_corpus` — clean a JSON Lines or Parquet corpus, locally or on Dask;
  :func:`clean_series` and :func:`clean_frame` clean inside a pandas or Dask job.
  (Imported on first use, so ``import pipeline`` imports neither Dask, pandas nor pyarrow.)
"""

from __future__ import annotations

from typing import Any

from pipeline.article import build_document
from pipeline.model import Change, Cleaned, Document
from pipeline.normalise import CleanOptions, clean, replay
from pipeline.version import __version__

_CORPUS = ("CorpusResult", "clean_corpus", "clean_frame", "clean_series")


def __getattr__(name: str) -> Any:
    """The corpus API, imported when first asked for."""
    if name in _CORPUS:
        import pipeline.corpus

        return getattr(pipeline.corpus, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = [
    "Change",
    "CleanOptions",
    "Cleaned",
    "CorpusResult",
    "Document",
    "__version__",
    "build_document",
    "clean",
    "clean_corpus",
    "clean_frame",
    "clean_series",
    "replay",
]
