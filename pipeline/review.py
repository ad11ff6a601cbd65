"""An editor's decisions: repairs rejected one by one, kept beside the article.

Every change is known by a :class:`ChangeKey`: where it stands in the *original* text
(each stage's offsets mapped back through the changes of the stages before it), its
stage, rule, and what it replaced with what. Cleaning the same text again proposes the
same changes with the same keys, so a decision survives re-cleaning.

:func:`clean_reviewed` cleans with some keys rejected: those proposals are dropped
before they are applied (through :func:`pipeline.clean`'s ``rejected=`` hook), so later
stages see the text with that repair undone and the plan still replays. Its
:class:`Reviewed` holds every proposal, applied or rejected, as a :class:`Mark` with its
span in the final text, for marking changes in place.

The decisions for ``article.txt`` live in ``article.txt.review.json`` (a *sidecar*): a
small, readable, versioned file with the SHA-256 of the text it was made for.
:func:`clean_beside` is what ``leaflet build`` and ``leaflet clean`` call: it applies the
sidecar's rejections when they still fit, and reports (logs one line naming the sidecar
and what to do) when they do not: the text has changed, or a rejected change is no
longer proposed. Entries that do not fit are never applied. What to do depends on where
the report is read: the command line's is :data:`REVIEW_AGAIN`; the studio passes its
own as ``action=``. A sidecar that cannot be read, or is not a review file (damaged JSON,
a pipe, a link to nothing), is an :class:`~pipeline.errors.InputError` naming it: the
article is not made without its editor's decisions.

>>> text = "Smооthin’ hеlps an’ hеals an’ calms an’ soothеs."
>>> plain = clean_reviewed(text)
>>> plain.cleaned.text
'Smoothing helps and heals and calms and soothes.'
>>> keys = [m.key for m in plain.marks if m.key.before == "an’"]
>>> clean_reviewed(text, rejected=keys[:1]).cleaned.text
'Smoothing helps an’ heals and calms and soothes.'
"""

from __future__ import annotations

import hashlib
import json
import logging
from bisect import bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import InputError
from pipeline.files import beside, write_atomic
from pipeline.model import Change, Cleaned
from pipeline.read import FIX_OR_DELETE, read_beside
from pipeline.readers.text import refuse_blank

if TYPE_CHECKING:  # the cleaner is loaded when first used: a build that is up to date
    from pipeline.normalise import CleanOptions  # reads the suffix below, nothing more

LOGGER = logging.getLogger(__name__)
SIDECAR_SUFFIX = ".review.json"
FORMAT = 1  # the sidecar's format version ("leaflet_review")
MAX_SIDECAR = 10_000_000
"""A review sidecar may be at most this many bytes (some 70,000 rejections)."""
Span = tuple[int, int]
REVIEW_AGAIN = "review the article again (leaflet serve) or delete {sidecar}"
"""What to do about rejections that do not fit, said on the command line (``{sidecar}``:
the sidecar's file name)."""


@dataclass(frozen=True, order=True)
class ChangeKey:
    """A change as an editor's decision names it: stable across runs on the same text.

    ``start`` and ``end`` index the original text (the article as read), whatever stage
    made the change.
    """

    start: int
    end: int
    stage: str
    rule: str
    before: str
    after: str

    @classmethod
    def of(cls, change: Change, span: Span) -> ChangeKey:
        return cls(span[0], span[1], change.stage, change.rule, change.before, change.after)

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        return {name: values[name] for name in ("stage", "rule", "start", "end", "before", "after")}


# ---------------------------------------------------------------- where changes stand


class _Shift:
    """How one stage's changes move positions from one text to another.

    ``regions`` are ``(from_start, from_end, to_start, to_end)``, sorted and disjoint. A
    position inside a region moves to the region's start (``side=0``) or end
    (``side=1``), so a span that a later change cut into grows to cover it; text
    inserted right at a span's edge stays outside it.
    """

    def __init__(self, regions: Sequence[tuple[int, int, int, int]]) -> None:
        self.regions = regions
        self.starts = [r[0] for r in regions]
        self.ends = [r[1] for r in regions]
        self.targets = [(r[2], r[3]) for r in regions]
        self.offsets = [0] + [r[3] - r[1] for r in regions]

    @classmethod
    def forward(cls, changes: Sequence[Change]) -> _Shift:
        """From the text a stage received to the text it left."""
        regions, shift = [], 0
        for c in sorted(changes, key=lambda c: c.start):
            regions.append((c.start, c.end, c.start + shift, c.start + shift + len(c.after)))
            shift += c.delta
        return cls(regions)

    def placed(self, change: Change) -> Span:
        """Where one of the changes this shift was made from put its text."""
        k = bisect_right(self.ends, change.end) - 1
        while (self.starts[k], self.ends[k]) != (change.start, change.end):
            k -= 1  # insertions at the same place as the change
        return self.targets[k]

    def backward(self) -> _Shift:
        """The same changes, from the text the stage left back to the one it received."""
        return _Shift([(a, b, c, d) for c, d, a, b in self.regions])

    def move(self, position: int, side: int) -> int:
        k = bisect_right(self.ends, position)
        if k < len(self.starts) and self.starts[k] < position:  # inside region k
            return self.targets[k][side]
        while side and k and self.starts[k - 1] == position:  # an end stays before
            k -= 1  # text inserted right here; a start (side 0) goes after it
        return position + self.offsets[k]

    def span(self, span: Span) -> Span:
        start, end = self.move(span[0], 0), self.move(span[1], 1)
        return (end, end) if start > end else (start, end)  # empty, at an insertion


@dataclass(frozen=True)
class _Group:
    """One stage's applied changes, where they start in the plan, and how they move text."""

    first: int  # index of the group's first change in the plan
    changes: tuple[Change, ...]
    shift: _Shift  # from the text the stage received to the one it left
    back: _Shift  # and back


class _Plan:
    """A plan of applied changes, grouped by stage, for mapping offsets between its texts."""

    def __init__(self, changes: Sequence[Change]) -> None:
        self.groups: list[_Group] = []
        first = 0
        for _stage, group in groupby(changes, key=lambda c: c.stage):
            items = tuple(group)
            shift = _Shift.forward(items)
            self.groups.append(_Group(first, items, shift, shift.backward()))
            first += len(items)

    def original(self, change: Change, at: int) -> Span:
        """Where ``change``, proposed after the first ``at`` changes, stands in the original."""
        span = (change.start, change.end)
        for group in reversed(self.groups):
            if group.first < at:
                span = group.back.span(span)
        return span

    def final(self, change: Change, at: int, *, applied: bool) -> Span:
        """Where ``change``, proposed after the first ``at`` changes, ends up in the final
        text: applied (one of this plan's changes), or dropped."""
        span = (change.start, change.end)
        for group in self.groups:
            if group.first < at:
                continue
            if applied and group.first == at:
                span = group.shift.placed(change)  # where it put its own text
            else:
                span = group.shift.span(span)
        return span

    def marks(self) -> Iterator[Mark]:
        """The plan's changes, keyed and placed."""
        for group in self.groups:
            for change in group.changes:
                key = ChangeKey.of(change, self.original(change, group.first))
                yield Mark(change, key, *self.final(change, group.first, applied=True))


def change_keys(changes: Sequence[Change]) -> tuple[ChangeKey, ...]:
    """Each change of a plan keyed by its place in the original text.

    >>> from pipeline.normalise import clean
    >>> text = "Smооthin’ hеlps an’ hеals an’ calms an’ soothеs."
    >>> [(k.stage, text[k.start : k.end]) for k in change_keys(clean(text).changes)][3:6]
    [('homoglyphs', 'soothеs'), ('contractions', 'Smооthin’'), ('contractions', 'an’')]
    """
    return tuple(mark.key for mark in _Plan(changes).marks())


def final_spans(changes: Sequence[Change]) -> tuple[Span, ...]:
    """Where each change of a plan stands in the text the plan ends with.

    A change a later stage rewrote grows to cover that rewrite (``smооthin’`` →
    ``smoothin’`` → ``smoothing``: both changes span ``smoothing``).

    >>> from pipeline.normalise import clean
    >>> cleaned = clean("Smооthin’ hеlps an’ hеals an’ calms an’ soothеs.")
    >>> [cleaned.text[s:e] for s, e in final_spans(cleaned.changes)][:6]
    ['Smoothing', 'helps', 'heals', 'soothes', 'Smoothing', 'and']
    """
    return tuple((mark.start, mark.end) for mark in _Plan(changes).marks())


# ---------------------------------------------------------------- cleaning with decisions


@dataclass(frozen=True)
class Mark:
    """A proposed change as the review shows it: its key, whether it was rejected, and its
    span in the final text (for a rejected change, where its ``before`` still stands)."""

    change: Change
    key: ChangeKey
    start: int
    end: int
    rejected: bool = False


@dataclass(frozen=True)
class Dropped:
    """A proposal an editor rejected, and how many changes of the plan came before it
    (``change``'s offsets index the text those changes made)."""

    at: int
    change: Change
    key: ChangeKey


@dataclass(frozen=True)
class Reviewed:
    """A cleaning with an editor's decisions applied.

    ``cleaned`` holds the applied changes only (it replays); ``dropped`` the rejected
    proposals; ``stale`` the rejections that matched no proposal; ``problem`` the
    one-line report of a sidecar that did not fit. ``marks`` (worked out when first
    asked for: a build never needs them) are every proposal, applied or rejected, in the
    order of the final text.
    """

    cleaned: Cleaned
    dropped: tuple[Dropped, ...] = ()
    stale: tuple[ChangeKey, ...] = ()
    problem: str = ""

    @property
    def rejected(self) -> frozenset[ChangeKey]:
        return frozenset(d.key for d in self.dropped)

    @property
    def rejections(self) -> tuple[Change, ...]:
        """The rejected proposals, each placed where its key stands in the original text,
        in the order of that text."""
        placed = (d.change._replace(start=d.key.start, end=d.key.end) for d in self.dropped)
        return tuple(sorted(placed, key=lambda change: (change.start, change.end)))

    @cached_property
    def marks(self) -> tuple[Mark, ...]:
        plan = _Plan(self.cleaned.changes)
        marks = list(plan.marks())
        marks += [
            Mark(d.change, d.key, *plan.final(d.change, d.at, applied=False), rejected=True)
            for d in self.dropped
        ]
        return tuple(sorted(marks, key=_reading_order))


class _Rejecter:
    """The ``rejected=`` hook for one run of :func:`pipeline.clean`: keys each proposal
    and records the ones it drops (once each: a later round proposes them again).

    A rejection refuses its edit at its place whichever stage proposes it: ftfy's
    ``cafÃ©`` → ``café`` rejected is not made again by a later stage that settles its own
    changes on that line (the drop is recorded under the editor's key)."""

    def __init__(self, keys: frozenset[ChangeKey]) -> None:
        self.keys = keys
        self.places = {(k.start, k.end, k.before, k.after): k for k in keys}
        self.dropped: list[Dropped] = []
        self._seen: set[ChangeKey] = set()
        self._plan: tuple[Sequence[Change], _Plan] = ((), _Plan(()))

    def __call__(self, history: Sequence[Change], change: Change) -> bool:
        if self._plan[0] is not history:  # a new stage: its history is complete
            self._plan = (history, _Plan(history))
        plan = self._plan[1]
        key = ChangeKey.of(change, plan.original(change, len(history)))
        if key not in self.keys:  # the same edit at the same place, from another stage
            key = self.places.get((key.start, key.end, key.before, key.after), key)
        if key in self.keys and key not in self._seen:
            self._seen.add(key)
            self.dropped.append(_placed(plan, len(history), change, key))
        return key in self.keys


def _placed(plan: _Plan, at: int, change: Change, key: ChangeKey) -> Dropped:
    """A proposal made after the first ``at`` changes of ``plan``, dropped, placed where
    it stays true once its stage's changes are applied. A stage that follows its own
    changes of the round before has its new ones composed with them into one group
    (:mod:`pipeline.normalise.rounds`): its proposal is placed before that group, in the
    text the group starts from, so that its span moves with every change of the group."""
    last = plan.groups[-1] if plan.groups else None
    if last is None or last.changes[-1].stage != change.stage:
        return Dropped(at, change, key)
    start, end = last.back.span((change.start, change.end))
    return Dropped(last.first, change._replace(start=start, end=end), key)


def clean_reviewed(
    text: str, options: CleanOptions | None = None, *, rejected: Collection[ChangeKey] = ()
) -> Reviewed:
    """Clean ``text`` with the ``rejected`` changes left out (see the module docstring)."""
    from pipeline.normalise import CleanOptions, clean

    keys = frozenset(rejected)
    rejecter = _Rejecter(keys)
    cleaned = clean(text, options, rejected=rejecter if keys else None)
    enabled = set((options or CleanOptions()).enabled())
    found = {d.key for d in rejecter.dropped}
    stale = sorted(k for k in keys - found if k.stage in enabled)
    return Reviewed(cleaned, tuple(rejecter.dropped), tuple(stale))


def _reading_order(mark: Mark) -> tuple[int, int, int]:
    return mark.start, -mark.end, mark.key.start


# ---------------------------------------------------------------- the sidecar


@dataclass(frozen=True)
class Review:
    """What a sidecar holds: the text's digest and the rejected changes."""

    text_sha256: str
    rejected: frozenset[ChangeKey] = field(default_factory=frozenset)

    def toggled(self, key: ChangeKey) -> Review:
        """The same review with ``key`` rejected, or no longer rejected."""
        return replace(self, rejected=self.rejected ^ {key})

    def to_json(self, article_name: str) -> str:
        """The sidecar's text: one rejection a line, with anything beyond ASCII escaped
        (``\\u0435``), so a look-alike or an invisible character can be seen.

        >>> key = ChangeKey(5, 9, "commas", "comma", " and", ",")
        >>> print(Review("ab12", frozenset({key})).to_json("a.txt"))
        {
         "leaflet_review": 1,
         "article": "a.txt",
         "text_sha256": "ab12",
         "rejected": [
          {"stage": "commas", "rule": "comma", "start": 5, "end": 9, "before": " and", "after": ","}
         ]
        }
        <BLANKLINE>
        """
        head = {"leaflet_review": FORMAT, "article": article_name, "text_sha256": self.text_sha256}
        lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
        keys = [f"  {json.dumps(k.to_dict())}" for k in sorted(self.rejected)]
        return "\n".join(["{", *lines, ' "rejected": [', ",\n".join(keys), " ]", "}", ""])


class SidecarError(ValueError):
    """A sidecar that cannot be read as a review; the message says what is wrong."""


def text_digest(text: str) -> str:
    """The SHA-256 of an article's text, as a sidecar records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sidecar_path(article: Path) -> Path:
    """``raw/a.txt`` -> ``raw/a.txt.review.json``, beside the article's own file (for a
    link, the file it leads to: :func:`pipeline.files.beside`)."""
    return beside(article, SIDECAR_SUFFIX)


def sidecar_key(article: Path) -> str:
    """A digest of the sidecar's bytes (``""`` without one, ``"unreadable"`` for one that
    cannot be read): a build whose sidecar changed is not up to date."""
    try:
        data = _sidecar_bytes(article)
    except InputError:
        return "unreadable"
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def _sidecar_bytes(article: Path) -> bytes | None:
    """The bytes of the sidecar beside ``article`` (``None``: there is none), read only
    from a regular file of at most :data:`MAX_SIDECAR` bytes inside the article's folder,
    links followed; anything else at its name (a pipe, a folder, a link to nothing or
    leading out) is an :class:`~pipeline.errors.InputError` naming it, never a wait:
    :func:`pipeline.read.read_beside`, as ``leaflet build`` reads it."""
    return read_beside(article, SIDECAR_SUFFIX, MAX_SIDECAR)


def read_review(article: Path, data: bytes | None = None) -> Review | None:
    """The review beside ``article`` (``data``: its bytes, when already read); ``None``
    if there is none. :class:`SidecarError` for a file that is not one,
    :class:`~pipeline.errors.InputError` for one that cannot be read."""
    if data is None:
        data = _sidecar_bytes(article)
    if data is None:
        return None
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise SidecarError(f"cannot be read as JSON ({error})") from None
    return _parse_review(parsed)


def _parse_review(data: Any) -> Review:
    if not isinstance(data, dict) or "leaflet_review" not in data:
        raise SidecarError("has no leaflet_review version")
    if data["leaflet_review"] != FORMAT:
        shown = repr(data["leaflet_review"])[:40]
        raise SidecarError(f"is format {shown}, and this leaflet reads {FORMAT}")
    digest, entries = data.get("text_sha256"), data.get("rejected")
    if not isinstance(digest, str) or not isinstance(entries, list):
        raise SidecarError("needs text_sha256 (a string) and rejected (a list)")
    return Review(digest, frozenset(_parse_key(entry) for entry in entries))


def _parse_key(entry: Any) -> ChangeKey:
    strings, numbers = ("stage", "rule", "before", "after"), ("start", "end")
    if not (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in strings)
        and all(type(entry.get(k)) is int for k in numbers)
    ):
        raise SidecarError(f"has a rejection that is not stage, rule, start, end, before, after: "
                           f"{json.dumps(entry, ensure_ascii=False)[:80]}")  # fmt: skip
    return ChangeKey(**{k: entry[k] for k in (*numbers, *strings)})


def save_review(article: Path, review: Review) -> None:
    """Write the sidecar beside ``article`` (its own file: :func:`sidecar_path`)
    atomically; with no rejections, remove it."""
    path = sidecar_path(article)
    if review.rejected:
        write_atomic(path, review.to_json(path.name.removesuffix(SIDECAR_SUFFIX)))
    else:
        path.unlink(missing_ok=True)


def rejections_for(
    article: Path, text: str, data: bytes | None = None, *, action: str = REVIEW_AGAIN
) -> tuple[frozenset[ChangeKey], str]:
    """The rejections in the sidecar beside ``article`` (``data``: its bytes, when already
    read) if it was made for ``text``, and the one-line problem if it was not (``action``
    says what to do): then none are returned. A sidecar that cannot be read, or is not a
    review, is an :class:`~pipeline.errors.InputError` naming it: an editor's decisions
    are never dropped unread, or the repairs they overrule would be made again."""
    path = sidecar_path(article)
    try:
        review = read_review(article, data)
    except SidecarError as error:
        raise InputError(f"{path}: {error}; {FIX_OR_DELETE}") from None
    if review is None:
        return frozenset(), ""
    if review.text_sha256 != text_digest(text):
        reason = f"was saved for another version of {path.name.removesuffix(SIDECAR_SUFFIX)}"
        return frozenset(), _not_applied(path, reason, action, len(review.rejected))
    return review.rejected, ""


def _not_applied(path: Path, reason: str, action: str, count: int, of: int | None = None) -> str:
    """The one-line report of rejections that do not fit, and ``action``: what to do.

    >>> _not_applied(Path("raw/a.txt.review.json"), "was saved for another version of a.txt",
    ...              REVIEW_AGAIN, 2)  # doctest: +NORMALIZE_WHITESPACE
    'raw/a.txt.review.json: was saved for another version of a.txt, so its 2 rejection(s)
     are not applied; review the article again (leaflet serve) or delete a.txt.review.json'
    """
    which = f"{count} of its {of} rejections" if of else f"its {count} rejection(s)"
    return f"{path}: {reason}, so {which} are not applied; {action.format(sidecar=path.name)}"


def review_beside(
    text: str,
    article: Path | None,
    options: CleanOptions | None = None,
    *,
    sidecar: bytes | None = None,
    action: str = REVIEW_AGAIN,
    name: str | None = None,
) -> Reviewed:
    """Clean ``text`` (read from ``article``) with the decisions in its sidecar (whose
    bytes a batch passes as ``sidecar``, having read them with the article); a sidecar
    that does not fit is described in ``Reviewed.problem``, ending with ``action`` (what
    to do about it where the problem is read), and what does not fit is not applied.

    Text that holds nothing a reader would see once cleaned (control characters alone,
    a mojibake no-break space) is an :class:`~pipeline.errors.InputError`, as it is when
    read (:func:`~pipeline.readers.text.refuse_blank`); its message calls the article
    ``name`` (by default ``article``)."""
    keys, problem = (
        rejections_for(article, text, sidecar, action=action) if article else (frozenset(), "")
    )
    reviewed = clean_reviewed(text, options, rejected=keys)
    refuse_blank(reviewed.cleaned.text, name or (str(article) if article else None))
    if reviewed.stale and article is not None:
        reason = "has rejections that no longer match a repair leaflet proposes"
        path, stale = sidecar_path(article), len(reviewed.stale)
        problem = _not_applied(path, reason, action, stale, len(keys))
    return replace(reviewed, problem=problem)


def clean_beside(
    text: str, article: Path | None, options: CleanOptions | None = None, *, name: str | None = None
) -> Reviewed:
    """:func:`review_beside`, with a sidecar that does not fit logged as a warning (one
    that cannot be read is an :class:`~pipeline.errors.InputError`).

    This is the one call ``leaflet build`` and ``leaflet clean`` make in place of
    :func:`pipeline.clean`.
    """
    reviewed = review_beside(text, article, options, name=name)
    if reviewed.problem:
        LOGGER.warning("%s", reviewed.problem)
    return reviewed
