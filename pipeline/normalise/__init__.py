"""Cleaning: undo spinner damage, one stage at a time, recording every edit.

:func:`clean` runs the stages in :data:`STAGES` order. Each stage is a function
``propose(text, history) -> list[Change]`` that reads the text as the previous stage left
it (``history`` holds every change made so far) and proposes non-overlapping changes;
:func:`apply_changes` is the one place that applies them (the rounds then settle what
``unicode`` and ``homoglyphs`` propose: :func:`~.apply.settle`, so a stage called on its
own gives its changes unsettled). Where one stage's repair gives
a stage already run work, the stages run again (:mod:`.rounds`), so cleaning is final.
:func:`replay` reapplies a recorded plan to the original text, stage by stage, and gives
the same result.

The stages, each also a switch on :class:`CleanOptions` and the ``stage`` of its changes:

``encoding``
    ftfy's repairs (mojibake, HTML entities, ligatures, control characters), curly quotes kept.
``unicode``
    invisible characters, odd spaces between words, full-width letters and digits, and
    decomposed letters, in English text.
``homoglyphs``
    look-alike characters from other scripts and forms inside English words, numbers and
    punctuation, and ASCII look-alikes in spun documents.
``contractions``
    the spinner's ``an’`` and ``-in’`` back to ``and`` and ``-ing``.
``commas``
    the spinner's `` and `` where the author wrote a comma.

>>> clean("Botox originally c\\u0435l\\u0435brat\\u0435d").text
'Botox originally celebrated'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import groupby

from pipeline.errors import require_text
from pipeline.model import Change, Cleaned
from pipeline.normalise import commas, contractions, encoding, homoglyphs, unicode
from pipeline.normalise.apply import apply_changes
from pipeline.normalise.rounds import MAX_ROUNDS, Rejected, Rounds, Stage, StageRun
from pipeline.normalise.suspects import find_suspects

_MODULES = (encoding, unicode, homoglyphs, contractions, commas)
STAGES: dict[str, Stage] = {module.STAGE: module.propose for module in _MODULES}
_RUNS = {
    module.STAGE: StageRun(module.propose, module.may_change, module.FTFY) for module in _MODULES
}


@dataclass(frozen=True)
class CleanOptions:
    """Which cleaning stages run; each field is named after its stage."""

    encoding: bool = True
    unicode: bool = True
    homoglyphs: bool = True
    contractions: bool = True
    commas: bool = True

    def enabled(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]


def stages_of(original: str, changes: Sequence[Change]) -> Iterator[tuple[str, list[Change], str]]:
    """Replay a plan stage by stage: ``(text the stage received, its changes, its result)``
    for each run of one stage's changes (a stage that ran in a later round comes again)."""
    text = original
    for _stage, group in groupby(changes, key=lambda c: c.stage):
        stage_changes = list(group)
        result = apply_changes(text, stage_changes)
        yield text, stage_changes, result
        text = result


def replay(original: str, changes: Sequence[Change]) -> str:
    """Reapply a recorded plan: each stage's changes on the text the stage before left."""
    results = [result for _before, _changes, result in stages_of(original, changes)]
    return results[-1] if results else original


def clean(
    text: str, options: CleanOptions | None = None, *, rejected: Rejected | None = None
) -> Cleaned:
    """Clean ``text`` and return it with the plan of changes that produced it.

    Steps: for each enabled stage in order, propose changes on the current text, drop
    the proposals ``rejected`` refuses, apply the rest, and append them to the plan; while
    that changed something and cleaning the result again would change more, go round
    again, at most :data:`MAX_ROUNDS` times in all (:mod:`.rounds`: a text that needs
    one round costs a few quick checks more); then list what still looks odd (the
    suspects). ``rejected(history, proposal)`` sees the changes applied so far, so the
    proposal can be placed in the original text (:mod:`pipeline.review` does that for an
    editor's decisions); a dropped proposal is simply not made, so later stages see the
    text without it and the plan still replays.
    """
    require_text(text, "clean")
    enabled = set((options or CleanOptions()).enabled())
    rounds = Rounds(text, {name: run for name, run in _RUNS.items() if name in enabled}, rejected)
    rounds.run()
    return Cleaned(text, rounds.text, tuple(rounds.history), find_suspects(rounds.text))


__all__ = [
    "MAX_ROUNDS",
    "STAGES",
    "CleanOptions",
    "Rejected",
    "apply_changes",
    "clean",
    "replay",
    "stages_of",
]
