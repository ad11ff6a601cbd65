"""Round trips through a simulated spinner: spin clean prose, clean it, get the prose back.

``tools/spinner.py`` imitates the spinner as measured on the dev articles. Each round trip
spins one clean source text in one damage profile with one seed and asserts that cleaning
gives back what a perfect cleaner would (the source, less the commas the spinner deleted
outright). The sources are the dev originals and real prose from this machine in
``tests/data/roundtrip/`` (see its ``SOURCES.md``).

Every gap the round trips found in the cleaner is kept as a small reproduction: the fixed
ones in :data:`FIXED` as regression tests, the open ones in :data:`OPEN` as strict
``xfail`` (fixing the cleaner flips them). The first tests check the simulator itself,
including that it damages the dev originals about as much as the real spinner did.
"""

from __future__ import annotations

import doctest
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import clean
from tools import spinner
from tools.spinner import PROFILES, spin

DATA = Path(__file__).parent / "data"
DEV = DATA / "dev"
SOURCES = sorted([*DEV.glob("original/*.txt"), *DATA.glob("roundtrip/*.txt")])
SEEDS = (0, 1, 2)
FIDELITY_SEEDS = range(10)
FIDELITY_TOLERANCE = 0.15  # simulated damage within 15% of the real spinner's


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- the simulator ----------------------------------------------------------------------


def test_simulator_docstring_examples_hold() -> None:
    assert doctest.testmod(spinner).failed == 0


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_spin_is_deterministic_and_keeps_lines(profile: str) -> None:
    text = _read(SOURCES[0])
    spun, expected = spin(text, profile, seed=7)
    assert (spun, expected) == spin(text, profile, seed=7)
    assert spun != spin(text, profile, seed=8)[0]
    assert spun.count("\n") == text.count("\n")
    assert expected.count("\n") == text.count("\n")


@pytest.mark.parametrize(
    ("profile", "drops_commas"),
    [("full", True), ("multi", True), ("glyphs-only", False), ("invisible", False)],
)
def test_expected_is_the_source_less_deleted_commas(profile: str, drops_commas: bool) -> None:
    text = _read(SOURCES[0])
    _, expected = spin(text, profile, seed=0)
    assert (expected != text) == drops_commas
    assert expected.replace(",", "") == text.replace(",", "")


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        spin("Text.", "everything", seed=0)


def _damage(text: str) -> Counter[str]:
    """How many changes each cleaning stage makes to ``text``."""
    return Counter(change.stage for change in clean(text).changes)


def _deleted_commas(original: str, expected: str) -> int:
    return original.count(",") - expected.count(",")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_simulator_damages_dev_articles_like_the_real_spinner(profile: str) -> None:
    """Summed over the dev articles, each stage's repairs (and the deleted commas) are
    within :data:`FIDELITY_TOLERANCE` of what the real spinner's files need."""
    real: Counter[str] = Counter()
    simulated: list[Counter[str]] = [Counter() for _ in FIDELITY_SEEDS]
    for original in sorted(DEV.glob("original/*.txt")):
        text = _read(original)
        real += _damage(_read(DEV / "spun" / profile / original.name))
        real["deleted commas"] += _deleted_commas(
            text, _read(DEV / "expected" / profile / original.name)
        )
        for seed, counts in zip(FIDELITY_SEEDS, simulated, strict=True):
            spun, expected = spin(text, profile, seed)
            counts += _damage(spun)
            counts["deleted commas"] += _deleted_commas(text, expected)
    for measure, count in real.items():
        mean = statistics.mean(counts[measure] for counts in simulated)
        assert abs(mean - count) <= FIDELITY_TOLERANCE * count, (measure, count, mean)
    assert {m for counts in simulated for m, n in counts.items() if n} <= set(real)


# --- what the round trips found -------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A kind of damage (or of correct text) the round trips showed the cleaner got wrong,
    as a small article that reproduces it."""

    verdict: str  # "false negative": damage left; "false positive": correct text changed
    reason: str
    spun: str
    expected: str


# Found by the round trips and fixed since; each stays as a regression test. The articles
# carry the evidence the cleaner needs (a title line, a few other spun words).
FIXED: dict[str, Gap] = {
    "one-letter": Gap(
        "false negative",
        "homoglyphs: a one-letter look-alike word other than a/A/I in a spun document",
        "Vitamins\n\nThе nursе wrotе thе notеs. Takе vitamin С еvеry day.",
        "Vitamins\n\nThe nurse wrote the notes. Take vitamin C every day.",
    ),
    "an-before-non-letter": Gap(
        "false negative",
        "contractions: an’ before a quotation, a bracket, a number or a comma",
        "Forms\n\nThеy wrotе “yеs” an’ “no” on thе form an’ (2) an’ $5 an’, latеr, morе.",
        "Forms\n\nThey wrote “yes” and “no” on the form and (2) and $5 and, later, more.",
    ),
    "an-slash-or": Gap(
        "false negative",
        "contractions: an’/or",
        "Copying\n\nYou may copy an’/or modify thе filе on thе sitе.",
        "Copying\n\nYou may copy and/or modify the file on the site.",
    ),
    "ing-unknown": Gap(
        "false negative",
        "contractions: an -ing word the word list lacks (a prefix, or a known verb)",
        "Files\n\nHе got an еrror whеn uncomprеssin’ thе filе an’ symlinkin’ it.",
        "Files\n\nHe got an error when uncompressing the file and symlinking it.",
    ),
    "greek-short-capitalised": Gap(
        "false negative",
        "homoglyphs: a common capitalised short word with a Greek look-alike (Fοr, Bυt)",
        "Safety\n\nFοr most pеoplе it is safе. Bυt not for all.",
        "Safety\n\nFor most people it is safe. But not for all.",
    ),
    "comma-after-symbol": Gap(
        "false negative",
        "commas: ' and' that replaced a comma after '.' or '%'",
        "Diet\n\nEat fruit an’ nuts an’ oatmеal, e.g. and applеs an’ pеars, 40% and morе.",
        "Diet\n\nEat fruit and nuts and oatmeal, e.g., apples and pears, 40%, more.",
    ),
    "greek-short-word": Gap(
        "false negative",
        "homoglyphs: a short word with a Greek look-alike the spinner uses elsewhere",
        "Pregnancy\n\nAspirin ρrеvеnts ρre-еclampsia in sοme ρregnanciеs.",
        "Pregnancy\n\nAspirin prevents pre-eclampsia in some pregnancies.",
    ),
    "greek-rare-word": Gap(
        "false negative",
        "homoglyphs: a word the list lacks, with a Greek look-alike the spinner uses elsewhere",
        "Compression\n\nUsе gυnzip to dеcomprеss thе filе; it is υsеful.",
        "Compression\n\nUse gunzip to decompress the file; it is useful.",
    ),
    "greek-curly-possessive": Gap(
        "false negative",
        "homoglyphs: a possessive with a curly apostrophe and Greek look-alikes",
        "Risk\n\nIt dеpеnds on еach indινidual’s risk.",
        "Risk\n\nIt depends on each individual’s risk.",
    ),
    "greek-iota-abbreviation": Gap(
        "false negative",
        "homoglyphs: ι for i in i.e., where the spinner writes ι for i elsewhere",
        "Doses\n\nTakе thе lowеst dosе, ι.e. onе tablеt, with wаtеr; it works quιckly.",
        "Doses\n\nTake the lowest dose, i.e. one tablet, with water; it works quickly.",
    ),
    "whole-word-rare": Gap(
        "false negative",
        "homoglyphs: a word wholly of look-alikes, rare in English, in a spun document",
        "Shells\n\nPеoplе writе сѕһ scripts an’ thеn run thеm.",
        "Shells\n\nPeople write csh scripts and then run them.",
    ),
}

# Still open: a strict xfail, so fixing the cleaner flips it.
OPEN: dict[str, Gap] = {
    "dialogue-dialect": Gap(
        "false positive",
        "contractions: in a spun article an author's an’ and -in’ inside “quotation marks” "
        "are restored too; the spinner contracts inside quotations as well, so the cleaner "
        "cannot tell them apart (found by spinning tests/data/legit/tricky.txt)",
        "“I was just goin’ homе,” hе said an’ smilеd.",
        "“I was just goin’ home,” he said and smiled.",
    ),
}


@pytest.mark.parametrize(
    ("spun", "expected"),
    [pytest.param(gap.spun, gap.expected, id=name) for name, gap in FIXED.items()]
    + [
        pytest.param(
            gap.spun,
            gap.expected,
            id=name,
            marks=pytest.mark.xfail(strict=True, reason=f"{gap.verdict}: {gap.reason}"),
        )
        for name, gap in OPEN.items()
    ],
)
def test_gap_reproduction(spun: str, expected: str) -> None:
    assert clean(spun).text == expected


# --- the round trips --------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_source_is_clean_already(source: Path) -> None:
    text = _read(source)
    assert clean(text).text == text


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_round_trip(source: Path, profile: str, seed: int) -> None:
    spun, expected = spin(_read(source), profile, seed)
    assert clean(spun).text == expected
