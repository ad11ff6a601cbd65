"""The names that tie the cleaning stages together, declared once, without loading them.

Each name is a stage's ``STAGE``, its :class:`~pipeline.normalise.CleanOptions` switch,
its ``--skip`` name and the ``stage`` of its changes; later stages read earlier stages'
changes by these names, never by string literals of their own. The command line, the
report's columns, the build's keys and the studio need the names but none of the
stages' work (importing :mod:`pipeline.normalise` costs the word lists and ftfy), so
they live here, outside the package of stages. ``pipeline.normalise.STAGES`` registers
a function under each name (a test checks that the two agree).
"""

from __future__ import annotations

ENCODING = "encoding"
UNICODE = "unicode"
HOMOGLYPHS = "homoglyphs"
CONTRACTIONS = "contractions"
COMMAS = "commas"

STAGE_NAMES: tuple[str, ...] = (ENCODING, UNICODE, HOMOGLYPHS, CONTRACTIONS, COMMAS)
"""The stages in the order they run."""

STAGE_TITLES: dict[str, str] = {
    ENCODING: "Encoding damage",
    UNICODE: "Invisible and odd characters",
    HOMOGLYPHS: "Look-alike letters",
    CONTRACTIONS: "Spinner contractions",
    COMMAS: "Commas",
}
"""What each stage repairs, in words an editor reads beside its name (the studio)."""

AN = "an"
"""The ``contractions`` rule that restores ``an’`` to ``and`` (the commas stage counts them)."""
