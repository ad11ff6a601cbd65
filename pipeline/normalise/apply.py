"""Applying changes, finding them as a diff, and settling them: shared by every stage.

>>> apply_changes("an’ so", [Change("contractions", "an", 0, 3, "an’", "and")])
'and so'
>>> [(c.before, c.after) for c in diff_changes("caf\\u00c3\\u00a9 ok", "café ok", "x", "y")]
[('cafÃ©', 'café')]
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from itertools import accumulate, pairwise
from re import _parser  # type: ignore[attr-defined]
from typing import Any, NamedTuple

import ftfy

from pipeline.model import START, Change

# Everything ftfy repairs by default, except what other stages do with an explanation of
# their own (widths, NFC) and what must stay as the author wrote it (curly quotes).
FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    fix_latin_ligatures=False,  # ǲ and ĳ are letters; typographic ligatures: see LIGATURES
    explain=False,
)
# The typographic ligatures of the Latin alphabet (ﬁ, ﬂ, ﬀ ...): never letters of a language.
_LIGATURE_CHARS = "".join(map(chr, range(0xFB00, 0xFB07)))
LIGATURES = re.compile(f"[{_LIGATURE_CHARS}]")

# What ftfy (as configured) can change: text with none of it is left alone without asking
# ftfy. Mojibake is made of Latin-1 and Windows-1252 characters (and C1 controls), or, for
# Cyrillic encodings, of the letters ftfy's own check recognises (``ftfy.badness``).
_MOJIBAKE_CHAR = (
    r"[\x00-\x08\x0b-\x1f\x7f-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    r"\u02dc\u2020\u2021\u2030\u2039\u203a\u20ac\u2122\u206a-\u206f\ufeff"
    r"\ufff9-\ufffc\ud800-\udfff]"
)
MAY_NEED_FTFY = re.compile(rf"&#?[0-9A-Za-z]|{_MOJIBAKE_CHAR}")  # an HTML entity too
# What ftfy changes without looking for mojibake: HTML entities, control characters (C0
# and C1, deprecated format characters, the byte order mark, annotation characters) and
# surrogates. Everything else it changes is mojibake its own check (``is_bad``) finds.
# Each pattern here starts with one character class, so that the scan skips ahead in C.
_ON_SIGHT = r"\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff"


def _one_of(chars: str) -> re.Pattern[str]:
    """One of ``chars`` (the inside of a class), or an entity's ``&``: one class first,
    so that the scan skips ahead in C."""
    return re.compile(rf"[&{chars}](?:(?<=&)(?=#?[0-9A-Za-z])|(?<=[^&]))")


_FIXED_ON_SIGHT = _one_of(_ON_SIGHT)
_NEWLINE = re.compile("\n")
_NON_ASCII_PAIR = re.compile(r"[^\x00-\x7f]{2}")
# Where a line may need ftfy at all: what :func:`may_need_ftfy` looks for, without ftfy
# (an entity, one of those characters, or two that are not ASCII in a row).
_MAYBE_START = r"[&\x00-\x08\x0b-\x1f\x7f-\U0010ffff]"
_MAYBE = rf"(?<=&)(?=#?[0-9A-Za-z])|(?<={_MOJIBAKE_CHAR})|(?<=[^\x00-\x7f])(?=[^\x00-\x7f])"
_MAY_BE_MOJIBAKE = re.compile(rf"{_MAYBE_START}(?:{_MAYBE})")
# A line :func:`fix_with_ftfy` may change holds one of these (any other it leaves as it
# is): what may be mojibake, or a typographic ligature.
_MAY_CHANGE = re.compile(rf"{_MAYBE_START}(?:(?<={LIGATURES.pattern})|{_MAYBE})")
_SPACE_SPLIT = re.compile(r"(\s+)")
_MAX_CHAR_DIFF = 4000  # longer differing regions are one change: diffing them is quadratic


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Apply one stage's changes (offsets into ``text``, non-overlapping, in any order:
    they are sorted only if they come out of order, as stages and the rounds give them
    in order).

    >>> later, first = Change("x", "r", 4, 5, "e", "E"), Change("x", "r", 0, 1, "a", "A")
    >>> apply_changes("abcde", [later, first])
    'AbcdE'
    """
    changes = changes if isinstance(changes, list | tuple) else list(changes)
    applied = _apply_in_order(text, changes)
    if applied is None:
        ordered = sorted(changes, key=START)
        applied = _apply_in_order(text, ordered)
        if applied is None:  # in order, one still starts before the one before it ends
            clash = next(b for a, b in pairwise(ordered) if b.start < a.end)
            raise ValueError(f"change does not fit the text: {clash}")
    return applied


def _apply_in_order(text: str, changes: Sequence[Change]) -> str | None:
    """The changes applied in the order given; ``None`` if one starts before the one
    before it ends."""
    pieces: list[str] = []
    add = pieces.append
    position = 0
    for change in changes:
        _stage, _rule, start, end, before, after, _note = change  # quicker than by name
        if start < position:
            return None
        if text[start:end] != before:
            raise ValueError(f"change does not fit the text: {change}")
        add(text[position:start])
        add(after)
        position = end
    add(text[position:])
    return "".join(pieces)


def merge_changes(kept: list[Change], more: Iterable[Change]) -> list[Change]:
    """``kept`` (sorted by position, not overlapping each other) and those of ``more``
    (in any order) that overlap neither ``kept`` nor each other, sorted by position; one
    pass over both (``kept`` itself when ``more`` is empty: a stage merges its few other
    changes into thousands, more than once).

    >>> a, b = Change("x", "r", 0, 3, "abc", "A"), Change("x", "r", 2, 4, "cd", "C")
    >>> [c.after for c in merge_changes([a], [b, Change("x", "r", 4, 5, "e", "E")])]
    ['A', 'E']
    """
    others = sorted(more, key=START)
    if not others:
        return kept
    merged: list[Change] = []
    index = 0
    for change in others:
        before = bisect_left(kept, change.start, index, key=START)  # kept ones before it
        merged += kept[index:before]
        index = before
        clash_before = bool(merged) and merged[-1].end > change.start
        end = max(change.end, change.start + 1)
        clash_after = index < len(kept) and kept[index].start < end
        if not (clash_before or clash_after):
            merged.append(change)
    return merged + kept[index:]


def compose(text: str, first: list[Change], second: list[Change]) -> list[Change]:
    """``first`` (changes to ``text``), then ``second`` (changes to what ``first`` made of
    it), as one stage's changes to ``text``: a plan replays a stage's changes as one group.

    A change of ``second`` that rewrites text a change of ``first`` wrote becomes one
    change with it, under the rule of the first of them (the others keep theirs); where
    ``second`` undid ``first``, nothing is left.

    >>> first = [Change("x", "fullwidth", 0, 1, "\uff23", "C")]
    >>> second = [Change("x", "invisible", 1, 2, "?", ""), Change("x", "case", 0, 1, "C", "c")]
    >>> [(c.rule, c.start, c.end, c.after) for c in compose("\uff23?", first, second)]
    [('fullwidth', 0, 1, 'c'), ('invisible', 1, 2, '')]
    """
    final = apply_changes(apply_changes(text, first), second)
    regions = [_Region(*span, c, True) for span, c in zip(written(first), first, strict=True)]
    regions += [_Region(c.start, c.end, c, False) for c in second]
    regions.sort(key=lambda r: (r.start, r.end))
    composed: list[Change] = []
    shift_first = shift_second = 0  # what each list's changes before a cluster added
    for cluster in _clusters(regions):
        start, end = cluster[0].start, max(r.end for r in cluster)
        grew_first = sum(r.change.delta for r in cluster if r.first)
        grew_second = sum(r.change.delta for r in cluster if not r.first)
        old = (start - shift_first, end - shift_first - grew_first)
        new = (start + shift_second, end + shift_second + grew_second)
        shift_first, shift_second = shift_first + grew_first, shift_second + grew_second
        change = cluster[0].change
        if len(cluster) == 1:
            composed.append(change._replace(start=old[0], end=old[1]))
        elif text[old[0] : old[1]] != final[new[0] : new[1]]:
            before, after = text[old[0] : old[1]], final[new[0] : new[1]]
            composed.append(Change(change.stage, change.rule, *old, before, after))
    return composed


class _Region(NamedTuple):
    """Where a change stands in the text between ``first`` and ``second`` (see compose)."""

    start: int
    end: int
    change: Change
    first: bool


def _clusters(regions: list[_Region]) -> Iterator[list[_Region]]:
    """Regions (sorted) grouped where they overlap. Regions that only meet stay apart:
    taken in order, each still has one place in the text before and after."""
    cluster: list[_Region] = []
    end = -1
    for region in regions:
        if cluster and region.start < end:
            cluster.append(region)
        else:
            if cluster:
                yield cluster
            cluster = [region]
        end = max(end, region.end)
    if cluster:
        yield cluster


def written(changes: Sequence[Change]) -> list[tuple[int, int]]:
    """Where each change (sorted) put its text in the text the changes made.

    >>> written([Change("x", "r", 0, 2, "ab", ""), Change("x", "r", 3, 4, "d", "DD")])
    [(0, 0), (1, 3)]
    """
    spans = []
    shift = 0
    for change in changes:
        start = change.start + shift
        spans.append((start, start + len(change.after)))
        shift += change.delta
    return spans


def may_need_ftfy(text: str) -> bool:
    """Whether ftfy (as configured) could change ``text`` at all: cheap checks first."""
    if MAY_NEED_FTFY.search(text):
        return True
    # Other mojibake (Windows-1251 for UTF-8 Cyrillic...) comes as runs of letters.
    return _NON_ASCII_PAIR.search(text) is not None and ftfy.badness.is_bad(text)


def _mojibake_witnesses(pattern: re.Pattern[str]) -> str:
    """Characters one of which every match of ``pattern`` (ftfy's mojibake check) holds.

    The pattern is an alternation; each alternative is a run of parts, and where a part
    is one character of a class, any match of that alternative holds one of them. From
    each alternative the part least common in real text is taken (no ASCII, few letters,
    no common typography). A line with none of these characters is not mojibake to ftfy,
    so its check need not run. Read from the installed ftfy's own pattern, so the two
    always agree; a pattern not shaped like this gives none (then every line is checked).
    The characters are given as the inside of a class of ``re``.
    """
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        (operation, (_, alternatives)), *rest = parsed.data
        if operation is not _parser.BRANCH or rest or pattern.flags & re.IGNORECASE:
            return ""
        parts = [[_part_chars(item) for item in alternative] for alternative in alternatives]
    except Exception:  # another Python's parser or another ftfy: check every line
        return ""
    chosen: set[str] = set()
    for candidates in parts:
        usable = [chars for chars in candidates if chars and not any(map(str.isascii, chars))]
        if not usable:
            return ""
        chosen |= min(usable, key=lambda chars: (len(chars & _COMMON_IN_TEXT), len(chars)))
    return re.escape("".join(sorted(chosen)))


def _part_chars(item: tuple[Any, Any]) -> frozenset[str]:
    """The characters one part of a parsed pattern matches, if it is one character of a
    class of listed characters and ranges; else nothing."""
    operation, value = item
    if operation is _parser.LITERAL:
        return frozenset(chr(value))
    if operation is not _parser.IN:
        return frozenset()
    chars: set[str] = set()
    for kind, member in value:
        if kind is _parser.LITERAL:
            chars.add(chr(member))
        elif kind is _parser.RANGE:
            chars.update(map(chr, range(member[0], member[1] + 1)))
        else:  # a category or a negated class: too wide to tell
            return frozenset()
    return frozenset(chars)


# Letters, and typography common in real text: the parts least worth taking as witnesses.
_COMMON_IN_TEXT = frozenset(
    chr(c) for c in range(0x80, 0x3000) if chr(c).isalpha() or chr(c) in "\xa0\xad“”‘’«»–—…•°"
)
_WITNESSES = _mojibake_witnesses(ftfy.badness.BADNESS_RE)
_MOJIBAKE_WITNESS = re.compile(f"[{_WITNESSES}]" if _WITNESSES else "")


def _window_width(pattern: re.Pattern[str]) -> int:
    """The longest match of ``pattern`` if a search of a window of the text finds every
    match inside it, as a search of the whole text would (nothing but characters,
    repeats and the text's start: no look-around, no other anchor); else 0.
    """
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        width = parsed.getwidth()[1]
        unsafe = set(_operations(parsed)) - _WINDOW_SAFE
    except Exception:  # another Python's parser: search whole lines
        return 0
    if unsafe or pattern.flags & re.MULTILINE or width >= _parser.MAXREPEAT:
        return 0
    return int(width)


def _operations(parsed: Any) -> Iterator[Any]:
    """Every operation of a parsed pattern, and the kind of each anchor (``AT``)."""
    for operation, value in parsed:
        yield value if operation is _parser.AT else operation
        if operation is _parser.BRANCH:
            for branch in value[1]:
                yield from _operations(branch)
        elif operation in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.SUBPATTERN):
            yield from _operations(value[-1])


_WINDOW_SAFE = {
    _parser.LITERAL, _parser.NOT_LITERAL, _parser.IN, _parser.ANY, _parser.BRANCH,
    _parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.SUBPATTERN,
    _parser.AT_BEGINNING, _parser.AT_BEGINNING_STRING,  # they hold only at the text's start
}  # fmt: skip
# How far either side of a witness ftfy's check can match (0: check whole lines).
_BADNESS_WIDTH = _window_width(ftfy.badness.BADNESS_RE) if _WITNESSES else 0


# What a line ftfy changes holds (when mojibake has witnesses and no line is too long for
# ftfy's check): what it fixes on sight, or a witness (needs_ftfy says if it does); and
# what a line fix_with_ftfy changes holds, on the same terms: a ligature too.
_NEEDS_A_LOOK = _one_of(_ON_SIGHT + _WITNESSES) if _BADNESS_WIDTH else None
_SETTLE_LOOK = _one_of(_ON_SIGHT + _WITNESSES + _LIGATURE_CHARS) if _BADNESS_WIDTH else None


def is_bad(line: str) -> bool:
    """``ftfy.badness.is_bad``: whether ftfy's check finds mojibake in ``line``, searched
    only near the witnesses (every match holds one, and is at most a few characters
    long), so a long line with a few of them costs a few short searches.

    >>> is_bad("caf\u00c3\u00a9 \u201cok\u201d"), is_bad("a \u201cquoted\u201d caf\u00e9")
    (True, False)
    """
    width = _BADNESS_WIDTH
    if not width:
        return ftfy.badness.is_bad(line)
    start = end = -1  # the window searched next: the witnesses seen since the last one
    for match in _MOJIBAKE_WITNESS.finditer(line):
        if match.start() - width + 1 > end:  # too far from the window: search it first
            if end >= 0 and ftfy.badness.BADNESS_RE.search(line, start, end):
                return True
            start = max(0, match.start() - width + 1)
        end = match.start() + width
    return end >= 0 and ftfy.badness.BADNESS_RE.search(line, start, end) is not None


def needs_ftfy(line: str) -> bool:
    """Whether ftfy (as configured) changes one line: the line holds what ftfy fixes on
    sight (an entity, a control character, a surrogate), or what may be mojibake and
    ftfy's own check finds to be (ftfy decodes nothing else; its check runs only around
    the characters every mojibake it finds holds: :func:`is_bad`). A line longer than one
    of ftfy's segments is left to ftfy whenever it could need it.

    >>> needs_ftfy("caf\u00c3\u00a9"), needs_ftfy("V\u00a0této"), needs_ftfy("&amp;")
    (True, False, True)
    """
    if len(line) > FTFY_CONFIG.max_decode_length:
        return may_need_ftfy(line)
    if _FIXED_ON_SIGHT.search(line):
        return True
    return _MAY_BE_MOJIBAKE.search(line) is not None and is_bad(line)


def fix_with_ftfy(text: str, *, markup: bool | None = None) -> str:
    """ftfy's repairs on the lines that need them (other lines are not looked at),
    typographic ligatures spelt out, and a vertical tab (a manual line break in text
    copied from Word) made a line break: ftfy drops it as a control character, which
    joins the words either side.

    >>> fix_with_ftfy("the ﬁrst caf\u00c3\u00a9"), fix_with_ftfy("sixth\\x0bseventh")
    ('the first café', 'sixth\\nseventh')
    """
    if "\x0b" in text:
        text = text.replace("\x0b", "\n")
    if any(map(text.__contains__, _LIGATURE_CHARS)):  # seven quick searches, not one slow
        text = LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if not (first := _MAY_BE_MOJIBAKE.search(text)):
        return text
    if _NEEDS_A_LOOK and len(text) <= FTFY_CONFIG.max_decode_length:
        # A line ftfy changes holds what it fixes on sight or mojibake's witness, where
        # needs_ftfy looks: most lines of a spun page hold two look-alikes in a row, and
        # few either. Searched from the start of the line holding the first match.
        line_start = text.rfind("\n", 0, first.start()) + 1
        if not (first := _NEEDS_A_LOOK.search(text, line_start)):
            return text
    # As ftfy decides for a whole text: entities are kept in a text with markup.
    markup = "<" in text if markup is None else markup
    config = FTFY_CONFIG._replace(unescape_html=False) if markup else FTFY_CONFIG
    lines = _lines_of(text)
    for number in _lines_holding(first, lines):
        if needs_ftfy(lines[number]):
            lines[number] = ftfy.fix_text(lines[number], config)
    return "".join(lines)


def _lines_of(text: str) -> list[str]:
    """The lines of ``text`` as ftfy reads it, each ended by ``\\n`` (the last perhaps not):
    ``str.splitlines`` also breaks at ``\\x85``, ``\\u2028`` and five more, and a page of
    them would be as many calls of ftfy.

    >>> _lines_of("a\\x85b\\nc\\n")
    ['a\\x85b\\n', 'c\\n', '']
    """
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + parts[-1:]


def _lines_holding(first: re.Match[str], lines: list[str]) -> Iterator[int]:
    """The numbers of the ``lines`` where a pattern is found, from its ``first`` match in
    their text: one search for each such line (and one more), so lines without it cost
    nothing in Python, and the text before the first is not searched again."""
    pattern, text = first.re, first.string
    ends = list(accumulate(map(len, lines)))
    match: re.Match[str] | None = first
    while match is not None:
        number = bisect_right(ends, match.start())
        yield number
        match = pattern.search(text, ends[number])


def settle(text: str, changes: list[Change], fixed: str, stage: str) -> tuple[list[Change], str]:
    """``changes`` (sorted), and whatever applying them makes repairable, so cleaning is
    final; ``fixed`` is ``text`` with them applied. Returns the changes and their result.

    Removing a soft hyphen or reading a look-alike as Latin can complete a mojibake
    sequence ftfy then recognises. So ftfy runs again on the lines the changes touched
    that hold anything it could change (most hold nothing: they cost one scan in C); in
    the rare case that does something, the stage's changes are recomputed as one diff,
    each region keeping the rule of the change it matches, or named ``ftfy``.
    """
    short = len(fixed) <= FTFY_CONFIG.max_decode_length  # no line too long for ftfy's check
    look = _SETTLE_LOOK if _SETTLE_LOOK and short else _MAY_CHANGE
    if not (first := look.search(fixed)):
        return changes, fixed
    lines = _lines_of(fixed)  # as _lines_touched numbers them
    markup = "<" in fixed
    holding = list(_lines_holding(first, lines))
    for number in _lines_touched(text, changes, holding):
        lines[number] = fix_with_ftfy(lines[number], markup=markup)
    target = "".join(lines)
    if target == fixed:
        return changes, fixed
    rules = {(c.start, c.end): c.rule for c in changes}
    settled = [
        Change(stage, rules.get((c.start, c.end), "ftfy"), c.start, c.end, c.before, c.after)
        for c in diff_changes(text, target, stage, "ftfy")
    ]
    return settled, target


def _lines_touched(text: str, changes: list[Change], numbers: list[int]) -> list[int]:
    """Those of the line ``numbers`` (lines ended by ``\\n``) that a change touches: a
    change touches the line it starts on, the one it ends on and those between. One
    binary search each (``changes``, sorted, do not overlap: their ends are in order too).

    >>> text = "one\\ntwo\\nthree"
    >>> _lines_touched(text, [Change("x", "r", 5, 10, "wo\\nth", "")], [0, 1, 2])
    [1, 2]
    """
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    touched = []
    for number in numbers:
        if number > len(newlines):
            continue
        first_after = newlines[number - 1] if number else -1  # a change ending after it
        last = newlines[number] if number < len(newlines) else len(text)  # starting by it
        index = bisect_right(changes, last, key=START)  # the changes starting by ``last``
        if index and changes[index - 1].end > first_after:
            touched.append(number)
    return touched


def diff_changes(before: str, after: str, stage: str, rule: str) -> Iterator[Change]:
    """Small changes that turn ``before`` into ``after``, found line by line."""
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    offsets = _offsets(old_lines)
    if len(old_lines) == len(new_lines):  # line for line, as ftfy works: linear
        pairs = [(i, i + 1, i, i + 1) for i in range(len(old_lines))]
    else:
        matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        pairs = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    for i1, i2, j1, j2 in pairs:
        old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if old != new:
            yield from _word_changes(old, new, offsets[i1], stage, rule)


def _word_changes(old: str, new: str, base: int, stage: str, rule: str) -> Iterator[Change]:
    """The differing words of a line: word by word when the spacing is unchanged (the
    usual case, linear), else by a diff of the characters."""
    old_parts, new_parts = _SPACE_SPLIT.split(old), _SPACE_SPLIT.split(new)
    spacing_kept = len(old_parts) == len(new_parts) and old_parts[1::2] == new_parts[1::2]
    if not spacing_kept:
        yield from _char_changes(old, new, base, stage, rule)
        return
    offset = base
    for old_part, new_part in zip(old_parts, new_parts, strict=True):
        if old_part != new_part:
            yield Change(stage, rule, offset, offset + len(old_part), old_part, new_part)
        offset += len(old_part)


def _char_changes(old: str, new: str, base: int, stage: str, rule: str) -> Iterator[Change]:
    """The differing places in a line, each widened to whole words (``cafÃ©`` → ``café``)."""
    if len(old) + len(new) > _MAX_CHAR_DIFF:
        start, old_end, new_end = _common_ends(old, new)
        before, after = old[start:old_end], new[start:new_end]
        yield Change(stage, rule, base + start, base + old_end, before, after)
        return
    if _only_end_differs(old, new):  # a line's break changed (a vertical tab's): no diff
        start = len(old) - 1
        while start > 0 and not old[start - 1].isspace():
            start -= 1  # to the start of the word, as below
        yield Change(stage, rule, base + start, base + len(old), old[start:], new[start:])
        return
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        while i1 > 0 and j1 > 0 and not old[i1 - 1].isspace() and old[i1 - 1] == new[j1 - 1]:
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(old) and j2 < len(new) and not old[i2].isspace() and old[i2] == new[j2]:
            i2, j2 = i2 + 1, j2 + 1
        if regions and i1 <= regions[-1][1]:
            regions[-1][1], regions[-1][3] = max(regions[-1][1], i2), max(regions[-1][3], j2)
        else:
            regions.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in regions:
        yield Change(stage, rule, base + i1, base + i2, old[i1:i2], new[j1:j2])


def _only_end_differs(old: str, new: str) -> bool:
    """Whether two lines differ only in their last character, a space that appears nowhere
    before it in ``old``: the matcher would pair all that comes before, and find one
    character replaced (:func:`_char_changes` gives the same change without it)."""
    if len(old) != len(new) or not old or old[-1] == new[-1] or old[:-1] != new[:-1]:
        return False
    return old[-1].isspace() and new[-1].isspace() and old[-1] not in old[:-1]


def _common_ends(old: str, new: str) -> tuple[int, int, int]:
    """Where ``old`` and ``new`` start to differ, and where each stops differing."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, len(old) - end, len(new) - end


def _offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets
