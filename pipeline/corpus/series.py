"""Cleaning inside a user's own pandas or Dask job.

:func:`clean_series` cleans a column of texts; :func:`clean_frame` also adds leaflet's
columns, as ``leaflet clean`` writes them. Both suit ``map_partitions``::

    ddf["text"] = ddf["text"].map_partitions(pipeline.clean_series)
    ddf = ddf.map_partitions(pipeline.clean_frame, text_field="text")

Values that cannot be cleaned (null, not a string, too large) are kept as they are; the
cleaner's tables are loaded once per process, on first use.
"""

from __future__ import annotations

from typing import Any

from pipeline.corpus.record import MISSING, clean_value, own_field_problem
from pipeline.corpus.settings import MAX_RECORD_SIZE, CorpusSettings
from pipeline.corpus.task import added_fields
from pipeline.errors import InputError
from pipeline.normalise import CleanOptions


def clean_series(
    series: Any,
    options: CleanOptions | None = None,
    *,
    max_record_size: int = MAX_RECORD_SIZE,
) -> Any:
    """A pandas Series of texts, cleaned: same index, name and (string) dtype.

    >>> import pandas as pd
    >>> texts = pd.Series(["c\\u0435l\\u0435brat\\u0435d", None], index=[7, 9], name="text")
    >>> cleaned = clean_series(texts)
    >>> cleaned[7], cleaned.isna()[9], cleaned.name
    ('celebrated', np.True_, 'text')
    """
    settings = CorpusSettings(max_record_size=max_record_size, options=options or CleanOptions())
    return _like(series, [clean_value(value, settings).text for value in series])


def clean_frame(
    frame: Any,
    *,
    text_field: str = "text",
    with_changes: bool = False,
    options: CleanOptions | None = None,
    max_record_size: int = MAX_RECORD_SIZE,
) -> Any:
    """A copy of a pandas DataFrame with ``text_field`` cleaned and leaflet's columns
    added (``leaflet_changes`` as a dict of counts by stage, ``leaflet_suspects``,
    ``leaflet_error``, and ``leaflet_changes_json`` with ``with_changes``). A frame that
    has a column of one of those names already is refused (an
    :class:`~pipeline.errors.InputError`), never written over.

    >>> import pandas as pd
    >>> cleaned = clean_frame(pd.DataFrame({"text": ["an’ so", 7]}))
    >>> cleaned["leaflet_error"].tolist()
    [None, "not text: the 'text' field is a number"]
    """
    problem = own_field_problem([text_field, *frame.columns])
    if problem is not None:
        raise InputError(f"the frame {problem}")
    settings = CorpusSettings(
        text_field, with_changes=with_changes, max_record_size=max_record_size,
        options=options or CleanOptions(),
    )  # fmt: skip
    column = frame[text_field] if text_field in frame.columns else [MISSING] * len(frame)
    results = [clean_value(value, settings) for value in column]
    out = frame.copy()
    if text_field in frame.columns:
        out[text_field] = _like(frame[text_field], [r.text for r in results])
    fields = [added_fields(r, settings) for r in results]
    for name in added_fields(clean_value("", settings), settings):
        out[name] = _object_column([f[name] for f in fields], frame.index)
    return out


def _like(original: Any, values: list[Any]) -> Any:
    """``values`` as a Series with the index, name and dtype of ``original``."""
    import pandas as pd

    return pd.Series(values, index=original.index, name=original.name, dtype=original.dtype)


def _object_column(values: list[Any], index: Any) -> Any:
    import pandas as pd

    return pd.Series(values, index=index, dtype=object)
