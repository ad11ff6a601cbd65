"""A readable account of a cleaning: counts by stage and rule, then every change, then
the changes an editor rejected (``leaflet explain`` reads the article's review sidecar,
as ``leaflet clean`` and ``leaflet build`` do: what it shows is what they make).

Positions are ``line:column`` (1-based) in the text as that stage received it. The
stages keep the input's lines, so the line is the input file's line; the column is the
input's too unless an earlier stage (``unicode``) removed characters before it on that line.

>>> from pipeline.normalise import clean
>>> print(explain(clean("Thе wrinklеs an’ linеs"), "a.txt").splitlines()[0])
a.txt: 4 changes
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence

from pipeline.chardata import INVISIBLE
from pipeline.model import Change, Cleaned
from pipeline.normalise import stages_of

_NEWLINE = re.compile("\n")


def explain(cleaned: Cleaned, name: str, rejected: Sequence[Change] = ()) -> str:
    """The summary table, the list of changes, the ``rejected`` ones (proposed, and
    rejected by an editor: each placed in the original text) and the suspects, as
    plain text.

    >>> from pipeline.review import clean_reviewed
    >>> reviewed = clean_reviewed("Thе wrinklеs an’ linеs")
    >>> key = next(m.key for m in reviewed.marks if m.key.before == "an’")
    >>> reviewed = clean_reviewed("Thе wrinklеs an’ linеs", rejected=[key])
    >>> shown = explain(reviewed.cleaned, "a.txt", reviewed.rejections).splitlines()
    >>> print(shown[0], *shown[-3:-1], sep="\\n")
    a.txt: 3 changes, 1 rejected by an editor
    rejected by an editor, not made (1)
          1:14  “an’” → “and”   contractions · an
    """
    changes = cleaned.changes
    lines = [f"{name}: {len(changes)} change{'s' if len(changes) != 1 else ''}"]
    if rejected:
        lines[0] += f", {len(rejected)} rejected by an editor"
    if not changes and not cleaned.suspects and not rejected:
        return lines[0] + " (the text was already clean)\n"
    if changes:
        lines += ["", *summary_table(changes), ""]
    for stage_text, stage_changes, _result in stages_of(cleaned.original, changes):
        lines += _detail(stage_text, stage_changes)
    lines += rejected_lines(cleaned.original, rejected)
    lines += suspect_lines(cleaned)
    return "\n".join(lines) + "\n"


def rejected_lines(original: str, rejected: Sequence[Change]) -> list[str]:
    """The changes an editor rejected (an article's review sidecar), at ``line:column``
    of the text as read, with the stage and rule that proposed each."""
    if not rejected:
        return []
    starts = _line_starts(original)
    lines = [f"rejected by an editor, not made ({len(rejected)})"]
    for change in rejected:
        where = _place(starts, change.start)
        shown = f"{show(change.before)} → {show(change.after)}"
        lines.append(f"  {where:>8}  {shown}   {change.stage} · {change.rule}")
    return [*lines, ""]


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def _place(starts: list[int], offset: int) -> str:
    """``line:column`` (1-based) of ``offset``, in a text whose lines start at ``starts``."""
    row = bisect_right(starts, offset) - 1
    return f"{row + 1}:{offset - starts[row] + 1}"


def suspect_lines(cleaned: Cleaned) -> list[str]:
    """What the cleaner left but found odd, at ``line:column`` of the cleaned text.

    >>> from pipeline.normalise import clean
    >>> suspect_lines(clean("The Gαq protein."))
    ['suspects, left as they are (1)', '       1:5  “Gαq”   Greek letter α inside a Latin word', '']
    """
    if not cleaned.suspects:
        return []
    starts = _line_starts(cleaned.text)
    lines = [f"suspects, left as they are ({len(cleaned.suspects)})"]
    for suspect in cleaned.suspects:
        where = _place(starts, suspect.start)
        lines.append(f"  {where:>8}  {show(suspect.text)}   {suspect.reason}")
    return [*lines, ""]


def summary_table(changes: tuple[Change, ...]) -> list[str]:
    """``stage  rule  count`` rows, in pipeline order."""
    counts: dict[tuple[str, str], int] = {}
    for change in changes:
        counts[(change.stage, change.rule)] = counts.get((change.stage, change.rule), 0) + 1
    rows = [f"{'stage':<14}{'rule':<15}{'changes':>7}"]
    rows += [f"{stage:<14}{rule:<15}{count:>7}" for (stage, rule), count in counts.items()]
    return rows


def _detail(text: str, changes: list[Change]) -> list[str]:
    starts = _line_starts(text)
    by_rule: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        by_rule.setdefault((change.stage, change.rule), []).append(change)
    lines = []
    for (stage, rule), items in by_rule.items():
        lines.append(f"{stage} · {rule} ({len(items)})")
        for change in items:
            where = _place(starts, change.start)
            note = f"   {change.note}" if change.note else ""
            lines.append(f"  {where:>8}  {show(change.before)} → {show(change.after)}{note}")
        lines.append("")
    return lines


def show(text: str) -> str:
    """Quote a fragment, naming invisible characters (a variation selector too).

    >>> show("a\\u200b"), show("\\u2764\\ufe0f ")
    ('“a⟨U+200B⟩”', '“❤⟨U+FE0F⟩ ”')
    """
    shown = "".join(
        f"⟨U+{ord(c):04X}⟩"
        if c != " " and (unicodedata.category(c) in ("Cf", "Zs", "Cc") or INVISIBLE.match(c))
        else c
        for c in text
    )
    return f"“{shown}”"
