"""The review's text: the cleaned article line by line, every change marked in place.

Each change is an element ``<span class="chg" data-stage=… data-rule=… data-key=…>``
around the text it left (for a rejected change, the text that stays). Changes that
share text nest, outermost first (a homoglyph repair inside a word a later stage
rewrote). Each group of nested changes, a *cluster*, carries a ``tip``: what stood there
before, with invisible and look-alike characters named, the rule, the note and, in the
studio, a button to reject the change or restore it. Suspects are marked the same way
in their own style, with their reason.

Everything is escaped here with :mod:`markupsafe`: article text never becomes markup.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from pipeline.model import Suspect
from pipeline.normalise import STAGES
from pipeline.review import Mark, Reviewed
from pipeline.stages import STAGE_TITLES

_WORD = re.compile(r"\w+")
_INVISIBLE = ("Cf", "Zs", "Cc", "Zl", "Zp", "Mn")


def token(mark: Mark) -> str:
    """A short, stable name for a change in a form or a page (a digest of its key).

    >>> from pipeline.review import clean_reviewed
    >>> len(token(clean_reviewed("Thе wоrd").marks[0]))
    16
    """
    data = json.dumps(mark.key.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def char_label(char: str) -> str:
    """A character as a reader can tell it apart: ``е CYRILLIC SMALL LETTER IE (U+0435)``;
    invisible ones as ``⟨U+200B⟩ ZERO WIDTH SPACE``.

    >>> char_label("\\u0435"), char_label("\\u200b")
    ('е CYRILLIC SMALL LETTER IE (U+0435)', '⟨U+200B⟩ ZERO WIDTH SPACE')
    """
    name = unicodedata.name(char, "unnamed character")
    code = f"U+{ord(char):04X}"
    if _invisible(char):
        return f"⟨{code}⟩ {name}"
    return f"{char} {name} ({code})"


def _invisible(char: str) -> bool:
    return char != " " and unicodedata.category(char) in _INVISIBLE


def named_characters(before: str, after: str) -> list[str]:
    """The unusual characters a change removed, each named once, in order.

    >>> named_characters("c\\u0435l\\u0435brated", "celebrated")
    ['е CYRILLIC SMALL LETTER IE (U+0435)']
    >>> named_characters(" and", ",")
    []
    """
    odd = dict.fromkeys(c for c in before if (not c.isascii() or _invisible(c)) and c not in after)
    return [char_label(c) for c in odd]


def shown(text: str, after: str = "") -> Markup:
    """``text`` for a tip: invisible characters as ``⟨U+200B⟩``, and the unusual ones
    (not ASCII, not in ``after``) emphasised so a look-alike can be seen."""
    pieces = []
    for char in text:
        if _invisible(char):
            pieces.append(Markup('<b class="odd">⟨U+{:04X}⟩</b>').format(ord(char)))
        elif not char.isascii() and char not in after:
            pieces.append(Markup('<b class="odd">{}</b>').format(char))
        else:
            pieces.append(escape(char))
    return Markup("").join(pieces)


# ---------------------------------------------------------------- nesting


@dataclass(frozen=True)
class _Item:
    """A mark or a suspect with its span in the text, as displayed."""

    start: int
    end: int
    rank: int  # outer first among items with the same span: earlier stages, then suspects
    mark: Mark | None = None
    suspect: Suspect | None = None


@dataclass
class _Node:
    item: _Item
    children: list[_Node | str] = field(default_factory=list)

    def walk(self) -> Iterator[_Item]:
        yield self.item
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.walk()


def _nest(text: str, items: Sequence[_Item], start: int, end: int) -> list[_Node | str]:
    """``text[start:end]`` with ``items`` (sorted) as nested nodes; an item that reaches
    past the one it starts in is cut at that one's end, so elements always nest."""
    out: list[_Node | str] = []
    position, i = start, 0
    while i < len(items):
        item = items[i]
        s, e = max(item.start, position), min(max(item.end, item.start), end)
        j = i + 1
        while j < len(items) and (items[j].start < e or items[j].start == s == e):
            j += 1
        if s > position:
            out.append(text[position:s])
        out.append(_Node(item, _nest(text, items[i + 1 : j], s, max(s, e))))
        position, i = max(position, e), j
    if end > position:
        out.append(text[position:end])
    return out


def _visible(text: str, start: int, end: int, line: tuple[int, int]) -> tuple[int, int]:
    """A span clipped to its line; an empty one (a deleted character) widened to the word
    it stood in, or the character before it, so there is something to point at."""
    s, e = max(start, line[0]), min(end, line[1])
    if s < e or line[0] == line[1]:
        return s, max(s, e)
    for word in _WORD.finditer(text, line[0], line[1]):
        if word.start() <= s <= word.end():
            return word.start(), word.end()
    return (s - 1, s) if s > line[0] else (s, s + 1)


def _items(reviewed: Reviewed, stages: set[str] | None) -> list[_Item]:
    order = {stage: n for n, stage in enumerate(STAGES)}
    items = [
        _Item(m.start, m.end, order.get(m.key.stage, len(order)), mark=m)
        for m in reviewed.marks
        if stages is None or m.key.stage in stages
    ]
    if stages is None or "suspects" in stages:
        items += [
            _Item(s.start, s.end, len(order) + 1, suspect=s) for s in reviewed.cleaned.suspects
        ]
    return items


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


# ---------------------------------------------------------------- HTML


@dataclass(frozen=True)
class Line:
    """One line of the cleaned text, marked: a paragraph of the review."""

    number: int  # 1-based; the stages keep the article's lines, so its line too
    html: Markup
    marks: int  # how many marked changes and suspects it holds


def marked_lines(
    reviewed: Reviewed, *, stages: set[str] | None = None, interactive: bool = True
) -> list[Line]:
    """Every line of the cleaned text with its changes marked in place (an empty line
    only if a change emptied it: ``⌫`` then marks the place).

    ``stages`` limits the marks to those stages (``"suspects"`` for suspects);
    ``interactive`` adds the reject/restore buttons (the studio) or leaves them out (the
    static page, where each cluster is focusable instead).
    """
    text = reviewed.cleaned.text
    bounds = list(_lines(text))
    by_line = _by_line(_items(reviewed, stages), [start for start, _end in bounds])
    lines = []
    for number, line in enumerate(bounds, start=1):
        here = [
            _Item(*_visible(text, i.start, i.end, line), i.rank, i.mark, i.suspect)
            for i in by_line.get(number - 1, [])
            if i.start < line[1] and i.end > line[0] or line[0] <= i.start == i.end <= line[1]
        ]
        if line[0] == line[1] and not here:
            continue
        here.sort(key=lambda i: (i.start, -i.end, i.rank))
        nodes = _nest(text, here, *line)
        html = Markup("").join(
            _render(n, f"{number}-{k}", interactive) for k, n in enumerate(nodes)
        )
        lines.append(Line(number, html, len(here)))
    return lines


def _by_line(items: list[_Item], starts: list[int]) -> dict[int, list[_Item]]:
    """The items on each line (by index), found by bisection: a long article's lines
    need not each look through every change."""
    found: dict[int, list[_Item]] = {}
    for item in items:
        first = bisect_right(starts, item.start) - 1
        last = bisect_right(starts, max(item.end - 1, item.start)) - 1
        for index in range(first, last + 1):
            found.setdefault(index, []).append(item)
    return found


def _render(node: _Node | str, ident: str, interactive: bool) -> Markup:
    """A top-level piece of a line: plain text, or a cluster with its tip."""
    if isinstance(node, str):
        return escape(node)
    tip_id = f"tip-{ident}"
    rows = Markup("").join(_row(item, interactive) for item in node.walk())
    focus = "" if interactive and any(i.mark for i in node.walk()) else ' tabindex="0"'
    return Markup(
        '<span class="cl" id="c-{}"{}><span class="txt">{}</span>'
        '<span class="tip" id="{}">{}</span></span>'
    ).format(ident, Markup(focus), _element(node), tip_id, rows)


def _element(node: _Node) -> Markup:
    inner = Markup("").join(
        _element(c) if isinstance(c, _Node) else escape(c) for c in node.children
    )
    if not inner:  # all this line held was deleted: show where
        inner = Markup('<span class="gap" aria-hidden="true">⌫</span>')
    item = node.item
    if item.suspect is not None:
        return Markup('<span class="suspect" data-reason="{}">{}</span>').format(
            item.suspect.reason, inner
        )
    assert item.mark is not None
    key = item.mark.key
    state = Markup(' data-rejected="true"') if item.mark.rejected else Markup("")
    return Markup(
        '<span class="chg" data-stage="{}" data-rule="{}" data-key="{}"{}>{}</span>'
    ).format(key.stage, key.rule, token(item.mark), state, inner)


def _row(item: _Item, interactive: bool) -> Markup:
    if item.suspect is not None:
        return Markup(
            '<span class="row suspect-row"><span class="what">Suspect</span> <q>{}</q>: {}</span>'
        ).format(item.suspect.text, item.suspect.reason)
    assert item.mark is not None
    return _change_row(item.mark, interactive)


def _change_row(mark: Mark, interactive: bool) -> Markup:
    key = mark.key
    names = named_characters(key.before, key.after)
    parts = [
        Markup('<span class="what">{} <span class="rule">({} · {})</span></span>').format(
            STAGE_TITLES.get(key.stage, key.stage), key.stage, key.rule
        ),
        _was(mark),
    ]
    if names:
        parts.append(Markup('<span class="chars">{}</span>').format("; ".join(names)))
    if mark.change.note:
        parts.append(Markup('<span class="note">Note: {}</span>').format(mark.change.note))
    if interactive:
        parts.append(_button(mark))
    return Markup('<span class="row" data-stage="{}"{}>{}</span>').format(
        key.stage,
        Markup(' data-rejected="true"') if mark.rejected else Markup(""),
        Markup(" ").join(parts),
    )


def _was(mark: Mark) -> Markup:
    key = mark.key
    before, after = shown(key.before, key.after), shown(key.after)
    if mark.rejected:
        return Markup(
            '<span class="was">Rejected: the text keeps <q>{}</q>; leaflet would write '
            "<q>{}</q>.</span>"
        ).format(before, after)
    return Markup('<span class="was">Was <q>{}</q>, now <q>{}</q>.</span>').format(before, after)


def _button(mark: Mark) -> Markup:
    verb = "Restore" if mark.rejected else "Reject"
    return Markup(
        '<button type="submit" name="{}" value="{}" class="toggle">{}'
        '<span class="vh"> the {} repair of “{}”</span></button>'
    ).format(verb.lower(), token(mark), verb, mark.key.stage, mark.key.before)
