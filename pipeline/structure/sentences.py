"""Sentences of paragraphs, split by the pipeline's own splitter, one paragraph per Doc.

Each paragraph is its own Doc (``nlp.pipe`` in batches), so a heading is never sentenced
together with the paragraph after it, and memory stays bounded by the longest paragraph.
A paragraph longer than :data:`MAX_CHUNK` characters (spaCy refuses texts over a
million) is cut into pieces between sentences first.

spaCy's tokenizer takes time that grows with the square of a word's length when the
word is a run of brackets, ``>`` or ``#`` (each character it strips searches the rest
of the word again). So the splitter sees every word longer than :data:`LONG_WORD` as
``x`` characters, keeping only the punctuation that ends it: the offsets stay the same,
the sentences are read from the real text, and no sentence ends inside such a word.

>>> from pipeline.structure.components import OUTLINE_COMPONENTS, load_nlp
>>> split_sentences(load_nlp(), ["It works. Ask a GP.", "Rest"], OUTLINE_COMPONENTS)
[('It works.', 'Ask a GP.'), ('Rest',)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

MAX_CHUNK = 50_000
"""Longest text handed to spaCy at once."""
LONG_WORD = 48
"""Longer words are masked for the splitter (see the module docstring)."""

_LONG = re.compile(rf"\S{{{LONG_WORD + 1},}}")
_ENDING = ".!?…\"'”’)]"
_MAX_ENDING = 4


def split_sentences(
    nlp: Language, texts: Sequence[str], skip: Iterable[str] = ()
) -> list[tuple[str, ...]]:
    """The sentences of each text, each a substring of it; ``skip`` names pipes not to run."""
    found: list[list[str]] = [[] for _ in texts]
    pieces = _pieces(texts)
    for doc, (n, piece) in nlp.pipe(pieces, as_tuples=True, disable=list(skip)):
        found[n].extend(_sentences(doc, piece))
    return [tuple(sentences) for sentences in found]


def _sentences(doc: Doc, text: str) -> Iterator[str]:
    for sentence in doc.sents:
        stripped = text[sentence.start_char : sentence.end_char].strip()
        if stripped:
            yield stripped


def _pieces(texts: Sequence[str]) -> Iterator[tuple[str, tuple[int, str]]]:
    """Each text, or its pieces if longer than :data:`MAX_CHUNK`, with the text's index."""
    for n, text in enumerate(texts):
        for start, end in chunk_bounds(text, MAX_CHUNK):
            piece = text[start:end]
            yield mask_long_words(piece), (n, piece)


def mask_long_words(text: str) -> str:
    """``text`` with each word longer than :data:`LONG_WORD` as ``x`` characters, but
    for (at most four of) the punctuation marks that end it; the same length.

    >>> mask_long_words("See " + "(" * 50 + "). Next.") == "See " + "x" * 50 + "). Next."
    True
    """
    return _LONG.sub(_mask, text)


def _mask(word: re.Match[str]) -> str:
    run = word.group()
    ending = min(len(run) - len(run.rstrip(_ENDING)), _MAX_ENDING)
    return "x" * (len(run) - ending) + run[len(run) - ending :]


def chunk_bounds(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, after a sentence end
    and a space if there is one in the piece, else at a space, else anywhere.

    >>> list(chunk_bounds("One. Two. Three.", 11))
    [(0, 10), (10, 16)]
    """
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        yield start, end
        start = end
    yield start, len(text)


def _cut(text: str, start: int, stop: int) -> int:
    for marks in (". ", "! ", "? "), (" ",):
        best = max(text.rfind(mark, start, stop) for mark in marks)
        if best > start:
            return best + len(marks[0])
    return stop
