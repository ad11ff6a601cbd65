"""The ``unicode`` stage: characters that look right but are not what the author typed.

Rules (the ``rule`` of each change):

``invisible``
    zero-width space, joiner and non-joiner, word joiner and soft hyphen inside a word are
    removed; a zero-width joiner inside an emoji sequence, or between letters of a script
    that needs joiners (Arabic, Indic scripts, ...), is kept.
``nbsp``
    a no-break space between two words (or a number and its unit) becomes a space; one
    beside other white space or at a line's edge is kept. Narrow and figure spaces are
    typography, not damage, and are kept.
``fullwidth``
    full-width Latin letters and digits become ASCII; full-width punctuation, which
    Chinese and Japanese text uses on purpose, stays.
``nfc``
    a letter and its combining marks composed (Unicode NFC).

>>> [(c.rule, c.before, c.after) for c in propose("ubiqui\\u200dtous caf\\uff45", ())]
[('invisible', 'i\\u200d', 'i'), ('fullwidth', 'ｅ', 'e')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

import regex

from pipeline.model import Change
from pipeline.normalise.encoding import settle

STAGE = "unicode"

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
JOINERS = "\u200c\u200d"
SPACES = "\u00a0"

# A base character with the marks and invisible characters that follow it; or a no-break
# space; or a full-width form. Only these places are looked at, so clean text costs one scan.
_FULLWIDTH = r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"  # letters and digits only
_SUSPECT = regex.compile(
    rf"(?P<cluster>[\p{{M}}{INVISIBLE}]+)"
    rf"|(?P<space>[{SPACES}])"
    rf"|(?P<wide>{_FULLWIDTH})"
)
_WIDE = regex.compile(_FULLWIDTH)
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]")
_SIMPLE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """Changes for every suspect place in ``text``, and whatever they make repairable."""
    changes = list(_suspect_changes(text))
    if not changes and unicodedata.is_normalized("NFC", text):
        return []
    return settle(text, changes, STAGE)


def _suspect_changes(text: str) -> Iterator[Change]:
    last_end = 0
    for match in _SUSPECT.finditer(text):
        start, end = match.span()
        if match.group("cluster") and start > last_end and _has_base(text, start):
            start -= 1  # the letter the marks belong to is part of the cluster
        last_end = end
        before = text[start:end]
        if match.group("cluster"):
            after, rule = _fix_cluster(text, start, end)
        elif match.group("space"):
            after, rule = _fix_space(text, start), "nbsp"
        else:
            after, rule = unicodedata.normalize("NFKC", before), "fullwidth"
        if after != before:
            yield Change(STAGE, rule, start, end, before, after)


def _has_base(text: str, start: int) -> bool:
    """Whether the character before the marks is a letter (or symbol) they belong to."""
    if start == 0:
        return False
    base = text[start - 1]
    return not (base.isspace() or base in INVISIBLE or unicodedata.combining(base))


def _fix_cluster(text: str, start: int, end: int) -> tuple[str, str]:
    """A base character with its marks: drop stray invisibles, then compose."""
    cluster = text[start:end]
    kept = "".join(
        char
        for offset, char in enumerate(cluster)
        if char not in INVISIBLE or _keep_invisible(text, start + offset)
    )
    composed = _fold_width(unicodedata.normalize("NFC", kept))
    return composed, ("invisible" if kept != cluster else "nfc")


def _fold_width(text: str) -> str:
    """Full-width forms to ASCII, leaving every other character as it is."""
    folded: str = _WIDE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return folded


def _keep_invisible(text: str, index: int) -> bool:
    """A joiner in an emoji sequence or between letters of a joining script stays."""
    if text[index] not in JOINERS:
        return False
    before = _neighbour(text, index, -1)
    after = _neighbour(text, index, +1)
    if _EMOJI.match(before) and _EMOJI.match(after):
        return True
    return any(c.isalpha() and not _simple_script(c) for c in (before, after))


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text):
        if text[index] not in INVISIBLE and not unicodedata.combining(text[index]):
            return text[index]
        index += step
    return ""


def _simple_script(char: str) -> bool:
    folded = _fold_width(char)
    return unicodedata.name(folded[0], "").startswith(_SIMPLE_SCRIPTS)


def _fix_space(text: str, index: int) -> str:
    """Between two non-space characters a space; anywhere else left as it is."""
    before, after = _neighbour(text, index, -1), _neighbour(text, index, +1)
    if not before.strip() or not after.strip():
        return text[index]
    return " "
