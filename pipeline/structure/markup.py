"""Markdown inline markup out of the text, for Markdown articles only.

A leaflet prints words, not ``**`` and ``[..](..)``. :func:`strip_inline_markup` keeps
what the markup says and drops how it is marked:

- emphasis (``*a*``, ``**a**``, ``_a_``, ``__a__``, nested too) keeps its words;
- a code span (``` `a` ```) keeps its text as written, markup inside it included;
- a link ``[NHS](https://www.nhs.uk)`` becomes ``NHS (https://www.nhs.uk)``, an image
  ``![A chart](c.png)`` its description, an autolink ``<https://...>`` its address
  (``<mailto:gp@example.org>`` the e-mail address);
- a backslash escape (``\\*``) becomes the character it escapes.

It is never used on plain text, where ``*`` and ``_`` may be the article's own
characters. Even in Markdown a marker only counts where CommonMark would see one: it
must touch the text it marks, so ``5 * 3 * 2`` stays; an ``_`` inside a word
(``snake_case_name``) and a ``*`` after a letter or digit (``5*3*2``) stay; addresses
are copied as they are, underscores and all.

>>> strip_inline_markup("**Important:** see [NHS](https://www.nhs.uk), not `rm -rf`.")
'Important: see NHS (https://www.nhs.uk), not rm -rf.'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from pipeline.readers.emit import BARE_ADDRESS

# Our own placeholder marks (Unicode noncharacters, should an article contain them),
# escapes and runs of backticks: what :func:`_set_aside_code` looks at.
_RESERVED = ("\ufdd0", "\ufdd1")
_CODE_TOKEN = re.compile(r"[\uFDD0\uFDD1]|\\[!-/:-@\[-`{-~]|`+")
# Kept as written, in this order of precedence (after code spans): escapes, links
# (and images), autolinks and bare addresses.
_ATOM = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<image>!)?\[(?P<label>[^\[\]]*)\]\((?P<url>[^\s()]*)(?:\s+\"[^\"]*\")?\)"
    r"|<(?P<autolink>(?:https?://|mailto:)[^\s<>]+)>"
    rf"|(?P<bare>{BARE_ADDRESS})"
)
_PLACEHOLDER = re.compile("\ufdd0(\\d+)\ufdd1")
# Marks, then the text they mark: no mark of the same kind inside, except between two
# letters (``5*3``, ``my_file``), so each opening mark looks no further than the next
# mark and a long line costs one pass; nested marks go, innermost first, a round each.
_EMPHASIS = (
    re.compile(r"(?<![\w*])(\*{1,3})(?=[^\s*])((?:[^*]|(?<=\w)\*(?=\w))+?)(?<=[^\s*])\1(?![\w*])"),
    re.compile(r"(?<![\w_])(_{1,3})(?=[^\s_])((?:[^_]|(?<=\w)_(?=\w))+?)(?<=[^\s_])\1(?![\w_])"),
)


def strip_inline_markup(text: str) -> str:
    """``text`` without Markdown's inline markup (see the module docstring).

    Each escape, code span, link and address is set aside behind a placeholder, the
    emphasis markers are taken out of what remains, and the set-aside texts go back in.

    >>> strip_inline_markup("Take *one* tablet; 5 * 3 = 15; my_file_name; \\\\*not\\\\*")
    'Take one tablet; 5 * 3 = 15; my_file_name; *not*'
    >>> strip_inline_markup("**See `x`** and **https://www.nhs.uk**")
    'See x and https://www.nhs.uk'
    """
    kept: list[str] = []

    def set_aside(shown: str) -> str:
        kept.append(shown)
        return f"\ufdd0{len(kept) - 1}\ufdd1"

    masked = _set_aside_code(text, set_aside)
    masked = _strip_emphasis(_ATOM.sub(lambda atom: set_aside(_atom_text(atom)), masked))
    return _restore(masked, kept)


def _restore(text: str, kept: list[str]) -> str:
    """The set-aside texts back in place (a link's label may hold a code span's)."""
    return _PLACEHOLDER.sub(lambda mark: _restore(kept[int(mark[1])], kept), text)


def _set_aside_code(text: str, set_aside: Callable[[str], str]) -> str:
    """Code spans (and our placeholder marks) set aside, in one pass.

    A run of backticks opens a code span that the next run of the same length closes;
    a run with no such partner is literal backticks (as CommonMark has it). Each run
    finds its partner through a list of the runs of its length, so 2,000 backticks
    cost no more than 2,000 letters.

    >>> _set_aside_code("a ``b`c`` `d", lambda s: f"<{s}>")
    'a <b`c> `d'
    """
    tokens = list(_CODE_TOKEN.finditer(text))
    runs: dict[int, list[int]] = {}  # run length -> indexes of the runs in tokens
    for i, token in enumerate(tokens):
        if token.group()[0] == "`":
            runs.setdefault(len(token.group()), []).append(i)
    parts: list[str] = []
    last, i = 0, 0
    while i < len(tokens):
        token = tokens[i]
        if token.group()[0] == "`":
            same = runs[len(token.group())]
            after = bisect.bisect_right(same, i)
            if after < len(same):
                close = tokens[same[after]]
                code = _code_text(text[token.end() : close.start()])
                parts += [text[last : token.start()], set_aside(code)]
                last, i = close.end(), same[after]
        elif token.group() in _RESERVED:
            parts += [text[last : token.start()], set_aside(token.group())]
            last = token.end()
        i += 1
    return "".join(parts) + text[last:]


def _code_text(code: str) -> str:
    """A code span's text: one space inside each end is padding (``` `` `a` `` ```)."""
    if code.startswith(" ") and code.endswith(" ") and code.strip():
        return code[1:-1]
    return code


def _atom_text(atom: re.Match[str]) -> str:
    """What an escape, link or address shows."""
    if atom["escaped"] is not None:
        return atom["escaped"]
    if atom["url"] is not None:
        label = strip_inline_markup(atom["label"])
        return _link_text(label, atom["url"], image=atom["image"] is not None)
    if atom["autolink"] is not None:
        return atom["autolink"].removeprefix("mailto:")
    return atom["bare"]


def _link_text(label: str, url: str, *, image: bool) -> str:
    """``NHS (https://www.nhs.uk)``; an image's description; the address said once.

    >>> _link_text("https://a.org", "https://a.org", image=False)
    'https://a.org'
    """
    if image or not url:
        return label
    if not label or label == url:
        return url
    return f"{label} ({url})"


def _strip_emphasis(text: str) -> str:
    """Emphasis markers out, innermost first: ``**a *b* c**`` takes two rounds."""
    while True:
        stripped = text
        for pattern in _EMPHASIS:
            stripped = pattern.sub(r"\2", stripped)
        if stripped == text:
            return text
        text = stripped
