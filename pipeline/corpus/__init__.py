"""Cleaning corpora: JSON Lines and Parquet, on local workers or a Dask cluster.

The cleaner is one block (:func:`~pipeline.corpus.record.clean_value`) over a stream of
records; a corpus is cut into tasks (:mod:`~pipeline.corpus.plan`), each of which reads
its slice, cleans it and writes its own parts and a completion marker
(:mod:`~pipeline.corpus.task`); an engine chosen at the edge runs the tasks
(:mod:`~pipeline.corpus.local` or :mod:`~pipeline.corpus.cluster`).

- :func:`clean_corpus` — files, folders or globs in, a folder of cleaned parts out.
- :func:`clean_series`, :func:`clean_frame` — for a user's own pandas or Dask job.

Importing this package imports nothing but itself (its names are loaded when first used),
so ``leaflet --help`` can declare the corpus options; pandas, pyarrow and Dask are
imported when a corpus is read or a Series is cleaned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.lazy import lazy_names

if TYPE_CHECKING:
    from pipeline.corpus.report import CorpusResult
    from pipeline.corpus.run import clean_corpus
    from pipeline.corpus.series import clean_frame, clean_series
    from pipeline.corpus.settings import ENGINES
    from pipeline.corpus.sources import is_corpus

_HOMES = {
    "CorpusResult": "pipeline.corpus.report",
    "clean_corpus": "pipeline.corpus.run",
    "clean_frame": "pipeline.corpus.series",
    "clean_series": "pipeline.corpus.series",
    "ENGINES": "pipeline.corpus.settings",
    "is_corpus": "pipeline.corpus.sources",
}

__all__ = ["ENGINES", "CorpusResult", "clean_corpus", "clean_frame", "clean_series", "is_corpus"]


__getattr__ = lazy_names(__name__, _HOMES)
