"""Web pages (``.html``, ``.htm``): the article in them, as Markdown.

trafilatura finds the page's main content and drops what is not the article
(navigation, scripts, styles, cookie banners, related links, footers). Its result is
a small tree of blocks (``head``, ``p``, ``list``, ``table``, ``quote``), which this
module writes as the Markdown the sectioner reads (:mod:`.emit`):

- the page's first ``h1`` (else its ``<title>``) is the title, ``h2``-``h6`` are
  headings at their levels;
- ``ul`` and ``ol`` are lists (a list inside a list is flattened into it);
- a paragraph is a paragraph, a block quote a quote, a table a table;
- a link keeps its text and its address, ``text (address)`` on the leaflet; links to
  the site's own pages (relative addresses) and scripts keep their text only;
- a paragraph or list of links to other sites under a heading of sources (Further
  information) in what the page marks as its main content (``article``, ``main``) is
  kept, which trafilatura drops as navigation;
- images are left out: a web page's pictures are not files beside the article;
- what the page hides (``hidden``, ``display: none``) is left out, as a browser shows it;
- a ``<pre>`` block is a quote with a paragraph for each of its lines.

A page with no article in it (only navigation, say) is an error naming the file, and
so is a page nested more than 255 tags deep (hundreds of tags left open): the parser
stops there, and the rest of the article would be lost without a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import InputError
from pipeline.readers.emit import (
    LINK_SCHEMES,
    escape,
    heading,
    join_blocks,
    link,
    list_items,
    paragraph_text,
    quote_lines,
    squeeze,
    table_lines,
)
from pipeline.readers.text import (
    Article,
    codec_name,
    decode,
    detected_encoding,
    is_utf8,
    refuse_empty,
)

_BODY_TAGS = frozenset({"p", "list", "table", "quote"})


def read_html(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A web page's article, as Markdown text."""
    name = str(path)
    page = _page_source(data, name, encoding)
    found = _extract(page, name)
    title = _title(found)
    body = found.body
    if body is None or not any(child.tag in _BODY_TAGS for child in body):
        raise InputError(_no_article(name))
    blocks = [[heading(title, 1)]] if title else []
    blocks += list(_blocks(body, skip_title=title))
    text = join_blocks(blocks)
    refuse_empty(text if text.strip("\n") else "", name)  # no block at all: empty
    return Article(text, "markdown")


def _page_source(data: bytes, name: str, encoding: str | None) -> bytes | str:
    """Text when the encoding is known (named, or a BOM), or when a page that is not
    UTF-8 does not say its own (read as a browser reads it: :func:`_undeclared`); else
    the bytes, whose ``<meta charset>`` the parser reads."""
    if encoding is not None:
        codec_name(encoding, name)
        return decode(data, name, encoding)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, name)
    if not data.strip():
        refuse_empty(data.decode("ascii"), name)  # spaces and line breaks: no text
    if not _DECLARED.search(data) and not is_utf8(data):
        return _undeclared(data, name)
    return data


# An encoding declared anywhere (the parser reads a <meta> after a long <script> too).
_DECLARED = re.compile(rb"<meta[^>]{0,512}?charset|<\?xml[^>]{0,200}?encoding", re.IGNORECASE)


def _undeclared(data: bytes, name: str) -> str:
    """A page that is not UTF-8 and does not say its encoding: in another script's
    encoding when the text reader's detection is sure of one whose letters are mostly
    not Latin (Russian in Windows-1251), else as a browser in an English-speaking place
    reads it, as Windows-1252, the web's default (WHATWG's Encoding standard). Guessing
    among Latin code pages read ``Café “quoted”`` as the Baltic DOS code page's ``Cafķ
    ōquotedö``. Bytes Windows-1252 leaves undefined mean it is something else: then the
    text reader's detection decides, or says it cannot."""
    found = detected_encoding(data)
    if found is not None and _mostly_other_scripts(data.decode(found, errors="replace")):
        return decode(data, name, found)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return decode(data, name)


def _mostly_other_scripts(text: str) -> bool:
    """Whether most letters outside ASCII are of a script other than Latin."""
    letters = [c for c in set(text) if not c.isascii() and c.isalpha()]
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return bool(letters) and latin * 2 < len(letters)


def _extract(page: bytes | str, name: str) -> Any:
    import trafilatura  # slow to import: only when a web page is read

    _refuse_too_deep(page, name)
    try:
        found = trafilatura.bare_extraction(
            _as_shown(page),
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=True,
            include_formatting=True,
            date_extraction_params={"extensive_search": False},
        )
    except (ValueError, RecursionError, MemoryError) as error:
        raise InputError(f"{name}: the web page cannot be read ({type(error).__name__})") from None
    if found is None:
        raise InputError(_no_article(name))
    return found


def _as_shown(page: bytes | str) -> Any:
    """The page as trafilatura reads it (decoded its way), as a browser shows it: less
    every element marked ``hidden`` (trafilatura drops what a style hides but keeps
    these, so a spinner's or a site's hidden keywords would be printed), unless the
    reader can open it (an accordion's panel, named by a button's ``aria-controls``, or
    ``hidden="until-found"``, which a search in the page opens); and each
    ``<pre>`` of plain text a quote of its lines (trafilatura would join them: ``Dose
    table: morning 1 tablet evening 2 tablets``). A page it cannot read at all is given
    back as it came, for trafilatura to say so."""
    from trafilatura.utils import load_html

    tree = load_html(page)
    if tree is None:
        return page
    shown_later = {i for ids in tree.xpath("//@aria-controls") for i in str(ids).split()}
    for element in tree.xpath("//*[@hidden]"):
        if element.get("hidden") != "until-found" and element.get("id") not in shown_later:
            element.drop_tree()  # its tail, text after it, stays
    for pre in tree.xpath("//pre[not(*)]"):
        _lines_broken(pre)
    _drop_marks(tree)
    site = _site(tree)
    for container in tree.xpath(_MAIN):
        _mark_links(_cited(_blocks_of(container), container, site))
    return tree


def _cited(blocks: list[_Block], container: Any, site: str) -> list[Any]:
    """The links of the blocks that are what the article cites (:func:`_mostly_links`),
    outside any part of the page named as an advertisement or sharing bar; the items of
    one list are judged together (one item of the site's own pages and the list is the
    site's)."""
    lists: dict[Any, list[_Block]] = {}
    cited: list[Any] = []
    promotion: dict[Any, bool] = {container: False}  # each element around asked once
    for block in blocks:
        if block.element.tag == "li" and block.element.getparent() is not None:
            lists.setdefault(block.element.getparent(), []).append(block)
        elif _mostly_links(block, site) and not _in_promotion(block.element, promotion):
            cited += block.links
    for items in lists.values():
        linked = [item for item in items if item.links]
        citing = linked and all(_mostly_links(item, site) for item in linked)
        if citing and not _in_promotion(items[0].element, promotion):
            cited += [anchor for item in linked for anchor in item.links]
    return cited


_PROMOTION = re.compile(
    r"(?i)(?:^|[\s_-])(?:ads?|advert\w*|sponsor\w*|promo\w*|related|share\w*|social|"
    r"newsletter|outbrain|taboola|partner\w*|affiliate\w*|commercial|recommended\w*|"
    r"trending|more-from\w*)(?=$|[\s_-])|adsbygoogle|(?-i:(?:^|[\s_-])[aA]d(?=[A-Z])|[a-z]Ad(?:$|[A-Z]))"
)
"""A class or id naming an advertisement (``ad-slot``, ``adBox``, ``adsbygoogle``), a
sharing bar or a list of related or recommended pages."""
_NAMES_READ = 200  # characters read of a class, an id, a heading or a label (hostile: 300,000)


def _in_promotion(element: Any, known: dict[Any, bool]) -> bool:
    """Whether ``element`` or an element around it is named as an advertisement, a
    sharing bar or related pages; ``known`` holds the elements already asked (and the
    container, ``False``), so each is asked once however many blocks it holds."""
    path = []
    node = element
    while node is not None and node not in known:
        path.append(node)
        node = node.getparent()
    found = known.get(node, False) if node is not None else False
    for each in reversed(path):  # from the outermost down
        names = f"{(each.get('class') or '')[:_NAMES_READ]} {(each.get('id') or '')[:_NAMES_READ]}"
        found = found or _PROMOTION.search(names) is not None
        known[each] = found
    return found


# What the page marks as its main content (the outermost such element). trafilatura
# drops a paragraph or list item that is mostly links as a page's navigation; in an
# article's own content it is what the author points to (Further information: NHS, NICE
# guideline NG193).
_MAIN_TAG = "self::article or self::main or @role='main'"
_MAIN = f"//*[{_MAIN_TAG}][not(ancestor::*[{_MAIN_TAG}])]"
_BLOCK_TAGS = frozenset({"p", "li"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CITING = re.compile(
    r"(?i)\b(?:information|links?|resources|references?|sources?|reading|see also|"
    r"find out more|help|support|contacts?|organi[sz]ations?|bibliography|websites?)\b"
)
"""Words of a heading over what an article cites: Further information, Useful links,
References, Sources, Where to get help."""
_SELLING = re.compile(r"(?i)\b(?:sponsor\w*|advert\w*|partners?|promot\w*|donat\w*|support us)\b")
"""Words of a heading over what is sold or asked for: Sponsored links, Support us."""


def _cites(heading: str) -> bool:
    """Whether a heading stands over what an article cites (:data:`_CITING`), not over
    what is sold or asked for (:data:`_SELLING`)."""
    heading = heading[:_NAMES_READ]
    return _CITING.search(heading) is not None and _SELLING.search(heading) is None


@dataclass
class _Block:
    """A paragraph or list item: the heading it stands under, how many characters of its
    own text show (not those of a list inside it), and its own links."""

    element: Any
    under: str = ""
    shown: int = 0
    links: list[Any] = field(default_factory=list)


def _blocks_of(container: Any) -> list[_Block]:
    """The paragraphs and list items inside ``container``, read in one walk (each text
    counted once: a list nested 200 deep is read in time that grows with its size)."""
    blocks: list[_Block] = []
    heading = [""]  # the last heading read

    def visit(element: Any, block: _Block | None) -> None:
        if element.tag in _HEADING_TAGS or _a_label(element):
            heading[0] = _shown_text(element)  # a label (Advertisement) ends a heading's part
        if element.tag in _BLOCK_TAGS:
            block = _Block(element, heading[0])
            blocks.append(block)
        elif block is not None and element.tag == "a" and element.get("href") is not None:
            block.links.append(element)
        if block is not None:
            block.shown += _shown(element.text)
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                visit(child, block)
            if block is not None:
                block.shown += _shown(child.tail)

    visit(container, None)
    return blocks


def _a_label(element: Any) -> bool:
    """A short paragraph of text alone that labels what follows as sold or asked for
    (``Advertisement``, ``Sponsored``): it ends the part of the heading before it."""
    if element.tag != "p" or len(element) or len(element.text or "") >= _LABEL:
        return False
    return _SELLING.search(element.text or "") is not None


_LABEL = 40  # characters at most of a paragraph that labels what follows


def _shown(text: str | None) -> int:
    """Characters of ``text`` that are not blank space."""
    return len("".join(text.split())) if text else 0


_FOR_LINK = "\ufdd0\ufdd1\ufdd2"  # noncharacters, for a program's own use: no page holds them
_MARKED_LINK = re.compile("\ufdd0([^\ufdd0-\ufdd2]*)\ufdd1([^\ufdd0-\ufdd2]*)\ufdd2")


_SHARING = re.compile(
    r"(?i)\b(?:share\w*|sharing|tweet|follow|subscribe|sponsored|advertisement)\b(?!-)"
    r"|intent/|\bthis (?:page|article)\b|\bpin it\b|\b(?:post|send) (?:to|on|via|it)\b"
    r"|e-?mail (?:a|to a) friend|wa\.me/|whatsapp|/pin/create|/submit\?|/compose|^mailto:\?"
)
"""Words of a button's label or address: sharing the page, following the site."""


def _mostly_links(block: _Block, site: str) -> bool:
    """Whether the block stands under a heading of what an article cites (:data:`_CITING`)
    and at least half of its own text is the text of links to other sites than the page's
    own (``site``), each shown and of two words or more, none a button for sharing the
    page (``Share on Facebook``): what an article cites, not the site's own pages nor
    advertisements."""
    if not block.links or any(map(_unshown, block.links)) or not _cites(block.under):
        return False
    labels = list(map(_shown_text, block.links))
    if any(len(label.split()) < 2 or _SHARING.search(label[:_NAMES_READ]) for label in labels):
        return False
    if not all(_elsewhere(anchor.get("href"), site) for anchor in block.links):
        return False
    return 2 * sum(map(_shown, labels)) >= block.shown


def _site(tree: Any) -> str:
    """The page's own site, if it says (its canonical address, or Open Graph's): its
    host without ``www.``; else ``""``."""
    for address in tree.xpath(
        "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"
    ):
        host = _host(str(address))
        if host:
            return host
    return ""


def _host(address: str) -> str:
    try:
        host = urlsplit(address.strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _elsewhere(address: str | None, site: str = "") -> bool:
    """Whether a link leads to a web or mail address of another site than ``site``."""
    address = (address or "").strip()
    if not address.lower().startswith(LINK_SCHEMES) or _SHARING.search(address):
        return False
    return not site or address.lower().startswith("mailto:") or _host(address) != site


def _mark_links(anchors: list[Any]) -> None:
    """Each link as text trafilatura keeps (its shown label and its address between
    noncharacters), which :func:`_unmarked` makes a link again: the text of each
    element holding some written anew once (a paragraph of 20,000 links joined one at a
    time to its growing text took minutes)."""
    by_parent: dict[Any, set[Any]] = {}
    for anchor in anchors:
        by_parent.setdefault(anchor.getparent(), set()).add(anchor)
    for parent, marked in by_parent.items():
        if parent is not None:
            _mark_in(parent, marked)


def _mark_in(parent: Any, marked: set[Any]) -> None:
    pieces = [parent.text or ""]
    last = None  # the last child kept: the text after it is its tail

    def put() -> None:
        text = "".join(pieces)
        if last is None:
            parent.text = text
        else:
            last.tail = text

    for child in list(parent):
        if child in marked:
            label = _shown_text(child).translate(_NO_MARKS)
            address = child.get("href").translate(_NO_MARKS)
            pieces += [f"\ufdd0{label}\ufdd1{address}\ufdd2", child.tail or ""]
            parent.remove(child)
        else:
            put()
            last, pieces = child, [child.tail or ""]
    put()


_UNSHOWN_TAGS = frozenset({"script", "style", "noscript", "template"})
_SPACED_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "table", "tr", "td", "th"})


def _shown_text(element: Any) -> str:
    """The text of ``element`` a reader sees: without scripts, styles and what a style
    hides, a space for a line break or a block; squeezed."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        if _unshown(node):
            return
        spaced = node.tag in _SPACED_TAGS
        parts.append(" " if spaced else "")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):  # not a comment
                visit(child)
            parts.append(child.tail or "")
        parts.append(" " if spaced else "")

    visit(element)
    return " ".join("".join(parts).split())


def _unshown(node: Any) -> bool:
    """A script, a style, or an element its own style hides."""
    if node.tag in _UNSHOWN_TAGS:
        return True
    style = (node.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


_NO_MARKS = dict.fromkeys(map(ord, _FOR_LINK))
_HAS_MARKS = "//text()[{}]".format(" or ".join(f"contains(., '{c}')" for c in _FOR_LINK))


def _drop_marks(tree: Any) -> None:
    """The page without the noncharacters links are marked with, should it hold any: its
    text never makes a link of its own."""
    for text in tree.xpath(_HAS_MARKS):
        parent = text.getparent()
        if text.is_tail:
            parent.tail = str(text).translate(_NO_MARKS)
        else:
            parent.text = str(text).translate(_NO_MARKS)


def _unmarked(text: str) -> str:
    """Escaped text, with the links :func:`_mark_links` marked as Markdown links
    again (a noncharacter on its own, from the page itself, is dropped)."""
    pieces = _MARKED_LINK.split(text)
    out = [escape(piece.translate(_NO_MARKS)) for piece in pieces[::3]]
    links = [link(*pair) for pair in zip(pieces[1::3], pieces[2::3], strict=True)]
    return "".join(part for pair in zip(out, [*links, ""], strict=True) for part in pair)


def _lines_broken(pre: Any) -> None:
    """A ``<pre>`` holding text alone, its lines that are not blank parted by ``<br>``:
    trafilatura makes it a quote, with a paragraph for each line
    (:func:`_quote_paragraphs`; the leaflet has no preformatted text). Not a quote of
    paragraphs: trafilatura takes time that grows faster than the page for those."""
    from lxml import etree

    first, *rest = [line for line in (pre.text or "").splitlines() if line.strip()] or [""]
    pre.text = first
    for line in rest:
        etree.SubElement(pre, "br").tail = line


def _refuse_too_deep(page: bytes | str, name: str) -> None:
    """An :class:`InputError` for a page libxml2 does not read to its end: nested more
    than 255 tags deep, it drops everything below (as trafilatura's own parse would)."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser()
    data = page.encode("utf-8") if isinstance(page, str) else page
    try:
        etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return  # trafilatura says what is wrong with it
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise InputError(
            f"{name}: the web page nests its tags more than 255 deep (tags left open?), so "
            "part of its article cannot be read; copy the article's text into a .txt file"
        )


def _no_article(name: str) -> str:
    return (
        f"{name}: no article found in this web page; save the page with its article, "
        "or copy the text into a .txt file"
    )


def _title(found: Any) -> str:
    """The first ``h1`` of the article, else the page's title."""
    for head in found.body.iter("head") if found.body is not None else ():
        if head.get("rend") == "h1":
            return squeeze(_plain(head))
    return squeeze(found.title or "")


def _blocks(body: Any, *, skip_title: str) -> Iterator[list[str]]:
    for child in body:
        tag = child.tag
        if tag == "head":
            level = _level(child)
            text = squeeze(_plain(child))
            if level == 1 and text == skip_title:
                skip_title = ""  # the title already stands first
                continue
            yield [heading(text, level)] if text else []
        elif tag == "list":
            yield list_items(_items(child), ordered=child.get("rend") == "ol")
        elif tag == "table":
            yield _table(child)
        elif tag == "quote":
            yield quote_lines(_quote_paragraphs(child))
        else:
            text = _inline(child)
            yield [text] if text else []


def _level(head: Any) -> int:
    rend = head.get("rend") or "h2"
    return int(rend[1]) if len(rend) == 2 and rend[1] in "123456" else 2


def _items(node: Any) -> Iterator[str]:
    """Each item of a list, those of lists inside it too, in order."""
    for item in node.iter("item"):
        text = _inline(item, stop=("list",))
        if text:
            yield text


def _quote_paragraphs(quote: Any) -> Iterator[str]:
    """A quote's paragraphs; a quote of lines alone (a ``<pre>``, lines broken with
    ``<br>``) has a paragraph for each line."""
    paragraphs = [child for child in quote if child.tag in ("p", "list", "head")]
    if paragraphs:
        texts = [_inline(child) for child in paragraphs]
    else:
        parts: list[str] = []
        breaks: list[int] = []  # where in parts a line ends
        _collect(quote, parts, (), breaks)
        ends = zip([0, *breaks], [*breaks, len(parts)], strict=True)
        texts = [paragraph_text("".join(parts[start:end])) for start, end in ends]
    yield from (text for text in texts if text)


def _table(table: Any) -> list[str]:
    rows = [[_inline(cell) for cell in row.iter("cell")] for row in table.iter("row")]
    rows = [row for row in rows if any(row)]
    caption = None
    if len(rows) > 1 and len(rows[0]) > 1 and sum(1 for cell in rows[0] if cell) == 1:
        caption, rows = rows[0][0], rows[1:]  # a caption becomes a row of its own
    return table_lines(rows, caption) if rows else []


def _plain(node: Any) -> str:
    """A node's text; a marked link's label alone."""
    return _MARKED_LINK.sub(r"\1", "".join(node.itertext())).translate(_NO_MARKS)


def _inline(node: Any, stop: tuple[str, ...] = ()) -> str:
    """A block's text as one escaped Markdown line, links as ``[text](address)``;
    what is inside a ``stop`` element is left out (a list inside a list item)."""
    parts: list[str] = []
    _collect(node, parts, stop)
    return paragraph_text("".join(parts))


def _collect(
    node: Any, parts: list[str], stop: tuple[str, ...], breaks: list[int] | None = None
) -> None:
    """A node's text into ``parts``; a line break as a space, or, with ``breaks``, as
    the place in ``parts`` where a line ends."""
    parts.append(_unmarked(node.text or ""))
    for child in node:
        if child.tag in stop:
            pass
        elif child.tag == "ref":
            parts.append(link(_plain(child), child.get("target") or ""))
        elif child.tag == "lb":
            if breaks is None:
                parts.append(" ")
            else:
                breaks.append(len(parts))
        else:
            _collect(child, parts, stop, breaks)
        parts.append(_unmarked(child.tail or ""))
