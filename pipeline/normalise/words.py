"""English word frequencies (wordfreq's offline ``large`` list), loaded once per process.

>>> zipf("taking") > zipf("takin")
True
>>> zipf("violing")
0.0
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import wordfreq


@cache
def _frequencies() -> dict[str, float]:
    return wordfreq.get_frequency_dict("en", wordlist="large")


@lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """The word's Zipf frequency in English (0 for unknown words), case-insensitive."""
    frequency = _frequencies().get(word.lower(), 0.0)
    return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


def is_english(word: str, threshold: float = 1.0) -> bool:
    """Whether ``word`` is in the English list at or above ``threshold`` (Zipf)."""
    return zipf(word) >= threshold
