"""The ``encoding`` stage: ftfy's repairs, with curly quotes and character widths kept.

ftfy runs only on the lines that could need it (:func:`~.apply.needs_ftfy`: a character
that could be mojibake, an entity, a control character), so clean text, and text whose only
damage is look-alike letters, never goes through ftfy's whole repair pass. The difference
is recorded as changes: lines first, then the words that differ inside them.

>>> [(c.before, c.after) for c in propose("caf\\u00c3\\u00a9 &amp; bar", ())]
[('cafÃ©', 'café'), ('&amp;', '&')]
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Change
from pipeline.normalise.apply import diff_changes, fix_with_ftfy
from pipeline.normalise.rounds import Ftfy
from pipeline.stages import ENCODING

STAGE = ENCODING
FTFY: Ftfy = "own"  # its changes are ftfy's own: nothing to settle


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """Changes that turn ``text`` into what ftfy makes of it."""
    fixed = fix_with_ftfy(text)
    if fixed == text:
        return []
    return list(diff_changes(text, fixed, STAGE, "ftfy"))


def may_change(text: str) -> bool:
    """Whether the stage changes ``text``: ftfy's repairs, run on the lines that need them."""
    return fix_with_ftfy(text) != text
