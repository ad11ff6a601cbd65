"""leaflet: undo spinner damage in health articles and publish them as leaflets.

The public API:

- :func:`clean` — text in, :class:`Cleaned` out (``.text`` and ``.changes``).
- :func:`replay` — reapply a recorded plan of changes to the original text.
- :func:`build_document` — clean and section: the :class:`Document` renderers read.
- :func:`resolve_signoff` — what a leaflet is signed off with (:class:`LeafletSignOff`):
  the article's own :class:`ArticleMeta`, else the clinic's defaults.
- :func:`pipeline.render.render_html` and :func:`pipeline.render.render_pdf` publish it.
- :func:`pipeline.publish.build` and :func:`pipeline.publish.clean_batch` — whole batches.
- :func:`clean_corpus` — clean a JSON Lines or Parquet corpus, locally or on Dask;
  :func:`clean_series` and :func:`clean_frame` clean inside a pandas or Dask job.

Names are loaded when first used, so ``import pipeline`` (and ``leaflet --help``) costs
nothing the caller does not need: neither spaCy, WeasyPrint, Dask, pandas nor pyarrow.

Errors a user can cause are subclasses of :class:`LeafletError`, with a one-line message
that names the file and says what to do: :class:`InputError` (an article, its front matter or
sidecar), :class:`ConfigError` (``leaflet.toml``, a logo), :class:`OutputError` (a file
that cannot be written). Text passed as bytes is a :class:`TypeError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.errors import ConfigError, InputError, LeafletError, OutputError
from pipeline.lazy import lazy_names
from pipeline.version import __version__

if TYPE_CHECKING:
    from pipeline.article import build_document
    from pipeline.corpus import CorpusResult, clean_corpus, clean_frame, clean_series
    from pipeline.model import ArticleMeta, Change, Cleaned, Document
    from pipeline.normalise import CleanOptions, clean, replay
    from pipeline.signoff import LeafletSignOff, resolve_signoff


_HOMES = {
    "ArticleMeta": "pipeline.model",
    "Change": "pipeline.model",
    "Cleaned": "pipeline.model",
    "Document": "pipeline.model",
    "CleanOptions": "pipeline.normalise",
    "clean": "pipeline.normalise",
    "replay": "pipeline.normalise",
    "build_document": "pipeline.article",
    "LeafletSignOff": "pipeline.signoff",
    "resolve_signoff": "pipeline.signoff",
    "CorpusResult": "pipeline.corpus",
    "clean_corpus": "pipeline.corpus",
    "clean_frame": "pipeline.corpus",
    "clean_series": "pipeline.corpus",
}

__all__ = [
    "ArticleMeta",
    "Change",
    "CleanOptions",
    "Cleaned",
    "ConfigError",
    "CorpusResult",
    "Document",
    "InputError",
    "LeafletError",
    "LeafletSignOff",
    "OutputError",
    "__version__",
    "build_document",
    "clean",
    "clean_corpus",
    "clean_frame",
    "clean_series",
    "replay",
    "resolve_signoff",
]


__getattr__ = lazy_names(__name__, _HOMES)
