"""The cleaning stages' names, in the order they run, without loading the stages.

The command line (``--skip``), the report's columns and the build's keys need the names
but none of the stages' work; importing :mod:`pipeline.normalise` costs the word lists
and ftfy. ``pipeline.normalise.STAGES`` registers a function under each of these names
(a test checks that the two agree).
"""

from __future__ import annotations

STAGE_NAMES: tuple[str, ...] = ("encoding", "unicode", "homoglyphs", "contractions", "commas")
