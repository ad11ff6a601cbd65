"""Settings shared by every test.

Hypothesis runs derandomized: the same examples every run, so CI is repeatable. To hunt
for new failing examples, run with ``--hypothesis-seed=random`` (or raise max_examples).
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("leaflet", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("leaflet")
