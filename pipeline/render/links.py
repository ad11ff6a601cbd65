"""Article text as HTML: escaped, with its addresses as links, and long words breakable.

:func:`linkify` escapes a piece of article text and makes every web or mail address
in it a link whose text is the address itself (:func:`shortened` when very long), so
the address reads the same on paper and on screen, and is clickable in the web page
and in the PDF (WeasyPrint makes each ``<a href>`` a link annotation). Only ``http:``,
``https:`` and ``mailto:`` addresses and e-mail addresses are links; the brackets,
quotes and full stop around an address are not part of it.

An address longer than :data:`LONG_ADDRESS` characters is shown as its start, "…" and
its end, and links to the whole address: nobody types an address that long from paper,
and printed whole, 160,000 characters would take fifty pages before the sign-off; its
start names the site and its end the page. That also keeps the PDF's size and time in
step with the address's length: WeasyPrint writes a link annotation holding the whole
address (twice) for each line the link's text takes, so a long address shown whole
costs the square of its length.

For the PDF, :func:`breakable` lets a word longer than any line break: laying out one
unbreakable 40,000-character word takes WeasyPrint time that grows with the square of
its length, and a break opportunity every :data:`PIECE` characters keeps it linear.

>>> linkify("See NHS (https://www.nhs.uk/a_b). <b>")
Markup('See NHS (<a href="https://www.nhs.uk/a_b">https://www.nhs.uk/a_b</a>). &lt;b&gt;')
>>> linkify("Email gp@example.org.")
Markup('Email <a href="mailto:gp@example.org">gp@example.org</a>.')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

ADDRESS = re.compile(
    r"(?P<web>(?:https?://|mailto:)[^\s<>()\"]*[^\s<>()\"'.,;:!?’”])"
    # an e-mail address; bounded parts, so a long word with no "@" costs one pass
    r"|(?P<mail>(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-]))"
)
LONG_WORD = 64
"""A word longer than this many characters gets break opportunities in the PDF."""
PIECE = 32
LONG_ADDRESS = 200
"""The longest address shown whole; a longer one shows its first :data:`HEAD` and last
:data:`TAIL` characters."""
HEAD, TAIL = 140, 40
_LONG = re.compile(rf"\S{{{LONG_WORD + 1},}}")
_BREAK = "\u200b"  # ZERO WIDTH SPACE: a line may break here; nothing is drawn


def linkify(text: str, shown: Callable[[str], str] = str) -> Markup:
    """``text`` escaped, its addresses as links; ``shown`` changes what is displayed
    (not the address linked to)."""
    parts: list[str] = []
    last = 0
    for address in ADDRESS.finditer(text):
        parts.append(escape(shown(text[last : address.start()])))
        href = address["web"] or f"mailto:{address['mail']}"
        label = escape(shown(shortened(address.group())))
        parts.append(f'<a href="{escape(href)}">{label}</a>')
        last = address.end()
    parts.append(escape(shown(text[last:])))
    return Markup("".join(parts))


def shortened(address: str) -> str:
    """``address`` as the leaflet shows it: whole up to :data:`LONG_ADDRESS` characters,
    else its start, "…" and its end.

    >>> shortened("https://a.org/x")
    'https://a.org/x'
    >>> shown = shortened("https://a.org/" + "x" * 300 + "/leaflet.pdf")
    >>> shown[:16], shown[-14:], len(shown)
    ('https://a.org/xx', 'xx/leaflet.pdf', 181)
    """
    if len(address) <= LONG_ADDRESS:
        return address
    return f"{address[:HEAD]}…{address[-TAIL:]}"


def breakable(text: str) -> str:
    """Words longer than :data:`LONG_WORD` with a break opportunity every
    :data:`PIECE` characters.

    >>> breakable("x" * 70 + " short").count("\\u200b")
    2
    """
    return _LONG.sub(lambda word: _BREAK.join(_pieces(word.group())), text)


def _pieces(word: str) -> list[str]:
    return [word[i : i + PIECE] for i in range(0, len(word), PIECE)]


def print_linkify(text: str) -> Markup:
    """:func:`linkify` for the PDF: long words breakable."""
    return linkify(text, breakable)
