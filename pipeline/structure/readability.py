"""How easy the body text is to read: Flesch reading ease and Flesch–Kincaid grade.

Offline and deterministic. Words are runs of letters and digits (``non-steroidal`` and
``don't`` are one word each); sentences are the paragraphs' sentences from spaCy, and
each list item counts as one sentence (items are usually fragments, and a list of
fragments read one by one is as easy as short sentences). Title and headings are not
body text.

Syllables come from :func:`count_syllables`, a vowel-group counter with the usual English
adjustments (the rule tables of Greg Fast's Lingua::EN::Syllable). It is right for most
everyday words and off by one for some; Flesch scores only need the average.

>>> from pipeline.model import Paragraph, Section
>>> reading_level([Section(None, 2, (Paragraph("The cat sat.", ("The cat sat.",)),))])
ReadingLevel(flesch_reading_ease=119.2, grade=-2.6, words=3, sentences=1, syllables=3)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pipeline.model import ListBlock, ReadingLevel, Section
from pipeline.structure.body import TextBlock, body_blocks

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")

# fmt: off
# Vowel groups that are one syllable too many (-1), or one too few (+1). After Greg Fast's
# Lingua::EN::Syllable, with the endings -le, -ed, -es and -ing made explicit.
_SUBTRACT = tuple(
    re.compile(p)
    for p in (
        "cial", "tia", "cius", "giu", "ion", "[cgtx]iou", "sia$", ".ely$",
        "[^aeiouy]e$",  # silent e: make, medicine (not "table": see below)
        "[^aeiouytd]ed$",  # loved, used (not wanted, needed)
        "[^aeiouysxzcgh]es$",  # makes, migraines (not uses, boxes, changes, watches)
    )
)
_ADD = tuple(
    re.compile(p)
    for p in (
        "ia", "riet", "dien", "iu", "io", "ii", "^mc", "ism$", "[^l]lien", "^coa[dglx].",
        "[^gq]ua[^auieo]", "dnt$",
        "[^aeiouy]les?$",  # ta-ble, wrin-kles: the e is silent, the l is not
        "[^aeiou]ea$",  # i-de-a, ar-e-a
        "[aeiouy]ing$",  # be-ing, go-ing
    )
)
# fmt: on


def reading_level(sections: Iterable[Section]) -> ReadingLevel | None:
    """The reading level of the body text, or ``None`` if there is none."""
    words = sentences = syllables = 0
    for block in body_blocks(sections):
        texts = block.items if isinstance(block, ListBlock) else (block.text,)
        found = [word for text in texts for word in words_in(text)]
        words += len(found)
        syllables += sum(count_syllables(word) for word in found)
        sentences += _sentence_count(block)
    if words == 0:
        return None
    ease, grade = flesch(words, max(sentences, 1), syllables)
    return ReadingLevel(ease, grade, words, sentences, syllables)


def _sentence_count(block: TextBlock) -> int:
    if isinstance(block, ListBlock):
        return len(block.items)
    return max(len(block.sentences), 1)


def flesch(words: int, sentences: int, syllables: int) -> tuple[float, float]:
    """Flesch reading ease and Flesch–Kincaid grade, rounded to one decimal.

    >>> flesch(100, 5, 150)
    (59.6, 9.9)
    """
    per_sentence = words / sentences
    per_word = syllables / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return round(ease, 1), round(grade, 1)


def words_in(text: str) -> list[str]:
    """The words of a text.

    >>> words_in("Non-steroidal drugs (NSAIDs) don't suit 1 in 10.")
    ['Non-steroidal', 'drugs', 'NSAIDs', "don't", 'suit', '1', 'in', '10']
    """
    return _WORD.findall(text)


@functools.lru_cache(maxsize=65_536)
def count_syllables(word: str) -> int:
    """Syllables in one word; each part of a hyphenated word counts; a number is one.

    >>> [count_syllables(w) for w in ("cat", "table", "medicine", "non-steroidal", "don't")]
    [1, 2, 3, 4, 1]
    """
    parts = [p for p in re.sub(r"['’]", "", word.lower()).split("-") if p]
    return max(sum(_part_syllables(part) for part in parts), 1)


def _part_syllables(part: str) -> int:
    letters = "".join(c for c in part if c.isalpha())
    if not letters:
        return 0
    if len(letters) <= 3:
        return 1
    count = len(_VOWEL_GROUP.findall(letters))
    count -= sum(1 for rule in _SUBTRACT if rule.search(letters))
    count += sum(1 for rule in _ADD if rule.search(letters))
    return max(count, 1)
