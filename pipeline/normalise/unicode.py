"""The ``unicode`` stage: invisible characters and odd spaces that are not what the author typed.

Characters are told apart by their Unicode properties (:mod:`pipeline.chardata`), not by
hand lists. Rules (the ``rule`` of each change):

``invisible``
    every ``Default_Ignorable_Code_Point`` (zero-width space, joiner and non-joiner, word
    joiner, soft hyphen, invisible operators, bidi controls, variation selectors, tag
    characters...) in English text is removed, except where it does a job: a joiner inside
    an emoji sequence or between letters of a script that needs it (Persian, Indic...), a
    variation selector right after an emoji, an ideograph or a symbol, the tags of an emoji
    flag. In any text, a run of three or more (steganography) is removed.
``space``
    in English text, a run of spaces between two words that holds any space other than
    the ASCII one (no-break, en, em, thin, hair, ideographic, Ogham..., or a line or
    paragraph separator inside a line) becomes one space; a narrow, thin or figure space
    beside a digit (``10 000``, ``5 mg``) or before ``; : ! ? %``, and a no-break space
    after a title (``Mr Smith``), stay, unless a spinner was seen. A Hangul filler
    (invisible by its properties, shown as a blank) alone between two English words is
    their space (``twoㅤtablets``); inside a word it is removed as other invisibles are.
``fullwidth``
    full-width Latin letters and digits in English text become ASCII; full-width
    punctuation, and every full-width form in Chinese or Japanese text (``２行目``), stays.
``nfc``
    a Latin letter and its combining marks are composed (Unicode NFC) in English text.

Text that is not English (Czech, German, French, Chinese, Persian...) keeps its spacing,
its invisible characters and its normalisation form exactly.

>>> [(c.rule, c.before, c.after) for c in propose("ubiqui\\u200btous heart\\u2003rate", ())]
[('invisible', '\\u200b', ''), ('space', '\\u2003', ' ')]
>>> propose("V\\u00a0této době", ())
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import NamedTuple, TypeAlias

import regex

from pipeline.chardata import (
    CJK_LETTERS,
    CJK_TOGETHER,
    COMPLEX_SCRIPT,
    EMOJI,
    FILLERS,
    INVISIBLE,
    JOINERS,
    LETTERLIKE,
    LOOKALIKES,
    NARROW_SPACES,
    ODD_SPACE,
    TAG,
    VARIATION_SELECTOR,
    few_of,
    non_ascii,
    positions,
    script,
)
from pipeline.model import START, Change, change_of
from pipeline.normalise.apply import merge_changes
from pipeline.normalise.rounds import Ftfy
from pipeline.normalise.words import EnglishLines, is_english
from pipeline.stages import UNICODE

STAGE = UNICODE
FTFY: Ftfy = "settle"  # the rounds settle its changes (apply.settle)

_ODD = r"\p{Default_Ignorable_Code_Point}\p{Zs}\u2028\u2029"
_SPACES = r"\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # all but " "
_FULLWIDTH = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # letters and digits only
# What the stage works on, outside ASCII: invisibles, odd spaces, full-width letters and
# digits, and combining marks (a Latin letter with one is a decomposed letter).
_ODD_CHAR = regex.compile(rf"[{_ODD}{_FULLWIDTH}--\x20]", regex.V1)
_MARK = regex.compile(r"\p{M}")
_WIDE = regex.compile(rf"[{_FULLWIDTH}]+")
# Chinese or Japanese writing: its letters, its punctuation, its half-width forms; a
# word of it, with full-width forms and ASCII signs; and the word around a place.
_CJK_CHARS = rf"{CJK_LETTERS}\u3000-\u303f\uff61-\uff9f"
_CJK_LETTER = regex.compile(rf"[{CJK_LETTERS}]")
_CJK_WORD = regex.compile(rf"[{_CJK_CHARS}\uff01-\uff60\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]*")
_CJK_CHAR = regex.compile(rf"[{_CJK_CHARS}]")
_WORD_BEFORE = regex.compile(r"\S*", regex.REVERSE)  # matched back from a place
_WORD_AFTER = regex.compile(r"\S*")
_CJK_LOOK = 40
# An invisible character or a space that is not ASCII: what a run needs one of.
_ODD_NOT_SPACE = regex.compile(rf"[{_ODD}--\x20]", regex.V1)
# A run of invisible characters and spaces that holds at least one that is not ASCII.
_RUN = regex.compile(rf"(?<!\x20)\x20*+[{_ODD}--\x20][{_ODD}]*", regex.V1)  # from a first space
_Match: TypeAlias = "re.Match[str] | regex.Match[str]"
_DECOMPOSED = regex.compile(r"\p{Latin}\p{M}+")
# Marks that compose with a letter; invisible marks (U+034F COMBINING GRAPHEME JOINER,
# variation selectors) are runs of their own, decided as invisibles.
_MARKS = regex.compile(r"[\p{M}--\p{Default_Ignorable_Code_Point}]+", regex.V1)
_KEEP_BEFORE = ";:!?%»"  # French typography: a narrow space before these marks
_STEGANOGRAPHY = 3  # invisible characters in a row that hide a message
_DAMAGED = 3  # invisible characters and odd spaces removed that show a spinner's work
_UNIT_EVIDENCE = 3  # runs of one pattern that show it stands for a space
_COMPAT_CHARS = frozenset(c for c, found in LOOKALIKES.items() if found.kind == "compat")
_ODD_SPACE_AFTER = regex.compile(rf"\p{{DI}}*[{_SPACES}]")  # after a maths letter
_SIMPLE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC"})
_KEYCAP = "\u20e3"
_FLAG_TAGS = 16  # tag characters an emoji flag can hold
# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO): an override shows letters and digits
# in an order other than the file's ("Take \u202e05\u202c mg" reads "Take 50 mg"), and
# text in every language says its direction with isolates and marks since Unicode 6.3.
_FORCED_ORDER = regex.compile(r"[\u202a-\u202e]")
_FLAG = "\U0001f3f4"
_FLAG_SEQUENCE = regex.compile(rf"{_FLAG}[\U000e0020-\U000e007e]{{1,{_FLAG_TAGS}}}\U000e007f")
_NEIGHBOURHOOD = 64  # characters looked through for the nearest visible one


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """Changes for every invisible character and odd space that is damage, and for the
    decomposed letters of English words (the rounds then settle them)."""
    if not may_change(text):
        return []
    context = _Context(text, EnglishLines(text))
    runs = _runs(text)
    changes = list(islice(_run_changes(text, context, runs), _DAMAGED))  # all, if fewer
    if len(changes) >= _DAMAGED:  # a spinner's work: read every run again in that light
        unit, companions = _space_unit(text, runs), _companions(text)
        context = _Context(text, context.english, True, unit, companions)
        changes = list(_run_changes(text, context, runs))
    changes.sort(key=START)  # the lone characters' came first
    others = non_ascii(text)  # read for a mark or a full-width letter, not all the text
    if _MARK.search(others):
        changes = merge_changes(changes, _nfc_changes(text, context.english))
    if _WIDE.search(others):
        changes = merge_changes(changes, _wide_changes(text, context.english))
    return changes


class _Runs(NamedTuple):
    """The runs of a text (:data:`_RUN`): where a lone character stands between two ASCII
    letters (``ho\u200bspital``, ``heart\u2003rate``: most of a spinner's runs), and the
    other runs."""

    lone: list[int]
    others: list[_Match]


def _runs(text: str) -> _Runs:
    """The runs of invisible characters and spaces that hold at least one that is not
    ASCII (:data:`_RUN`), found with patterns of the few such characters the text holds
    (the standard library's ``re`` on a short class reads a text several times faster
    than ``regex`` on Unicode's properties); past a few (:func:`few_of`), with the
    properties, and none taken as lone.

    >>> runs = _runs("a\u200bb  \u00a0c d")
    >>> runs.lone, [m.group() for m in runs.others]
    ([1], ['  \xa0'])
    """
    odd = set(_ODD_NOT_SPACE.findall("".join(set(non_ascii(text)))))  # each asked once
    if not odd:
        return _Runs([], [])
    chars = few_of(odd)
    if chars is None:
        return _Runs([], list(_RUN.finditer(text)))
    # Each pattern starts with one class, so that the scan skips ahead in C to the few
    # characters (and, for the others, spaces) where a run can start.
    lone = [m.start() for m in re.finditer(rf"[{chars}](?<=[A-Za-z].)(?=[A-Za-z])", text)]
    # A run that is not a lone character starts with one of them (not lone), or with
    # spaces before one: at the first space only (from every space of a long run of
    # spaces with no odd character after it, the search would read the rest again).
    others = re.finditer(
        rf"[\x20{chars}](?:(?<=[{chars}])(?:(?<![A-Za-z].)|(?![A-Za-z]))"
        rf"|(?<=\x20)(?<!\x20\x20)(?=\x20*+[{chars}]))[\x20{chars}]*+",
        text,
    )
    return _Runs(lone, list(others))


def may_change(text: str) -> bool:
    """Whether ``text`` holds anything the stage works on: an invisible character, an odd
    space, a full-width letter or digit, or a Latin letter with a combining mark."""
    others = non_ascii(text)
    if _ODD_CHAR.search(others):
        return True
    return _MARK.search(others) is not None and _DECOMPOSED.search(text) is not None


@dataclass(frozen=True)
class _Context:
    """What the stage knows of the document: which lines are English; whether a spinner
    visibly went through it; and the pattern it wrote for one space, if it always wrote
    the same (Zero-ZeroGPT writes one button's spacing for every space); and the maths
    letters it always wrote with an odd space after them (GPTZero-Bypasser's ``𝚕``)."""

    text: str
    english: EnglishLines
    damaged: bool = False
    unit: str = ""
    companions: frozenset[str] = frozenset()


def _space_unit(text: str, runs: _Runs) -> str:
    """The run of odd spaces (and invisibles) that stands for one space, if one pattern
    makes up most of the document's runs: ``\u2009\u200a``, or one em space (of two as
    common, the one met first)."""
    counts = Counter(map(text.__getitem__, runs.lone))
    counts.update(match.group() for match in runs.others)
    if not counts:
        return ""
    count = max(counts.values())
    if count < _UNIT_EVIDENCE or count * 2 < sum(counts.values()):
        return ""
    tied = [pattern for pattern, n in counts.items() if n == count]  # two at most: half each
    unit = min(tied, key=lambda pattern: _first_run(text, runs, pattern))
    return unit if unit.strip(" ") else ""


def _first_run(text: str, runs: _Runs, pattern: str) -> int:
    """Where the first run that is ``pattern`` starts."""
    lone = (start for start in runs.lone if text[start] == pattern)
    others = (match.start() for match in runs.others if match.group() == pattern)
    return min(next(lone, len(text)), next(others, len(text)))


def _companions(text: str) -> frozenset[str]:
    """The look-alike letters nearly always followed by one odd space: the space is part of
    the disguise (GPTZero-Bypasser writes ``l`` as ``𝚕`` and a thin space)."""
    present = _COMPAT_CHARS.intersection(non_ascii(text))
    if not present:
        return frozenset()
    seen: Counter[str] = Counter()
    spaced: Counter[str] = Counter()
    for index in positions(present, text):
        seen[text[index]] += 1
        spaced[text[index]] += _ODD_SPACE_AFTER.match(text, index + 1) is not None
    return frozenset(c for c, n in seen.items() if n >= _UNIT_EVIDENCE and spaced[c] >= 0.8 * n)


def _inside_ascii_word(text: str, index: int) -> bool:
    """Whether one character stands between two ASCII letters: the common case, decided
    without looking further (no emoji, joining script or flag can be involved)."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return before.isascii() and after.isascii() and before.isalpha() and after.isalpha()


def _between_plain_letters(text: str, index: int) -> bool:
    """Whether one character stands between two letters that give an invisible character
    no job (no emoji, no letter of a joining script, no mark): ``сеl\u200dl``, ``𝚘\u200d𝚗``."""
    return _plain_letter(text[index - 1 : index]) and _plain_letter(text[index + 1 : index + 2])


@lru_cache(maxsize=1 << 12)
def _plain_letter(char: str) -> bool:
    """A letter that is not invisible, a mark, an emoji or a letter of a joining script."""
    if not char.isalpha() or unicodedata.combining(char) or INVISIBLE.match(char):
        return False
    return not (EMOJI.match(char) or _complex_letter(char))


def _lone_invisible(char: str) -> bool:
    """An invisible character that is neither a variation selector nor a tag (which do a
    job after some letters, or in a flag)."""
    return bool(INVISIBLE.match(char)) and not (VARIATION_SELECTOR.match(char) or TAG.match(char))


def _companion_space(run: str) -> int:
    """Where the first odd space of a run stands, if only invisibles come before it."""
    for index, char in enumerate(run):
        if ODD_SPACE.match(char):
            return index
        if not INVISIBLE.match(char):
            return -1
    return -1


def _run_changes(text: str, context: _Context, runs: _Runs) -> Iterator[Change]:
    """A change for every run that is damage: the lone characters first, then the others."""
    yield from _lone_changes(text, context, runs.lone)
    for match in runs.others:
        start, end = match.span()
        run = match.group()
        kept, rule = _fix_run(text, start, end, context)
        if kept == run:
            continue
        yield _composed(text, start, end, kept, rule, context.english)


def _lone_changes(text: str, context: _Context, lone: list[int]) -> Iterator[Change]:
    """The changes for lone characters between two ASCII letters, as :func:`_fix_run`
    decides them, without the questions that cannot apply there (no emoji, joining
    script, mark or maths letter is beside them): an invisible character goes in a
    damaged document or English text, and a forced order anywhere; an odd space is a
    space in English text, and wherever it is the spinner's unit."""
    english, damaged, unit = context.english, context.damaged, context.unit
    invisible = {c for c in set(map(text.__getitem__, lone)) if INVISIBLE.match(c)}
    for start in lone:
        char = text[start]
        if char in invisible:
            if damaged or english(start) or _FORCED_ORDER.match(char):
                after, rule = _removed(text, start, char)
                yield change_of((STAGE, rule, start, start + 1, char, after, ""))
        elif char == unit or (english(start) and not _titles_space(text, start, damaged)):
            yield change_of((STAGE, "space", start, start + 1, char, " ", ""))  # an odd space


def _fix_run(text: str, start: int, end: int, context: _Context, run: str = "") -> tuple[str, str]:
    """The run as it should read, and the rule: spaces first, then invisibles."""
    run = run or text[start:end]
    if _FORCED_ORDER.search(run) and not context.english(start):  # in any language
        return _FORCED_ORDER.sub("", run), "invisible"
    if end - start == 1 and _inside_ascii_word(text, start) and INVISIBLE.match(run):
        removed = context.damaged or context.english(start)  # as the rules below decide
        return _removed(text, start, run) if removed else (run, "invisible")
    if end - start == 1 and _between_plain_letters(text, start) and _lone_invisible(run):
        removed = (context.damaged and _between_latin(text, start, end)) or context.english(
            start
        )  # what the rules below decide for it: no job to do, no space to read
        return _removed(text, start, run) if removed else (run, "invisible")
    fillers = run.strip(FILLERS) == "" and (context.english(start) or context.damaged)
    if fillers and _between_words(text, start, end):  # in a row, or beside a digit or mark
        return " ", "space"
    companion = _companion_space(run) if text[start - 1 : start] in context.companions else -1
    if companion >= 0:  # the odd space is part of the letter before it: drop it
        kept = run[:companion] + run[companion + 1 :]
        return _fix_run(text, start, end, context, kept)[0] if kept else "", "space"
    unit = context.unit
    if unit and run.replace(unit, "") == "" and ODD_SPACE.search(unit):
        return " " * (len(run) // len(unit)), "space"  # the spinner's pattern, anywhere
    if end - start == 1 and _inside_ascii_word(text, start) and ODD_SPACE.match(run):
        stays = not context.english(start) or _titles_space(text, start, context.damaged)
        return (run if stays else " "), "space"  # as _fix_spaces decides
    invisible = {i for i, c in enumerate(run) if INVISIBLE.match(c)}
    useful = _useful(text, start, end, invisible) if invisible else set()
    removable = invisible - useful
    english = context.english(start)
    if len(removable) >= _STEGANOGRAPHY:
        useful = {i for i in useful if TAG.match(run[i])}
    elif not english and not (context.damaged and _between_latin(text, start, end)):
        return run, "invisible"
    kept = "".join(c for i, c in enumerate(run) if i in useful or i not in invisible)
    spaces = _fix_spaces(text, start, end, kept, context) if english else kept
    return spaces, ("space" if _spacing(spaces) != _spacing(kept) else "invisible")


def _titles_space(text: str, index: int, damaged: bool) -> bool:
    """Whether the odd space at ``index`` is the no-break space a careful writer puts
    after a title, so that a line never ends on it (``Mr\u00a0Smith``, ``Dr\u00a0Patel``;
    with a full stop, ``Dr.\u00a0Patel``, it stands beside no letter and is kept as such):
    typography, unless a spinner was seen in the document."""
    if damaged or text[index] != "\u00a0":
        return False
    title = _LETTERS_BEFORE.match(text, max(0, index - _WORD_LOOK), index)
    return title is not None and title.group() in _TITLES


_TITLES = frozenset({"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "St"})


def _removed(text: str, start: int, char: str) -> tuple[str, str]:
    """A lone invisible character between two letters, removed (what it becomes, and the
    rule): a Hangul filler between two words (``twoㅤtablets``) is read as the space it
    shows, not removed."""
    if char in FILLERS and _between_words(text, start, start + 1):
        return " ", "space"
    return "", "invisible"


def _between_words(text: str, start: int, end: int) -> bool:
    """Whether ``start:end`` stands between two words a reader sees apart: English words
    or numbers either side, perhaps a mark closing a sentence or clause before it: common
    words or numbers (``may`` and ``be``, ``2`` and ``tablets``, ``tablets.`` and ``Do``),
    or known words that are no word together (not ``hos`` and ``pital``)."""
    look = max(0, start - _WORD_LOOK)
    before = _TOKEN_BEFORE.match(text, look, start)
    if before is None and start > look and text[start - 1] in _CLOSING_MARKS:
        before = _TOKEN_BEFORE.match(text, look, start - 1)
    after = _TOKEN_AFTER.match(text, end, end + _WORD_LOOK)
    if before is None or after is None:
        return False
    first, second = before.group(), after.group()
    if all(token.isdigit() or is_english(token, _COMMON) for token in (first, second)):
        return True  # may and be, two and tablets: common words, read apart
    return is_english(first) and is_english(second) and not is_english(first + second)


# A word or number beside a place (a filler is a letter to Unicode, and ends a word here).
_TOKEN_BEFORE = regex.compile(rf"[\p{{L}}\p{{N}}--[{FILLERS}]]+", regex.V1 | regex.REVERSE)
_TOKEN_AFTER = regex.compile(rf"[\p{{L}}\p{{N}}--[{FILLERS}]]+", regex.V1)
_CLOSING_MARKS = ".,;:!?)\"”’"
_COMMON = 3.0  # Zipf: a word this common is a word on its own
_LETTERS_BEFORE = regex.compile(r"\p{L}+", regex.REVERSE)
_WORD_LOOK = 40  # letters looked at either side


def _useful(text: str, start: int, end: int, invisible: set[int]) -> set[int]:
    """The invisible characters of a run (offsets into it) that do a job there."""
    around = (_neighbour(text, start, -1), _neighbour(text, end - 1, +1))
    return {i for i in invisible if _does_a_job(text, start + i, around)}


def _between_latin(text: str, start: int, end: int) -> bool:
    """Whether a run stands inside or beside Latin-looking text, where no invisible
    character does a job (``ki\u200dll``, ``\u200did``)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_complex_letter(before) or _complex_letter(after)) and (
        before.isascii() or after.isascii() or before in LETTERLIKE or after in LETTERLIKE
    )


def _spacing(text: str) -> str:
    return "".join(c for c in text if not INVISIBLE.match(c))


def _fix_spaces(text: str, start: int, end: int, run: str, context: _Context) -> str:
    """The spaces of a run that holds an odd one, as the author typed them.

    Between two words, each odd space is one space (a spinner swaps them one for one;
    where it always wrote one pattern for a space, :func:`_fix_run` has read it already).
    Typography stays: a no-break space padded with spaces (justified text), indentation
    and line ends, and,
    unless the document is visibly damaged, a lone no-break, narrow, thin or figure space
    beside a digit or a symbol (``10 000``, ``version 3``) or before a French mark.
    """
    spaces = _spacing(run)
    if not ODD_SPACE.search(spaces):
        return run
    invisibles = "".join(c for c in run if INVISIBLE.match(c))
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if (before.isspace() or after.isspace()) and not context.damaged:
        return run  # indentation or the end of a line: layout, unless a spinner was there
    if spaces[0] == "\u00a0" and spaces.strip("\u00a0") and not spaces.strip("\u00a0 "):
        return run  # no-break spaces padded with spaces: justified text
    beside = not (before.isalpha() and after.isalpha()) or after in _KEEP_BEFORE
    if len(spaces) == 1 and spaces in NARROW_SPACES and beside and not context.damaged:
        return run
    if context.damaged and _after_maths_letter(text, start, run):
        return invisibles + run[1:]
    return invisibles + " " * len(spaces)


def _after_maths_letter(text: str, start: int, run: str) -> bool:
    """Whether a run's first character is an odd space a tool put after a maths letter,
    before the real space (``rea𝚕\u2009 soon``)."""
    if text[start - 1] not in LETTERLIKE or not ODD_SPACE.match(run[0]):
        return False
    return bool(run[1:]) and not run[1:].strip(" ")


def _does_a_job(text: str, index: int, around: tuple[str, str]) -> bool:
    """An invisible character that is part of the text: a joiner in an emoji sequence or a
    joining script, a variation selector after an emoji, ideograph or symbol, a flag's
    tags, or anything between letters of a script that uses invisible characters."""
    char = text[index]
    before, after = around  # the nearest visible characters either side of the run
    if VARIATION_SELECTOR.match(char):
        return _selectable(_selector_base(text, index)) or text[index + 1 : index + 2] == _KEYCAP
    if TAG.match(char):
        return _in_flag(text, index)
    if char == "\u00ad" and not (before.isalpha() and after.isalpha()):
        return True  # a soft hyphen at a line break is a hyphenation point
    if char in JOINERS and EMOJI.match(before) and EMOJI.match(after):
        return True
    return any(_complex_letter(c) for c in (before, after))


def _selector_base(text: str, index: int) -> str:
    """The character a variation selector at ``index`` follows, as this stage leaves it:
    the letter before any marks (composed, they are one character), a full-width letter or
    digit folded (``Ｃ\ufe0f`` is ``C\ufe0f``). Bounded, like :func:`_neighbour`.

    >>> _selector_base("e\u0301\ufe0f", 2), _selector_base("\uff23\ufe0f", 1)
    ('e', 'C')
    """
    position = index - 1
    while position > max(0, index - _NEIGHBOURHOOD) and _MARKS.match(text[position]):
        position -= 1
    base = text[position] if position >= 0 else ""
    return unicodedata.normalize("NFKC", base) if _WIDE.match(base) else base


def _selectable(base: str) -> bool:
    """Whether a variation selector may follow ``base``: not a plain letter or a space."""
    if not base or base.isspace() or INVISIBLE.match(base):
        return False
    return not (base.isalpha() and script(base) in _SIMPLE_SCRIPTS) and not base.isascii()


def _in_flag(text: str, index: int) -> bool:
    """Whether a tag character is part of an emoji flag: 🏴, tags, CANCEL TAG (a flag has a
    few tags; a longer run is hidden data). One search back for the flag and one match
    from it, so that a long run of tags costs no more than its length.

    >>> flag = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
    >>> _in_flag(flag, 3), _in_flag("\U000e0067" + flag[1:], 3)
    (True, False)
    """
    flag = text.rfind(_FLAG, max(0, index - _FLAG_TAGS - 1), index)  # its cancel tag too
    found = _FLAG_SEQUENCE.match(text, flag) if flag >= 0 else None
    return found is not None and found.end() > index


def _complex_letter(char: str) -> bool:
    """A letter or mark of a script that needs invisible characters (not a look-alike)."""
    return bool(char) and char not in LETTERLIKE and COMPLEX_SCRIPT.match(char) is not None


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character that is not invisible, a space or a mark: bounded, so a long
    run of joiners costs no more than its length."""
    for _ in range(_NEIGHBOURHOOD):
        index += step
        if not 0 <= index < len(text):
            return ""
        char = text[index]
        if not (INVISIBLE.match(char) or unicodedata.combining(char)):
            return char
    return ""


def _composed(
    text: str, start: int, end: int, kept: str, rule: str, english: EnglishLines
) -> Change:
    """The change for a run; where removing it leaves a Latin letter and marks, composed
    (in English text: the line's language is asked last, as weighing it costs most)."""
    marks = None if kept else _MARKS.match(text, end)
    base = text[start - 1] if start > 0 else ""
    if marks and base.isalpha() and script(base) == "LATIN" and english(start):
        before = text[start - 1 : marks.end()]
        after = unicodedata.normalize("NFC", base + marks.group())
        return Change(STAGE, rule, start - 1, marks.end(), before, after)
    return Change(STAGE, rule, start, end, text[start:end], kept)


def _nfc_changes(text: str, english: EnglishLines) -> Iterator[Change]:
    for match in _DECOMPOSED.finditer(text):
        start = match.start()
        marks = _MARKS.match(text, start + 1, match.end())  # not an invisible one after them
        word = text[start : marks.end()] if marks else ""
        composed = unicodedata.normalize("NFC", word)
        if composed != word and english(start):
            yield Change(STAGE, "nfc", start, start + len(word), word, composed)


def _in_cjk_word(text: str, start: int, end: int) -> bool:
    """Whether the full-width run at ``start:end`` is part of a word of Chinese or
    Japanese writing: two of its letters at least, and nothing but them, full-width
    forms and ASCII signs (``２０２４年３月``, ``Ｔシャツ``; not ``ϲоｍ丿``, whose other
    letters are look-alikes, nor ``讠ｎ``, an attack's lone ideograph for i), one of
    them just before or after the run. Looked at up to :data:`_CJK_LOOK` characters
    either side."""
    beside = text[start - 1 : start] if start else ""
    if not (_CJK_CHAR.match(text, end) or _CJK_CHAR.match(beside)):
        return False  # the usual case: no such writing just before or after the run
    before = _WORD_BEFORE.match(text, max(0, start - _CJK_LOOK), start)
    after = _WORD_AFTER.match(text, end, end + _CJK_LOOK)
    word = (before.group() if before else "") + text[start:end] + (after.group() if after else "")
    letters = _CJK_LETTER.findall(word)
    return len(letters) >= CJK_TOGETHER and _CJK_WORD.fullmatch(word) is not None


def _wide_changes(text: str, english: EnglishLines) -> Iterator[Change]:
    """Full-width letters and digits on an English line, as ASCII; but not those of a
    word of Chinese or Japanese (``２０２４年３月``, ``Ｔシャツ``, ``ＡＢＣ株式会社``:
    that writing's own forms, quoted in English)."""
    for match in _WIDE.finditer(text):
        start, end = match.span()
        if _in_cjk_word(text, start, end):
            continue
        if english(match.start()):
            folded = unicodedata.normalize("NFKC", match.group())
            yield Change(STAGE, "fullwidth", match.start(), match.end(), match.group(), folded)
