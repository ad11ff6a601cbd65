"""``make bench``: does every cleaning stage stay linear on pathological input?

For each special character a stage reacts to (joiners, odd spaces, entities, mojibake,
``an’``, look-alikes, `` and``...), Hypothesis draws short units built around it; each
unit is repeated on one long line at 1x, 4x and 16x a base length, and each stage (and the
whole clean) is timed on it. Linear means the times grow about 4x and 16x; the worst
ratio over the drawn units is printed. Not a test: nothing here fails, and timings on a
shared machine are noisy (the best of three runs is taken).

Usage: ``python bench/scaling.py [--base CHARS] [--examples N]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.model import Change  # noqa: E402
from pipeline.normalise import STAGES, clean  # noqa: E402

# What each kind of pathological input repeats: the special character, in the company
# that makes a stage work hardest (inside a word, between words, one line).
SPECIALS: dict[str, list[str]] = {
    "joiners in a word": ["\u200d", "\u200c", "a\u200d", "\u2060"],
    "odd spaces": ["\u2003", "\u2009\u200a", "word\u00a0", "\u202f"],
    "invisible runs": ["\u200b\u200c\u2061", "\ufe0f", "\U000e0041"],
    "line breaks": ["\x0b", "\x85", "\u2028", "a\x0b"],  # each a line to str.splitlines
    "entities": ["&amp; ", "&rarr;", "x&lt;y "],
    "mojibake": ["cafÃ© ", "â€™s ", "Ã\xa0 "],
    "an’ on one line": ["an’ ", "smoothin’ an’ ", "and an’ "],
    "look-alikes": ["cеlеbratеd ", "𝚌ell ", "ΝF-κΒ ", "1О "],
    "punctuation look-alikes": ["word， ", "a٫ ", "˗"],
    "ascii swaps": ["he1p ", "c0mmon ", "97O0 "],
    "commas": ["palms and ", "an’ and ", "`x` and an’ ", "between a.b.a.b.a.b. and "],
    "fillers and titles": ["two\u3164tablets ", "\u3164", "2\u3164\u3164", "Mr\u00a0Smith "],
    "formulas": ["H2O ", "Fe2O3 ", "2O₃ ", "SPF3O "],
    "spaces after an odd one": [" ", "  "],  # one long run of spaces, an odd space before
}
# What comes before the repeated units for some kinds: a thin space, so that the runs of
# spaces after it are read as runs (a long run of spaces with no odd character after it
# was read again from each of its spaces: quadratic).
PREFIXES = {"spaces after an odd one": "a\u2009b "}
SCALES = (1, 4, 16)
HISTORY: tuple[Change, ...] = ()


def _best_time(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def ratios(unit: str, base: int, prefix: str = "") -> dict[str, tuple[float, float, float]]:
    """For each stage and the whole clean: seconds at 1x, and the 4x and 16x ratios."""
    text = "Title\n\n" + "wrinklеs an’ linеs, smoothin’ skin. " + prefix  # evidence too
    repeats = max(1, base // max(1, len(unit)))
    found: dict[str, tuple[float, float, float]] = {}
    for name, stage in [*STAGES.items(), ("clean", None)]:
        times = []
        for scale in SCALES:
            body = text + unit * repeats * scale + "\n"
            run = (
                (lambda b=body: clean(b))
                if stage is None
                else (lambda b=body, s=stage: s(b, HISTORY))
            )
            times.append(_best_time(run))
        first = max(times[0], 1e-6)
        found[name] = (times[0], times[1] / first, times[2] / first)
    return found


def worst_ratios(kind: str, base: int, examples: int) -> dict[str, tuple[str, float, float]]:
    """The worst 4x and 16x ratios over units Hypothesis draws for one kind of input."""
    worst: dict[str, tuple[str, float, float]] = {}

    @settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(st.sampled_from(SPECIALS[kind]), min_size=1, max_size=3).map("".join))
    def measure(unit: str) -> None:
        for stage, (_seconds, four, sixteen) in ratios(unit, base, PREFIXES.get(kind, "")).items():
            if stage not in worst or sixteen > worst[stage][2]:
                worst[stage] = (unit, four, sixteen)

    measure()
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=16000, help="characters at 1x")
    parser.add_argument("--examples", type=int, default=2, help="units drawn per kind")
    args = parser.parse_args()
    clean("Warm up: cеll an’ “quotes” &amp; café.")  # load the word lists and tables once
    print(f"scaling    one long line, {args.base:,} characters at 1x; time ratios (linear: 4, 16)")
    print(f"  {'input':<26}{'stage':<14}{'4x':>7}{'16x':>8}   worst unit")
    for kind in SPECIALS:
        for stage, (unit, four, sixteen) in worst_ratios(kind, args.base, args.examples).items():
            flag = "" if sixteen < 32 else "   <- grows faster than the input"
            print(f"  {kind:<26}{stage:<14}{four:7.1f}{sixteen:8.1f}   {unit!r}{flag}")


if __name__ == "__main__":
    main()
