"""Make the README's pictures of a leaflet from the sample and a realistic clinic.

The sample article (``raw/botox-beyond-beauty.txt``) is built with ``docs/leaflet.toml``
(a clinic with a logo, a web address and sign-off defaults) and its own sign-off in
``docs/botox-beyond-beauty.txt.meta.toml``, as a clinic would keep it beside the article.
The PDF's first page becomes ``docs/leaflet-page-1.png`` and the pages from the
"Contact us" box on ``docs/leaflet-signoff-*.png``, at 60 dpi.

Run: ``.venv/bin/python tools/make_docs_pictures.py`` (needs poppler's ``pdftoppm``),
then look at the pictures and review ``git diff``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.article import prepare  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.read import load_article  # noqa: E402
from pipeline.readers.sidecar import sidecar_path  # noqa: E402
from pipeline.render import render_pdf  # noqa: E402

DOCS = ROOT / "docs"
ARTICLE = ROOT / "raw" / "botox-beyond-beauty.txt"


def main() -> None:
    config = load_config(DOCS / "leaflet.toml")
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / ARTICLE.name
        shutil.copy(ARTICLE, article)
        shutil.copy(DOCS / f"{ARTICLE.name}.meta.toml", sidecar_path(article))
        pdf = Path(folder) / "leaflet.pdf"
        pdf.write_bytes(render_pdf(prepare(load_article(article), source=str(article)), config))
        picture(pdf, 1, DOCS / "leaflet-page-1.png")
        for old in DOCS.glob("leaflet-signoff-*.png"):
            old.unlink()
        for number in signoff_pages(pdf):
            picture(pdf, number, DOCS / f"leaflet-signoff-{number}.png")


def signoff_pages(pdf: Path) -> list[int]:
    """The pages from the one with "Contact us" to the last."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    pages = text.stdout.decode("utf-8").split("\f")[:-1]
    first = next(n for n, page in enumerate(pages, 1) if "Contact us" in page)
    return list(range(first, len(pages) + 1))


def picture(pdf: Path, number: int, out: Path) -> None:
    page = ["-f", str(number), "-l", str(number), "-singlefile", str(pdf)]
    subprocess.run(["pdftoppm", "-png", "-r", "60", *page, str(out.with_suffix(""))], check=True)
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
