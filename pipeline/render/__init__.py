"""Publishing: a :class:`~pipeline.model.Document` and a config in, HTML and PDF out.

``render_html`` (:mod:`pipeline.render.html`) gives one self-contained web page;
``render_pdf`` (:mod:`pipeline.render.pdf`) gives a tagged, reproducible PDF from the
same template. Neither reads anything but the leaflet's own files. ``warm_up`` builds
what both cache per process (template, stylesheets, fonts) ahead of a batch.
"""

from pipeline.render.fonts import warm_up_fonts
from pipeline.render.html import render_html
from pipeline.render.pdf import render_pdf, warm_up_pdf

__all__ = ["render_html", "render_pdf", "warm_up"]


def warm_up() -> None:
    """Load the template, parse the stylesheets and cut the fallback font, once per process."""
    warm_up_fonts()
    warm_up_pdf()
