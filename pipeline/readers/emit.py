"""Rich documents written as the Markdown the sectioner reads.

A web page or a Word document becomes plain article text: ``# Title``, ``## Heading``,
``- item`` and ``1. item``, paragraphs, ``> quote`` and table rows, one block per
line with a blank line between. Text is escaped so that nothing in it is read as
markup: a paragraph that starts with ``1.`` or ``#`` stays a paragraph, and ``*`` or
``_`` in it are the article's own characters. Addresses are kept as written, with no
escapes in them.

>>> print(paragraph("# 1 tip: take *one* [daily] at https://a.org/x_y"))
\\# 1 tip: take \\*one\\* \\[daily\\] at https://a.org/x_y
>>> print(paragraph("2. Rest"), paragraph("Table: x"), link("the NHS", "https://www.nhs.uk/a (b)"))
2\\. Rest Table\\: x [the NHS](https://www.nhs.uk/a%20%28b%29)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

BARE_ADDRESS = r"https?://[^\s<>\\]*[^\s<>*_\\]"
"""A web address in running text, which Markdown reads as written: no escapes in it
(the emphasis marks after it are not part of it)."""
_ADDRESS = re.compile(BARE_ADDRESS)
_SPECIAL = re.compile(r"[\\`*_\[\]<|]")
_LINE_START = re.compile(r"^(?:([#>+\-])|(\d{1,3})([.)])(?=\s|$))")
_SPACE = re.compile(r"\s+")
LINK_SCHEMES = ("http://", "https://", "mailto:")
CAPTION = "Table:"
"""A line that starts so, right below a table, is its caption."""


def squeeze(text: str) -> str:
    """Runs of white space (line breaks in a paragraph too) as one space, trimmed.

    >>> squeeze("  a\\n\\tb  ")
    'a b'
    """
    return _SPACE.sub(" ", text).strip()


def escape(text: str) -> str:
    """``text`` with every Markdown mark escaped, except inside addresses."""
    parts: list[str] = []
    last = 0
    for address in _ADDRESS.finditer(text):
        parts.append(_SPECIAL.sub(r"\\\g<0>", text[last : address.start()]))
        parts.append(address.group())
        last = address.end()
    parts.append(_SPECIAL.sub(r"\\\g<0>", text[last:]))
    return "".join(parts)


def _escape_start(line: str) -> str:
    """A line that would start a heading, quote, list or table, kept as text."""
    if line.startswith(CAPTION):
        return "Table\\" + line[len("Table") :]
    match = _LINE_START.match(line)
    if match is None:
        return line
    if match[1]:
        return "\\" + line
    return f"{match[2]}\\{line[len(match[2]) :]}"


def paragraph(text: str) -> str:
    """A paragraph's line: its text squeezed onto one line and escaped."""
    return paragraph_text(escape(text))


def paragraph_text(escaped: str) -> str:
    """A paragraph's line from text whose marks are escaped already (it holds links)."""
    return _escape_start(squeeze(escaped))


def link(label: str, address: str) -> str:
    """``[label](address)`` for an address leaflet can link to; else the label alone.

    Only web and mail addresses are links (never ``javascript:`` or a page's own
    relative links, which lead nowhere outside it).

    >>> link("our page", "/about"), link("https://a.org", "https://a.org")
    ('our page', 'https://a.org')
    """
    label = squeeze(label)
    address = address.strip()
    if not address.lower().startswith(LINK_SCHEMES):
        return escape(label)
    safe = quote(address, safe="/:?#&=+%@!$',;~*-._")
    if label in ("", address):
        return safe
    return f"[{escape(label)}]({safe})"


def heading(text: str, level: int) -> str:
    """``## Side effects`` for a level-2 heading (level 1 is the title)."""
    return f"{'#' * level} {escape(squeeze(text))}"


def list_items(items: Iterable[str], *, ordered: bool) -> list[str]:
    """Each item on its line, ``- item`` or ``1. item``; each item is already escaped."""
    return [f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, 1)]


def quote_lines(paragraphs: Iterable[str]) -> list[str]:
    """``> paragraph`` lines, with ``>`` alone between paragraphs."""
    lines: list[str] = []
    for text in paragraphs:
        if lines:
            lines.append(">")
        lines.append(f"> {text}")
    return lines


def table_lines(rows: Sequence[Sequence[str]], caption: str | None = None) -> list[str]:
    """A Markdown table: the first row is the header; every row as wide as the widest;
    the caption below as ``Table: caption``. Cells are already escaped.

    >>> table_lines([["Age", "Dose"], ["16-64"]], "Doses")
    ['| Age | Dose |', '| --- | --- |', '| 16-64 |  |', '', 'Table: Doses']
    """
    width = max(len(row) for row in rows)
    padded = [[*row, *([""] * (width - len(row)))] for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in padded]
    lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
    if caption:
        lines += ["", f"{CAPTION} {escape(squeeze(caption))}"]
    return lines


def join_blocks(blocks: Iterable[Sequence[str]]) -> str:
    """Blocks of lines, a blank line between blocks; empty blocks left out."""
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"
