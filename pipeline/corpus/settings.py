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
cleaning on one core, so a crash loses little; a 10 GB corpus is 2,500 parts
(``--part-size`` sets it). A smaller corpus gets smaller parts (:func:`part_size_for`)."""

FEWEST_TASKS = 16
"""The tasks a small corpus is cut into by default, so each of several workers gets a
few, and none waits long for the last (four each for four workers)."""

SMALLEST_PART = 256_000
"""The smallest part a small corpus is cut into by default: a fraction of a second of
cleaning, well above a task's own cost."""


def part_size_for(total: int) -> int:
    """The default part size for a corpus of ``total`` input bytes: :data:`PART_SIZE`,
    or less, so it still makes :data:`FEWEST_TASKS` tasks, but never under
    :data:`SMALLEST_PART`. It depends on the corpus alone, never on the workers, so every
    engine and every ``-j`` cuts a corpus the same way.

    >>> part_size_for(10**9), part_size_for(16_000_000), part_size_for(8_000_000)
    (4000000, 1000000, 500000)
    >>> part_size_for(1_000_000), part_size_for(0)
    (256000, 256000)
    """
    return max(SMALLEST_PART, min(PART_SIZE, -(-total // FEWEST_TASKS)))


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
