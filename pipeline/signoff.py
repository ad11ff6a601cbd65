"""What one leaflet is signed off with: the article's own details, else the clinic's.

:func:`resolve_signoff` gathers, for one article, everything the sign-off part of a
leaflet shows: who wrote and reviewed it, its version, when it was published and is
next reviewed, its sources, where to send feedback, where to ask for other formats,
and the address of its web version (for the QR code). The renderers show exactly
this, and the JSON records it, so the HTML, the PDF and the JSON always agree.

Each detail comes from the first of:

1. the article itself (``Document.meta``: Markdown front matter, or a sidecar file
   ``<article>.meta.toml``, see :mod:`pipeline.readers.sidecar`);
2. for the publication date only, ``first_published``: the date the build layer
   remembers from the article's first build, so that rebuilding after a change of logo
   or settings does not re-date a leaflet;
3. the clinic-wide defaults in ``leaflet.toml`` (``[signoff]``, ``published``,
   ``review_months``, ``base_url``, ``language``).

Empty text, an empty list or no web address means "not shown": the leaflet prints no
label without a value.

>>> from pipeline.model import ArticleMeta
>>> doc = Document("Aspirin", "aspirin", (), meta=ArticleMeta(published=date(2025, 3, 1)))
>>> config = LeafletConfig(review_months=24, base_url="https://gp.example/leaflets/")
>>> signed = resolve_signoff(doc, config, first_published=date(2024, 1, 1))
>>> signed.published, signed.review_date, signed.web_address
(datetime.date(2025, 3, 1), datetime.date(2027, 3, 1), 'https://gp.example/leaflets/aspirin.html')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from pipeline.config import LeafletConfig, add_months
from pipeline.errors import InputError
from pipeline.labels import language_tag, unavailable
from pipeline.model import Document


@dataclass(frozen=True)
class LeafletSignOff:
    """The sign-off of one leaflet, resolved (see the module docstring for the order)."""

    published: date
    review_date: date
    language: str
    author: str = ""
    reviewer: str = ""
    version: str = ""
    references: tuple[str, ...] = ()
    feedback_email: str = ""
    feedback_phone: str = ""
    other_formats: str = ""
    web_address: str = ""  # base_url + the leaflet's HTML file name; "" for no QR code

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, dates as ``2025-03-01``."""
        values = asdict(self)
        values["published"] = self.published.isoformat()
        values["review_date"] = self.review_date.isoformat()
        values["references"] = list(self.references)
        return values


def resolve_signoff(
    doc: Document,
    config: LeafletConfig,
    *,
    name: str | None = None,
    first_published: date | None = None,
) -> LeafletSignOff:
    """The sign-off ``doc``'s leaflet shows. ``name`` is the leaflet's file name without
    its suffix (default ``doc.slug``), for the web address; ``first_published`` the date
    remembered from the article's first build, if any.

    An article whose ``review_date`` is before its publication date, or whose
    ``language`` leaflet has no fixed text for, is an :class:`InputError`.
    """
    meta, defaults = doc.meta, config.signoff
    published = meta.published or first_published or config.published
    review_date = meta.review_date or add_months(published, config.review_months)
    where = doc.source or doc.title
    if review_date < published:
        raise InputError(
            f"{where}: the review date {review_date} is before the publication date "
            f"{published}; correct review_date or published"
        )
    return LeafletSignOff(
        published=published,
        review_date=review_date,
        language=_language(meta.language, config.language, where),
        author=meta.author or defaults.author,
        reviewer=meta.reviewer or defaults.reviewer,
        version=meta.version or defaults.version,
        references=meta.references,
        feedback_email=defaults.feedback_email,
        feedback_phone=defaults.feedback_phone,
        other_formats=defaults.other_formats,
        web_address=web_address(config.base_url, name or doc.slug),
    )


def web_address(base_url: str, name: str) -> str:
    """Where the leaflet called ``name`` is published: ``""`` without a ``base_url``.

    >>> web_address("https://gp.example/l/", "botox"), web_address("", "botox")
    ('https://gp.example/l/botox.html', '')
    """
    return f"{base_url}{quote(name)}.html" if base_url else ""


def _language(own: str | None, clinic: str, where: str) -> str:
    if not own:
        return clinic
    tag = language_tag(own)
    if tag is None:
        raise InputError(f"{where}: language {unavailable(own)}")
    return tag
