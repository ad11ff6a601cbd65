"""What a corpus run does to every record: one frozen object, the same in every worker."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipeline.corpus.formats import FORMATS, Format

if TYPE_CHECKING:
    from pipeline.normalise import CleanOptions

Engine = Literal["local", "dask"]
ENGINES: tuple[Engine, ...] = ("local", "dask")
"""Where a corpus is cleaned: this machine's cores, or a Dask cluster."""

MAX_RECORD_SIZE = 4_000_000
"""The largest text cleaned by default, in UTF-8 bytes: a long book is about 3 MB."""

PART_SIZE = 4_000_000
"""How much input, in bytes, goes into one output part by default: a few seconds of
cleaning on one core, so even a small corpus spreads over the workers and a crash loses
little; a 10 GB corpus is 2,500 parts (``--part-size`` sets it)."""

BATCH_RECORDS = 1000
"""Records read, cleaned and written together (progress is told record by record)."""


@dataclass(frozen=True)
class CorpusSettings:
    """Everything about a run that every task needs.

    ``text_field`` names the column to clean; ``id_field``, if given, the column that
    identifies a record in the report; ``with_changes`` adds each record's full change
    list as JSON; a text over ``max_record_size`` UTF-8 bytes is kept as it is, with an
    error; ``part_size`` is the input bytes per output part; ``output`` is the parts'
    format.
    """

    text_field: str = "text"
    id_field: str | None = None
    with_changes: bool = False
    max_record_size: int = MAX_RECORD_SIZE
    part_size: int = PART_SIZE
    output: Format = FORMATS[".parquet"]
    options: CleanOptions = field(default_factory=lambda: _all_stages())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _all_stages() -> CleanOptions:
    """Every cleaning stage on (imported here, so declaring options loads no cleaner)."""
    from pipeline.normalise import CleanOptions

    return CleanOptions()
