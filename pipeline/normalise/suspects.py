"""What the cleaner left in place but found odd: suspects for an editor to look at.

After cleaning, a word that still mixes Latin letters with letters of another script
(``Gαq``, ``NF-κB``), keeps a look-alike (``𝑥`` beside Latin letters) or an invisible
character, or a look-alike standing alone in English text, is listed with its position
in the cleaned text and the reason. Nothing is changed: science and real names often
look exactly like this, so the cleaner was not sure enough to touch them.

>>> [(s.text, s.reason) for s in find_suspects("The Gαq protein and 5 mg.")]
[('Gαq', 'Greek letter α inside a Latin word')]
>>> find_suspects("Plain text, nothing odd.")
()
"""

from __future__ import annotations

import re
import unicodedata

import regex

from pipeline.chardata import INVISIBLE, LETTERLIKE, LOOKALIKES, script
from pipeline.model import Suspect
from pipeline.normalise.words import EnglishLines

# Characters worth a look: anything but ASCII and the usual typographic marks.
_ODD = re.compile(r"[^\x00-\x7f’‘“”–—…•°±×·«»£€é]")
_OTHER_SCRIPT = regex.compile(r"[\p{L}--[\p{Latin}\p{Common}]]", regex.V1)
_LATIN = regex.compile(r"\p{Latin}")
_WINDOW = 48  # characters searched either side of an odd character for its word


def find_suspects(text: str) -> tuple[Suspect, ...]:
    """Every suspect in ``text``, in order."""
    if text.isascii():
        return ()
    english = EnglishLines(text)
    found: list[Suspect] = []
    checked = 0  # everything before this offset has been looked at
    for match in _ODD.finditer(text):
        if match.start() < checked or not _may_be_odd(match.group()):
            continue
        suspect = _invisible_in_word(text, match.start(), english)
        if suspect is None:
            suspect, checked = _word_at(text, match, english)
        if suspect is not None:
            found.append(suspect)
            checked = max(checked, suspect.end)
    return tuple(found)


def _may_be_odd(char: str) -> bool:
    """A character that can make a word suspect: a look-alike, an invisible character or
    a letter of a script other than Latin (``é`` alone never does)."""
    return char in LETTERLIKE or bool(INVISIBLE.match(char) or _OTHER_SCRIPT.match(char))


def _invisible_in_word(text: str, index: int, english: EnglishLines) -> Suspect | None:
    """An invisible character the cleaner kept between two Latin letters of English text."""
    char = text[index]
    if not INVISIBLE.match(char) or not 0 < index < len(text) - 1:
        return None
    if not (_LATIN.match(text[index - 1]) and _LATIN.match(text[index + 1]) and english(index)):
        return None
    return Suspect(index, index + 1, char, f"invisible character U+{ord(char):04X} inside a word")


def _word_at(text: str, match: re.Match[str], english: EnglishLines) -> tuple[Suspect | None, int]:
    """The word holding an odd character, if it looks out of place, and where it ends."""
    start, end = match.start(), match.end()
    while start > 0 and match.start() - start < _WINDOW and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and end - match.end() < _WINDOW and _in_word(text[end]):
        end += 1
    word = text[start:end].strip("'’")
    start += text[start:end].index(word) if word else 0
    reason = _reason(word, english(start)) if word else ""
    suspect = Suspect(start, start + len(word), word, reason) if reason else None
    return suspect, end


def _in_word(char: str) -> bool:
    return char.isalnum() or char in LETTERLIKE or char in "'’" or unicodedata.combining(char) > 0


def _reason(word: str, english: bool) -> str:
    """Why a word looks out of place, or '' if it does not."""
    has_latin = any(c.isascii() and c.isalpha() for c in word)
    for char in word:
        if not has_latin:
            continue
        if char in LETTERLIKE and LOOKALIKES[char].kind not in ("letter", "greek"):
            return f"look-alike {char} ({unicodedata.name(char, '?').lower()}) in a Latin word"
        if _OTHER_SCRIPT.match(char):
            return f"{script(char).title()} letter {char} inside a Latin word"
    if english and not has_latin and len(word) > 1 and all(c in LETTERLIKE for c in word):
        reading = "".join(LOOKALIKES[c].readings[0] for c in word)
        return f"look-alike of “{reading}” left in English text"
    return ""
