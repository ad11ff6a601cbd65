"""A file-name-safe, stable slug for an article, made from its title."""

from __future__ import annotations

import re

from unidecode import unidecode

MAX_SLUG = 80
UNTITLED = "untitled"

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """ASCII, lower case, hyphens between words, at most 80 characters cut at a hyphen.

    >>> slugify("Exploring the Uses of Botox Beyond Beauty: Medical Applications")
    'exploring-the-uses-of-botox-beyond-beauty-medical-applications'
    >>> slugify("Löfgren’s Lidocaine — a Swedish Story"), slugify("  ***  ")
    ('lofgren-s-lidocaine-a-swedish-story', 'untitled')
    """
    slug = _NOT_ALPHANUMERIC.sub("-", unidecode(title).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug.rfind("-", 0, MAX_SLUG + 1)
        slug = slug[:cut] if cut > 0 else slug[:MAX_SLUG]
    return slug or UNTITLED
