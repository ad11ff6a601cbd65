"""A PDF/UA structure walker for the tests (veraPDF is not available here): the structure
tree from ``/StructTreeRoot``, and every page's marked content with the text it draws,
decoded through the fonts' ``/ToUnicode`` maps."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pikepdf


@dataclass
class Element:
    """A structure element as the walker found it."""

    type: str  # "H1", "P", "L", ...
    obj: pikepdf.Object
    depth: int
    page: int | None
    content: list[tuple[int, int]] = field(default_factory=list)  # (page, MCID) it owns
    children: list[Element] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def kinds(self) -> list[str]:
        return [child.type for child in self.children]


@dataclass
class Tagged:
    """A tagged PDF, read: its tree, and each page's marked content."""

    pdf: pikepdf.Pdf
    root: Element
    text: dict[tuple[int, int], str]  # (page, MCID) of each sequence -> the text it draws
    artifacts: list[list[str]]  # per page, the text drawn inside artifacts
    untagged: list[list[str]]  # per page, text drawn outside any marked content

    def elements(self, kind: str | None = None) -> list[Element]:
        return [e for e in self.root.walk() if kind is None or e.type == kind]

    def text_of(self, element: Element) -> str:
        """The text of ``element`` and everything below it, in tree order."""
        parts = [self.text.get(key, "") for e in element.walk() for key in e.content]
        return " ".join(" ".join(parts).split())


def read(data: bytes) -> Tagged:
    pdf = pikepdf.open(io.BytesIO(data))
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    root = _element(pdf.Root.StructTreeRoot, pages, -1)
    text: dict[tuple[int, int], str] = {}
    artifacts, untagged = [], []
    for number, page in enumerate(pdf.pages):
        drawn, art, loose = _marked_text(page)
        text.update({(number, mcid): words for mcid, words in drawn.items()})
        artifacts.append(art)
        untagged.append(loose)
    return Tagged(pdf, root, text, artifacts, untagged)


def _element(obj: pikepdf.Object, pages: dict[tuple[int, int], int], depth: int) -> Element:
    page = pages[obj.Pg.objgen] if "/Pg" in obj else None
    element = Element(str(obj.get("/S", "/StructTreeRoot"))[1:], obj, depth, page)
    kids = obj.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            assert page is not None, "an MCID in an element with no /Pg"
            element.content.append((page, int(kid)))
        elif kid.get("/Type") == "/MCR":
            element.content.append((pages[kid.Pg.objgen], int(kid.MCID)))
        elif kid.get("/Type") != "/OBJR":
            assert kid.get("/P") is not None and kid.P.objgen == obj.objgen, "bad /P"
            element.children.append(_element(kid, pages, depth + 1))
    return element


def _marked_text(page: pikepdf.Page) -> tuple[dict[int, str], list[str], list[str]]:
    """The page's text by MCID, the text of its artifacts, and any text outside both."""
    fonts = page.Resources.get("/Font", {})
    drawn: dict[int, list[str]] = {}
    artifacts: list[str] = []
    loose: list[str] = []
    stack: list[int | str | None] = []  # an MCID, "artifact", or None for other marks
    font = None
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        operands = list(instruction.operands)
        if operator in ("BDC", "BMC"):
            props = operands[1] if operator == "BDC" else None
            if operands[0] == "/Artifact":
                stack.append("artifact")
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                stack.append(int(props.MCID))
                drawn.setdefault(int(props.MCID), [])  # an image's draws no text
            else:
                stack.append(None)
        elif operator == "EMC":
            stack.pop()
        elif operator == "Tf":
            font = fonts[operands[0]]
        elif operator in ("Tj", "TJ"):
            text = _decode(font, operands[0])
            owner = next((mark for mark in reversed(stack) if mark is not None), None)
            if owner == "artifact":
                artifacts.append(text)
            elif isinstance(owner, int):
                drawn.setdefault(owner, []).append(text)
            elif text.strip():
                loose.append(text)
    assert not stack, "unbalanced marked content"
    return {mcid: "".join(parts) for mcid, parts in drawn.items()}, artifacts, loose


def _decode(font: pikepdf.Object, operand: pikepdf.Object) -> str:
    pieces = operand if isinstance(operand, pikepdf.Array) else [operand]
    codes = _to_unicode(font.ToUnicode.objgen, bytes(font.ToUnicode.read_bytes()))
    out = []
    for piece in pieces:
        if isinstance(piece, pikepdf.String):
            raw = bytes(piece)
            pairs = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))
            out += [codes.get(code, "?") for code in pairs]
    return "".join(out)


@cache
def _to_unicode(key: tuple[int, int], cmap: bytes) -> dict[int, str]:
    text = cmap.decode("latin-1")
    codes: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        pattern = r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>"
        for low, high, target in re.findall(pattern, block):
            first = int(target, 16)
            for code in range(int(low, 16), int(high, 16) + 1):
                codes[code] = chr(first + code - int(low, 16))
    return codes
