"""The names that tie the cleaning stages together, declared once.

Each name is a stage's ``STAGE``, its :class:`~pipeline.normalise.CleanOptions` switch,
its ``--skip`` name and the ``stage`` of its changes; later stages read earlier stages'
changes by these names, never by string literals of their own.
"""

from __future__ import annotations

ENCODING = "encoding"
UNICODE = "unicode"
HOMOGLYPHS = "homoglyphs"
CONTRACTIONS = "contractions"
COMMAS = "commas"

STAGE_NAMES = (ENCODING, UNICODE, HOMOGLYPHS, CONTRACTIONS, COMMAS)
"""The stages in the order they run."""

AN = "an"
"""The ``contractions`` rule that restores ``an’`` to ``and`` (the commas stage counts them)."""
