"""PDF/UA: the structure tree WeasyPrint writes, made whole with pikepdf.

WeasyPrint 70 tags the PDF (``pdf_variant="pdf/ua-1"``) but leaves six things short
of PDF/UA, which :func:`fix_tags` mends after it writes:

1. The running header and the "Page X of Y" footer are marked as content whose
   structure elements are in no tree. They become artifacts
   (``/Artifact <</Type /Pagination>>``), as is a table's head repeated on a new page.
2. Each page is tagged on its own, so a section, list, paragraph or table that runs
   over a page break becomes one element per page. The pieces are joined back into
   one element; a piece's marked content on another page is referred to with a
   marked-content reference (``/MCR`` with its ``/Pg``).
3. Lists say nothing of their numbering: each ``L`` gets ``/ListNumbering`` from its
   CSS ``list-style-type`` (``/Decimal`` for ``<ol>``, ``/Disc`` for ``<ul>``); every
   item's number or bullet is already its ``Lbl``.
4. ``<aside>``, ``<footer>``, ``<header>``, ``<address>`` and ``<figure>`` are tagged
   ``NonStruct``; they become ``Sect`` or ``Div``.
5. Table header cells have an ``/ID`` but the tree has no ``/IDTree`` to find them by.
6. A link annotation's description (``/Contents``, what a screen reader says for the
   link) is its whole address, however long; it becomes the address as the leaflet
   shows it (:func:`~pipeline.render.links.shortened`).

The parent tree (marked content and link annotations back to their elements) is then
built again from the finished tree, so the two always agree.

To know which pieces belong together, :func:`noting_elements` has WeasyPrint note on
each structure element it writes which HTML element it came from, with that element's
tag and list style, in keys of our own (``/LeafletNode``, ``/LeafletTag``,
``/LeafletListStyle``); :func:`fix_tags` reads and removes them. Nothing else of
WeasyPrint's is changed, and the same PDF in gives the same bytes out.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pikepdf
from weasyprint.pdf import tags as weasyprint_tags

from pipeline.render.links import LONG_ADDRESS, shortened

NODE, TAG, LIST_STYLE = "/LeafletNode", "/LeafletTag", "/LeafletListStyle"
# HTML elements WeasyPrint tags NonStruct, and the standard type each should be.
RETAG = {"aside": "/Sect", "footer": "/Sect", "header": "/Div", "address": "/Div", "figure": "/Div"}
# CSS list-style-type -> PDF ListNumbering (PDF 1.7, table 347); anything else: /None.
LIST_NUMBERING = {
    "disc": "/Disc", "circle": "/Circle", "square": "/Square", "decimal": "/Decimal",
    "lower-roman": "/LowerRoman", "upper-roman": "/UpperRoman",
    "lower-alpha": "/LowerAlpha", "lower-latin": "/LowerAlpha",
    "upper-alpha": "/UpperAlpha", "upper-latin": "/UpperAlpha",
}  # fmt: skip
REPEATED = ("thead", "tfoot")  # drawn again on each page a table runs onto

_NOTES: ContextVar[dict[tuple[int, str], int] | None] = ContextVar("notes", default=None)
_build_box_tree = weasyprint_tags._build_box_tree


def _noting_build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
    """WeasyPrint's own function, which also notes each element's HTML element."""
    notes = _NOTES.get()
    for element in _build_box_tree(box, *args):
        # The first call to see an element made it (the others pass it up).
        if notes is not None and NODE[1:] not in element:
            _note(element, box, notes)
        yield element


def _note(element: Any, box: Any, notes: dict[tuple[int, str], int]) -> None:
    # pydyf writes a key with its "/"; a value as it is, so a name's "/" is ours to add.
    if box.element is None:  # an anonymous box: never joined to another
        element[NODE[1:]] = -1
        return
    tag = box.element_tag
    element[NODE[1:]] = notes.setdefault((id(box.element), tag), len(notes))
    element[TAG[1:]] = "/" + tag
    style = box.style["list_style_type"]
    if tag in ("ul", "ol") and isinstance(style, str):
        element[LIST_STYLE[1:]] = "/" + style


weasyprint_tags._build_box_tree = _noting_build_box_tree


@contextmanager
def noting_elements() -> Iterator[None]:
    """While WeasyPrint writes a PDF inside this block, it notes on each structure
    element which HTML element it came from, for :func:`fix_tags`."""
    token = _NOTES.set({})
    try:
        yield
    finally:
        _NOTES.reset(token)


def fix_tags(data: bytes) -> bytes:
    """The PDF ``data`` (written inside :func:`noting_elements`) with its structure tree
    made whole, as the module docstring lists."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        header_ids: dict[str, pikepdf.Object] = {}
        _join_pieces(root.K[0], header_ids)
        elements = list(_elements(root))
        for element in elements:
            _finish(element, header_ids)
        mapped = _build_parent_tree(pdf, root, elements)
        for number, page in enumerate(pdf.pages):
            _mark_artifacts(pdf, page, mapped.get(number, set()))
            _describe_links(page)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


def _elements(root: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """Every structure element in the tree, parents before children."""
    for kid in _kids(root):
        if _is_element(kid):
            yield kid
            yield from _elements(kid)


def _kids(element: pikepdf.Object) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/OBJR", "/MCR")


def _join_pieces(element: pikepdf.Object, header_ids: dict[str, pikepdf.Object]) -> None:
    """Join adjacent children that are pieces of one HTML element on successive pages,
    drop repeated table heads, then do the same below, top down."""
    kept: list[Any] = []
    seen: dict[int, pikepdf.Object] = {}  # node -> the element kept for it
    last_page: dict[int, Any] = {}  # node -> the page of its latest piece
    for kid in _kids(element):
        node = int(kid.get(NODE, -1)) if _is_element(kid) else -1
        first = seen.get(node) if node >= 0 else None
        if first is not None and str(kid.get(TAG, "/"))[1:] in REPEATED:
            _note_repeated_headers(first, kid, header_ids)  # its content: artifacts
        elif first is not None and kept[-1] is first and kid.Pg.objgen != last_page[node]:
            last_page[node] = kid.Pg.objgen
            _absorb(first, kid)
        else:
            kept.append(kid)
            if node >= 0:
                seen[node], last_page[node] = kid, kid.Pg.objgen
    element.K = pikepdf.Array(kept)
    for kid in kept:
        if _is_element(kid):
            _join_pieces(kid, header_ids)


def _absorb(first: pikepdf.Object, piece: pikepdf.Object) -> None:
    """Move ``piece``'s children into ``first``; its marked content on another page
    becomes a marked-content reference to that page."""
    if not isinstance(first.get("/K"), pikepdf.Array):
        first.K = pikepdf.Array(_kids(first))
    kids = first.K  # appended to in place: a list on 300 pages is not copied 300 times
    for kid in _kids(piece):
        if isinstance(kid, int) and piece.Pg.objgen != first.Pg.objgen:
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=piece.Pg, MCID=kid)
        elif _is_element(kid):
            kid.P = first
        kids.append(kid)


def _note_repeated_headers(
    first: pikepdf.Object, repeat: pikepdf.Object, header_ids: dict[str, pikepdf.Object]
) -> None:
    """A table head drawn again on a new page: the cells below that refer to its header
    cells' IDs are pointed at the first head's cells (same HTML ``th``) instead."""
    originals = {int(e[NODE]): e for e in _elements(first) if "/ID" in e and NODE in e}
    for cell in _elements(repeat):
        original = originals.get(int(cell[NODE])) if NODE in cell else None
        if "/ID" in cell and original is not None:
            header_ids[str(cell.ID)] = original.ID


def _finish(element: pikepdf.Object, header_ids: dict[str, pikepdf.Object]) -> None:
    """Standard types for our NonStruct boxes, list numbering, header cells as they are
    after repeated heads were dropped; then our own keys are removed."""
    tag = str(element.get(TAG, "/"))[1:]
    if element.S == "/NonStruct" and tag in RETAG:
        element.S = pikepdf.Name(RETAG[tag])
    if element.S == "/L":
        style = str(element.get(LIST_STYLE, "/"))[1:]
        numbering = LIST_NUMBERING.get(style, "/None")
        element.A = pikepdf.Dictionary(O=pikepdf.Name.List, ListNumbering=pikepdf.Name(numbering))
    attributes = element.get("/A")
    if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
        attributes.Headers = pikepdf.Array(
            [header_ids.get(str(key), key) for key in attributes.Headers]
        )
    for key in (NODE, TAG, LIST_STYLE):
        if key in element:
            del element[key]


def _build_parent_tree(
    pdf: pikepdf.Pdf, root: pikepdf.Object, elements: list[pikepdf.Object]
) -> dict[int, set[int]]:
    """The parent tree and ID tree for the finished tree; returns each page's MCIDs
    that belong to an element (every other MCID on the page is an artifact)."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    owners: dict[int, dict[int, pikepdf.Object]] = defaultdict(dict)
    annotations: dict[int, pikepdf.Object] = {}
    ids: dict[str, pikepdf.Object] = {}
    for element in elements:
        if "/ID" in element:
            ids[str(element.ID)] = element
        for kid in _kids(element):
            if isinstance(kid, int):
                owners[pages[element.Pg.objgen]][kid] = element
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                owners[pages[kid.Pg.objgen]][int(kid.MCID)] = element
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                annotations[int(kid.Obj.StructParent)] = element
    nums: list[Any] = []
    for number, page in enumerate(pdf.pages):
        page.StructParents = number
        owned = owners.get(number, {})
        parents = [owned.get(mcid, None) for mcid in range(max(owned, default=-1) + 1)]
        nums += [number, pdf.make_indirect(pikepdf.Array(parents))]
    for key in sorted(annotations):
        nums += [key, annotations[key]]
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = max([len(pdf.pages) - 1, *annotations]) + 1
    if ids:
        names = [item for key in sorted(ids) for item in (pikepdf.String(key), ids[key])]
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))
    return {number: set(owned) for number, owned in owners.items()}


def _describe_links(page: pikepdf.Page) -> None:
    """Each link annotation on ``page`` is described by its address as shown."""
    for annotation in page.obj.get("/Annots", []):
        described = str(annotation.get("/Contents", ""))
        if annotation.get("/Subtype") == "/Link" and len(described) > LONG_ADDRESS:
            annotation.Contents = pikepdf.String(shortened(described))


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mapped: set[int]) -> None:
    """Marked content on ``page`` whose MCID no element owns becomes an artifact."""
    instructions = pikepdf.parse_content_stream(page)
    changed = False
    for index, instruction in enumerate(instructions):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, operator = instruction.operands, instruction.operator
        if operator != pikepdf.Operator("BDC") or not isinstance(operands[1], pikepdf.Dictionary):
            continue
        mcid = operands[1].get("/MCID")
        if mcid is not None and int(mcid) not in mapped:
            artifact = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            instructions[index] = pikepdf.ContentStreamInstruction(artifact, operator)
            changed = True
    if changed:
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
