"""``make bench``: does reading and sectioning stay linear on pathological input?

Each reader (text, Markdown, web page, Word document) reads, and the sectioner sections,
inputs made of one repeated unit (a run of backticks, of ``(``, ``>``, ``#``, links,
table rows, nested tags, tiny Word runs ...) at 1x, 4x and 16x a base length. The PDF
renderer and the leaflet's web page get the same treatment for long words, long runs of
brackets and long addresses (in a paragraph, as ``mailto:``, in a list item and in a
table cell). For each input it prints the seconds at each length and the ratio of the
16x time to the 1x time: linear work gives about 16; the line is marked ``SLOW`` when
the ratio is over 40 (time growing faster than the input). Timings on a shared machine
are noisy; each figure is the best of three runs.

Not a test: nothing here fails. The units include a few drawn at random (seeded) from
the characters Markdown gives meaning to, so new shapes of input are tried on each
change of seed.

Usage: ``python bench/scaling_structure.py [--seed N] [--base CHARS]``.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.errors import InputError  # noqa: E402
from pipeline.read import read_article  # noqa: E402
from pipeline.structure import structure  # noqa: E402

SCALES = (1, 4, 16)
SLOW_RATIO = 40
MARKDOWN_UNITS = {
    "backticks": "`",
    "backtick pairs": "` ",
    "code spans": "`a`b",
    "stars": "*",
    "emphasis": "*a ",
    "underscores": "_a_ ",
    "brackets": "[",
    "links": "[a](b) ",
    "images": "![a](",
    "open parens": "(",
    "close parens": ")",
    "quote marks": ">",
    "hashes": "#",
    "escapes": "\\*",
    "pipes": "|",
    "table rows": "| a | b |\n",
    "quote lines": "> a\n",
    "list items": "- a\n",
    "addresses": "https://a.org/x_y ",
    "angle links": "<https://a",
}
MARKDOWN_SPECIALS = "`*_[]()!<>#|\\-:. a\n"
PDF_INPUTS = {  # label -> (text before, the repeated unit, text after); Markdown
    "one long word": ("", "x", ""),
    "run of brackets": ("", "(", ""),
    "words": ("", "word ", ""),
    "one long address": ("See https://example.com/", "a", "/page today."),
    "one long mailto: address": ("Write to mailto:", "a", "@example.com today."),
    "long address in a list item": ("- See https://example.com/", "a", " today.\n- Next."),
    "long address in a table cell": (
        "| Site | What |\n| --- | --- |\n| https://example.com/",
        "a",
        " | Advice |\n| Reception | Help |",
    ),
}
HTML_UNITS = {
    "paragraphs": "<p>Some words of the article here.</p>",
    "nested divs": "<div>",
    "unclosed bold": "<b>bold ",
    "links": '<a href="https://a.org/x">a link</a> ',
    # under a heading of sources, in one paragraph and in a list: read as what the
    # article cites (each link's text once, however many the paragraph holds)
    "cited links": '<a href="https://a.org/x">a source title</a> ',
    "cited list items": '<li><a href="https://a.org/x">a source title</a></li>',
    "entities": "&amp;&lt;&#x2603;",
    "list items": "<li>an item</li>",
    "table cells": "<td>cell</td>",
    "preformatted blocks": "<pre>Dose table:\n  morning  1 tablet</pre>\n",
}


def best_of_three(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def section(data: bytes, name: str) -> Callable[[], object]:
    """Read ``data`` as the file ``name`` and section it, as a build does; a page the
    reader refuses (nested too deep) is timed to its message, as a build meets it."""

    def work() -> object:
        try:
            article = read_article(data, Path(name))
        except InputError as error:
            return error
        return structure(article.text, markdown=article.markdown, images=article.images)

    return work


def report(label: str, make: Callable[[int], Callable[[], object]]) -> None:
    seconds = [best_of_three(make(scale)) for scale in SCALES]
    ratio = seconds[-1] / max(seconds[0], 1e-6)
    flag = "SLOW" if ratio > SLOW_RATIO else ""
    shown = "  ".join(f"{s:7.3f}" for s in seconds)
    print(f"  {label:28} {shown}   x{ratio:5.1f} {flag}")


def repeated(unit: str, length: int) -> str:
    return unit * max(1, length // len(unit))


def markdown_inputs(base: int, seed: int) -> None:
    print(f"markdown   {base:,} characters at 1x, 4x, 16x: seconds, and 16x / 1x")
    rng = random.Random(seed)
    units = dict(MARKDOWN_UNITS)
    for n in range(4):
        drawn = "".join(rng.choice(MARKDOWN_SPECIALS) for _ in range(rng.randint(1, 5)))
        units[f"random {n + 1} {drawn!r}"] = drawn
    for label, unit in units.items():
        report(
            label,
            lambda scale, unit=unit: section(
                ("Title\n\n" + repeated(unit, base * scale)).encode(), "a.md"
            ),
        )


def text_inputs(base: int) -> None:
    print("text")
    for label, unit in {"one long line": "word ", "many short lines": "a\n\n"}.items():
        report(
            label, lambda scale, unit=unit: section(repeated(unit, base * scale).encode(), "a.txt")
        )


def html_inputs(base: int) -> None:
    print("web page")
    for label, unit in HTML_UNITS.items():

        def make(scale: int, unit: str = unit, label: str = label) -> Callable[[], object]:
            body = repeated(unit, base * scale)
            if label.startswith("cited"):
                body = f"<h2>Further information</h2><p>{body}</p>"
            page = f"<html><body><article><h1>Title</h1><p>Lead.</p>{body}</article></body></html>"
            return section(page.encode(), "a.html")

        report(label, make)


def docx_bytes(paragraphs: int, runs: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Title", style="Title")
    for _ in range(paragraphs):
        paragraph = document.add_paragraph()
        for _ in range(runs):
            paragraph.add_run("a few words ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_inputs(base: int) -> None:
    print("word document")
    shapes = {
        "many paragraphs": lambda n: docx_bytes(n // 20, 1),
        "one paragraph, many runs": lambda n: docx_bytes(1, n // 12),
    }
    for label, build in shapes.items():
        report(label, lambda scale, build=build: section(build(base * scale), "a.docx"))


def leaflet_inputs(base: int, output: str) -> None:
    """Render :data:`PDF_INPUTS` as the leaflet's ``output``: ``pdf`` or ``html``."""
    from pipeline.article import build_document
    from pipeline.config import LeafletConfig
    from pipeline.render import render_html, render_pdf

    print(f"{output}   {base:,} characters at 1x")
    render = render_pdf if output == "pdf" else render_html
    config = LeafletConfig()
    for label, (before, unit, after) in PDF_INPUTS.items():

        def make(
            scale: int, parts: tuple[str, ...] = (before, unit, after)
        ) -> Callable[[], object]:
            text = parts[0] + repeated(parts[1], base * scale) + parts[2]
            doc = build_document("Title\n\n" + text, markdown=True)
            return lambda: render(doc, config)

        report(label, make)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="for the units drawn at random")
    parser.add_argument("--base", type=int, default=2000, help="characters at 1x")
    args = parser.parse_args()
    section(b"Warm up\n\nText.", "a.md")()
    markdown_inputs(args.base, args.seed)
    text_inputs(args.base)
    html_inputs(args.base)
    docx_inputs(args.base)
    leaflet_inputs(args.base, "pdf")
    leaflet_inputs(args.base * 10, "html")  # a few milliseconds at 1x: too short to time


if __name__ == "__main__":
    main()
