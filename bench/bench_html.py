"""Benchmark: HTML rendering per distinct article, and what font subsetting costs in it.

Run with ``.venv/bin/python bench/bench_html.py [articles]`` (default 200). Each article is
built by hand from the dev articles' paragraphs (no spaCy) and given a few letters no
other article has, so no page reuses another's font subsets: what a batch of distinct
articles pays. It prints:

- the first page in a new process (imports, fonts, template), target under 1 s;
- the median and 95th percentile per page after that, target under 10 ms;
- the subsetting alone per page with HarfBuzz (what the page uses) and with fontTools
  (what it used before), to show what moved.

Not a test: timings are noisy on a shared machine; the suite asserts no speed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from pipeline.config import Clinic, LeafletConfig
from pipeline.model import Document, Paragraph, Section
from pipeline.render.fonts import ATKINSON, DEJAVU, cmap, subset_font

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "data" / "dev" / "original").glob("*.txt"))
CONFIG = LeafletConfig(clinic=Clinic(name="Riverside Surgery"), published=date(2025, 1, 1))
# Letters beyond ASCII: each article takes a different few, so its character set is its own.
EXTRA = [chr(c) for c in range(0x00C0, 0x017F) if chr(c).isalpha()]
GREEK = [chr(c) for c in range(0x03B1, 0x03CA)]
T = TypeVar("T")


def paragraphs() -> list[str]:
    found: list[str] = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found += [p.strip() for p in text.split("\n\n") if len(p.strip()) > 80]
    return found


def documents(count: int) -> list[Document]:
    """``count`` articles of eight paragraphs, each with letters no other has."""
    pool = paragraphs()
    docs = []
    for n in range(count):
        letters = "".join(EXTRA[(n * 7 + k * 13) % len(EXTRA)] for k in range(4))
        if n % 4 == 0:  # every fourth needs DejaVu as well
            letters += GREEK[n % len(GREEK)]
        texts = [pool[(n * 8 + k) % len(pool)] for k in range(8)] + [f"Words: {letters}."]
        blocks = tuple(Paragraph(text=t, sentences=(t,)) for t in texts)
        docs.append(
            Document(title=f"Article {n}", slug=f"a{n}", sections=(Section(None, 2, blocks),))
        )
    return docs


def first_page_seconds() -> float:
    """A new process: import, then render one page (what a batch worker pays once)."""
    code = (
        "import time; t = time.perf_counter(); "
        "from bench.bench_html import documents, CONFIG; "
        "from pipeline.render.html import render_html; "
        "render_html(documents(1)[0], CONFIG); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def per_item(items: list[T], work: Callable[[T], object]) -> list[float]:
    """Seconds ``work`` took for each item."""
    times = []
    for item in items:
        started = time.perf_counter()
        work(item)
        times.append(time.perf_counter() - started)
    return times


def page_codepoints(doc: Document) -> frozenset[int]:
    from pipeline.render.html import render_print_html

    return frozenset(map(ord, render_print_html(doc, CONFIG))) & cmap(ATKINSON[0].path)


def fonttools_subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """The subsetting the HTML page did before HarfBuzz, for comparison."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def both_faces(cut: Callable[[Path, frozenset[int]], bytes], codepoints: frozenset[int]) -> None:
    """Subset the page's two Atkinson faces (regular and bold) with ``cut``."""
    for face in ATKINSON[:2]:
        cut(face.path, codepoints)


def report(label: str, seconds: list[float], target: str = "") -> None:
    median = statistics.median(seconds) * 1000
    p95 = sorted(seconds)[int(len(seconds) * 0.95) - 1] * 1000
    print(f"  {label:34} median {median:7.2f} ms   p95 {p95:7.2f} ms   {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=200)
    count = parser.parse_args().articles
    from pipeline.render.html import render_html

    docs = documents(count)
    print(f"HTML rendering, {count} distinct articles (fallback font: {DEJAVU[0].path.is_file()})")
    print(f"  first page in a new process      {first_page_seconds():7.3f} s   (target < 1 s)")
    render_html(documents(1)[0], CONFIG)
    report("per page, warm", per_item(docs, lambda d: render_html(d, CONFIG)), "(target < 10 ms)")
    wanted = [page_codepoints(d) for d in docs[:20]]
    for name, cut in (("HarfBuzz", subset_font), ("fontTools", fonttools_subset)):
        report(f"subsetting per page, {name}", per_item(wanted, partial(both_faces, cut)))


if __name__ == "__main__":
    main()
