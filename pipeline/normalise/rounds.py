"""Running the stages until cleaning the result again would change nothing.

One round runs every stage once, in order. A stage's repair can give another stage work
where it had none: a look-alike read as ``l`` leaves the thin space or joiner beside it
between two Latin letters, which the ``unicode`` stage, already run, removes there. So
when a round changed something, another round runs, at most :data:`MAX_ROUNDS` in all.
In it each stage sees that round's changes as its history, as a second clean would, and
runs only if a stage before it in the round changed something (its evidence may differ),
or if its quick check (``may_change``) finds something in what changed since it last
ran: the whole text after a stage whose changes are settled (the look-alikes and
invisibles, in their thousands), else the text around each change. A text that needs
one round, the usual case, costs those checks more.

A stage whose repairs can complete a mojibake sequence (removing a soft hyphen, reading
a look-alike as Latin) has its changes settled once applied (:func:`~.apply.settle`), so
ftfy need not look at its lines again.

Every round's changes are ordinary changes, appended to the plan. A stage that follows
its own changes of the round before (no stage changed anything between) has the two
composed into one group (:func:`~.apply.compose`): a plan replays the consecutive
changes of one stage together.

>>> from pipeline.normalise import clean
>>> [(c.stage, c.before, c.after) for c in clean("t\ua4f3\ufe0e").changes]
[('homoglyphs', 'tꓳ', 'tO'), ('unicode', '\ufe0e', '')]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.model import START, Change
from pipeline.normalise.apply import apply_changes, compose, settle, written
from pipeline.stages import ENCODING

MAX_ROUNDS = 3
"""How many times the stages run over a text at most."""

Stage = Callable[[str, Sequence[Change]], list[Change]]
"""``propose(text, history) -> changes``: a stage's work."""
Rejected = Callable[[Sequence[Change], Change], bool]
"""``rejected(history, proposal)``: true for a proposal an editor overruled."""


Ftfy = Literal["own", "settle", "unseen"]
"""What a stage's changes are to ftfy: its own (``encoding``); changes the rounds settle
once applied (:func:`~.apply.settle`: ftfy runs again on the lines they touch); or
changes ftfy has not seen."""


@dataclass(frozen=True)
class StageRun:
    """A stage as the rounds run it: ``propose``; ``may_change(text)``, false where the
    stage finds nothing to do in ``text`` whatever its history says; and what its changes
    are to ``ftfy``."""

    propose: Stage
    may_change: Callable[[str], bool]
    ftfy: Ftfy

    @property
    def settled(self) -> bool:
        """Whether the lines its changes touch are left as ftfy leaves them, so that the
        ``encoding`` stage need not look at them again."""
        return self.ftfy != "unseen"


_AROUND = 8  # characters either side of a change noted with it (ftfy's and the stages'
# patterns are shorter)


class Rounds:
    """One cleaning: the text as it stands, the plan so far, and what changed since each
    stage last ran: the pieces of text around changes noted since then (from an index
    into ``noted``), or ``None`` for all of the text."""

    def __init__(
        self, text: str, stages: Mapping[str, StageRun], rejected: Rejected | None = None
    ) -> None:
        self.text = text
        self.history: list[Change] = []
        self.stages = stages
        self.rejected = rejected
        self.noted: list[str] = []
        self.since: dict[str, int | None] = dict.fromkeys(stages, 0)
        self.last_group = (0, text)  # where the plan's last group starts, and its text
        self.last_round = False  # set where going round again would undo an editor's word

    def run(self) -> None:
        """Run rounds until one changes nothing, at most :data:`MAX_ROUNDS`."""
        for number in range(MAX_ROUNDS):
            if not self._round(first=number == 0) or self.last_round:
                return

    def _round(self, *, first: bool) -> bool:
        """Run the stages once; whether any changed the text."""
        changed: list[Change] = []  # this round's changes: the stages' history
        for name, stage in self.stages.items():
            window = "" if first or changed else self._window(name)
            self.since[name] = len(self.noted)  # what it changes itself is noted again
            if first or changed or stage.may_change(window):
                changed += self._run(name, stage, changed)
        return bool(changed)

    def _run(self, name: str, stage: StageRun, changed: list[Change]) -> list[Change]:
        """Run one stage, apply what it proposes (settled, and not rejected), and return
        that."""
        proposed = stage.propose(self.text, tuple(changed))
        if not proposed:
            return []
        changes = sorted(proposed, key=START)
        result = apply_changes(self.text, changes)
        if stage.ftfy == "settle":
            changes, result = settle(self.text, changes, result, name)
        if self.rejected is not None:
            done = tuple(self.history)
            kept = [change for change in changes if not self.rejected(done, change)]
            if len(kept) < len(changes):
                changes, result = kept, apply_changes(self.text, kept)
        if not changes:
            return []
        if self.history and self.history[-1].stage == name:  # its own, of the round before
            start, before = self.last_group
            composed = compose(before, self.history[start:], changes)
            kept = self._unrejected(start, composed)
            if len(kept) < len(composed):  # an editor rejected what two rounds made as one:
                self.last_round = True  # another round would make its first half again
                result = apply_changes(before, kept)
            elif not composed:
                return []  # it undoes what it did: going round again would never settle
            self.history[start:] = kept
        else:
            self.last_group = (len(self.history), self.text)
            self.history += changes
        self.text = result
        self._note(changes, stage.settled)
        return changes

    def _unrejected(self, start: int, composed: list[Change]) -> list[Change]:
        """The stage's changes composed with its own of the round before (the plan from
        ``start``), less those an editor rejected: a change that rewrites what the round
        before wrote becomes one change no round proposed, and only that one can be
        rejected (the text it stands in is the group's own, as the plan replays it)."""
        if self.rejected is None:
            return composed
        done = tuple(self.history[:start])
        proposed = set(self.history[start:])
        return [c for c in composed if c in proposed or not self.rejected(done, c)]

    def _note(self, changes: list[Change], settled: bool) -> None:
        """Note what ``changes`` (just applied) changed, for every stage. Settled changes
        (the most numerous: every look-alike and invisible) are not noted one by one: for
        ``encoding`` they change nothing, for the others the whole text, whose quick
        checks are cheap, counts as changed. Other changes are noted with the text around
        them (what ftfy and the stages' patterns look at)."""
        if settled:
            self.since.update((name, None) for name in self.since if name != ENCODING)
            return
        text = self.text
        spans = written(changes)
        self.noted += [text[max(0, start - _AROUND) : end + _AROUND] for start, end in spans]

    def _window(self, name: str) -> str:
        """What changed since stage ``name`` last ran, a piece a line."""
        since = self.since[name]
        return self.text if since is None else "\n".join(self.noted[since:])
