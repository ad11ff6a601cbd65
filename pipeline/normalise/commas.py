"""The ``commas`` stage: the spinner's `` and `` where the author wrote a comma.

A spinner that writes every real ``and`` as ``an’`` leaves a telltale: once the
``contractions`` stage has turned those back into ``and``, every *other* `` and `` in
running text is one it put in place of a comma (``palms and an’ soles`` was
``palms, and soles``). So this stage runs only when the ``contractions`` stage restored
at least a few ``an’``; it leaves alone the ``and`` words that stage restored, and lines
that look like a title or heading (short, no closing full stop).

Rule ``comma``: `` and`` becomes ``,``.

>>> history = [Change("contractions", "an", 14, 17, "an’", "and")]
>>> [(c.before, c.after) for c in propose("palms and and soles. Botox and it", history)]
[(' and', ','), (' and', ',')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from pipeline.model import Change

STAGE = "commas"

_AND = regex.compile(r"(?<=[\p{L}\p{N})’”'\"]) and(?= \S)")
_MIN_EVIDENCE = 1
_HEADING_MAX_WORDS = 15


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A comma for every spinner `` and`` in running text, when there is evidence."""
    restored = _restored_ands(history)
    if len(restored) < _MIN_EVIDENCE:
        return []
    return list(_comma_changes(text, restored))


def _comma_changes(text: str, restored: set[int]) -> Iterator[Change]:
    offset, title_end = 0, _title_end(text)
    for line in text.splitlines(keepends=True):
        if offset > title_end and not looks_like_heading(line):
            for match in _AND.finditer(line):
                start = offset + match.start()
                if start + 1 not in restored:
                    yield Change(STAGE, "comma", start, offset + match.end(), " and", ",")
        offset += len(line)


def _title_end(text: str) -> int:
    """The end of the first non-empty line: the title keeps its ``and``."""
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    return len(text) if end < 0 else end


def _restored_ands(history: Sequence[Change]) -> set[int]:
    """Where (in the text as the contractions stage left it) the restored ``and`` words start."""
    starts: set[int] = set()
    shift = 0
    for change in history:
        if change.stage != "contractions":
            continue
        if change.rule == "an":
            starts.add(change.start + shift)
        shift += change.delta
    return starts


def looks_like_heading(line: str) -> bool:
    """A short line with no sentence-ending punctuation: a title or heading.

    >>> looks_like_heading("Muscle Spasms and Dystonia"), looks_like_heading("It works.")
    (True, False)
    """
    stripped = line.strip().rstrip("\"'’”)]")
    if not stripped:
        return True
    return len(stripped.split()) <= _HEADING_MAX_WORDS and stripped[-1] not in ".!?;,"
