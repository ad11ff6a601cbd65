"""Write the spun sample as a web page and as a Word document, for the readers' tests.

- ``tests/data/readers/botox-beyond-beauty.html``: the article as a browser saves a blog
  post: a cookie banner, navigation, scripts and styles, related links and a footer
  around an ``<article>`` whose headings follow the sample's outline (``h1`` title,
  ``h2`` and ``h3`` headings).
- ``tests/data/readers/botox-beyond-beauty.docx``: the article in Word's styles (Title,
  Heading 1 and 2), written by python-docx.

Both carry the spinner's damage exactly as ``raw/botox-beyond-beauty.txt`` does; the
tests check that each gives the same cleaned text as the ``.txt``.

Run: ``.venv/bin/python tools/make_reader_samples.py``, then review ``git diff``.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.model import ListBlock, Paragraph, Section  # noqa: E402
from pipeline.read import read_text  # noqa: E402
from pipeline.structure import structure  # noqa: E402

SOURCE = ROOT / "raw" / "botox-beyond-beauty.txt"
OUT = ROOT / "tests" / "data" / "readers"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Wellness Journal</title>
<link rel="stylesheet" href="./Botox_files/style.css">
<style>.cookie-banner{{position:fixed;bottom:0}} nav a{{margin:0 1em}}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>
<script src="./Botox_files/analytics.js" async></script>
</head>
<body class="post-template">
<div class="cookie-banner" id="cookie-consent" role="dialog">
<p>We use cookies to give you the best experience on our website. By continuing to browse
you agree to our use of cookies. <a href="https://wellness.example/cookies">Cookie policy</a></p>
<button type="button">Accept all cookies</button> <button type="button">Manage settings</button>
</div>
<header class="site-header">
<a class="logo" href="https://wellness.example/">Wellness Journal</a>
<nav aria-label="Main"><ul>
<li><a href="https://wellness.example/">Home</a></li>
<li><a href="https://wellness.example/beauty/">Beauty</a></li>
<li><a href="https://wellness.example/health/">Health</a></li>
<li><a href="https://wellness.example/about/">About us</a></li>
<li><a href="https://wellness.example/contact/">Contact</a></li>
</ul></nav>
</header>
<main id="content">
<article class="post">
<h1 class="post-title">{title}</h1>
<p class="byline">By <a href="https://wellness.example/author/staff/">Staff writer</a></p>
{body}
</article>
<aside class="related">
<h3>You might also like</h3>
<ul>
<li><a href="https://wellness.example/fillers/">Ten things to know about dermal fillers</a></li>
<li><a href="https://wellness.example/sleep/">Why sleep matters for your skin</a></li>
</ul>
</aside>
</main>
<footer class="site-footer">
<p>&copy; 2024 Wellness Journal. All rights reserved.</p>
<p><a href="https://wellness.example/privacy/">Privacy policy</a> |
<a href="https://wellness.example/terms/">Terms of use</a></p>
</footer>
<script>document.querySelector('.cookie-banner button').onclick = function () {{}};</script>
</body>
</html>
"""


def _outline(section: Section) -> Iterator[tuple[str, int, str | tuple[str, ...]]]:
    """("heading", level, text), ("paragraph", 0, text), ("list", 0, items) in order."""
    if section.heading is not None:
        yield "heading", section.level, section.heading
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield "paragraph", 0, block.text
        elif isinstance(block, ListBlock):
            yield "list", 0, block.items
    for sub in section.sections:
        yield from _outline(sub)


def _html_body(parts: list[tuple[str, int, str | tuple[str, ...]]]) -> str:
    lines = []
    for kind, level, text in parts:
        if kind == "heading":
            lines.append(f"<h{level}>{html.escape(str(text))}</h{level}>")
        elif kind == "paragraph":
            lines.append(f"<p>{html.escape(str(text))}</p>")
        else:
            items = "".join(f"<li>{html.escape(item)}</li>" for item in text)
            lines.append(f"<ul>{items}</ul>")
    return "\n".join(lines)


def _write_docx(title: str, parts: list[tuple[str, int, str | tuple[str, ...]]]) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = "leaflet tests"
    document.add_paragraph(title, style="Title")
    for kind, level, text in parts:
        if kind == "heading":
            document.add_heading(str(text), level=level - 1)
        elif kind == "paragraph":
            document.add_paragraph(str(text))
        else:
            for item in text:
                document.add_paragraph(item, style="List Bullet")
    document.save(OUT / "botox-beyond-beauty.docx")


def main() -> None:
    doc = structure(read_text(SOURCE))
    parts = [part for section in doc.sections for part in _outline(section)]
    page = PAGE.format(title=html.escape(doc.title), body=_html_body(parts))
    (OUT / "botox-beyond-beauty.html").write_text(page, encoding="utf-8")
    _write_docx(doc.title, parts)


if __name__ == "__main__":
    main()
