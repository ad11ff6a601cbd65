"""The standard top-level headings of a patient leaflet (data, and the one test on it).

Plain text has no way to say "back to the top" after a run of subsections: a heading
after running text is a sibling of the heading before it (:mod:`.sections`). But some
headings are top-level in every patient leaflet, whatever came before: a leaflet's
"Risks and precautions" or "When to get help" is never a kind of "Medical uses". A
heading that *starts with* one of these phrases goes back to level 2 when it follows
running text in plain text; Markdown's ``#`` marks are never second-guessed.

The phrases are matched on whole words, case-insensitively, after folding look-alike
letters, width variants and invisible characters (so uncleaned text matches too) and
skipping a leading number (``3. Side effects``). Whole words, so ``Risks`` matches
``Risks and Precautions`` but not ``Riskier Procedures``; and deliberately only
``risks``, not ``risk``: ``Risk Factors in Smokers`` is usually a part of a topic, and
stays where it is. Each phrase is specific enough that, at the start of a heading, it
names a section of its own (``contact us``, not ``contact``: ``Contact Dermatitis``).

>>> is_top_level_heading("Risks and Precautions"), is_top_level_heading("Riskier Procedures")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pipeline.chardata import LATIN_READING

TOP_LEVEL_HEADINGS: tuple[str, ...] = (
    "risks",
    "side effects",
    "safety",
    "precautions",
    "warnings",
    "when to get help",
    "when to seek",
    "summary",
    "conclusion",
    "conclusions",
    "further information",
    "more information",
    "contact us",
    "references",
    "about this",
)
"""Heading openings that always start a top-level section of a leaflet (lower case)."""

_WORD = re.compile(r"[^\W_]+")
_LEADING_NUMBERS = re.compile(r"^(?:\d+\s+)+")


@cache
def _phrases() -> tuple[str, ...]:
    """Each phrase with a trailing space, so a match ends at a word boundary."""
    return tuple(phrase + " " for phrase in TOP_LEVEL_HEADINGS)


def heading_words(heading: str) -> str:
    """The heading as lower-case Latin words with single spaces, leading numbers dropped.

    >>> heading_words("3. Side\\u00a0Eff\\u0435cts:")
    'side effects'
    """
    folded = "".join(c for c in unicodedata.normalize("NFKC", heading) if not _invisible(c))
    words = " ".join(_WORD.findall(folded.translate(LATIN_READING).casefold()))
    return _LEADING_NUMBERS.sub("", words + " ").strip()


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def is_top_level_heading(heading: str) -> bool:
    """The heading starts with one of :data:`TOP_LEVEL_HEADINGS`, on whole words.

    >>> [is_top_level_heading(h) for h in ("Side effects", "SAFETY", "Side issues")]
    [True, True, False]
    """
    return (heading_words(heading) + " ").startswith(_phrases())
