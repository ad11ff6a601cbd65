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
from pipeline.normalise.readings import TOKEN
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
    for match in _ODD.finditer(text):
        if found and match.start() < found[-1].end:
            continue
        suspect = _invisible_in_word(text, match.start(), english) or _word_at(text, match, english)
        if suspect is not None:
            found.append(suspect)
    return tuple(found)


def _invisible_in_word(text: str, index: int, english: EnglishLines) -> Suspect | None:
    """An invisible character the cleaner kept between two Latin letters of English text."""
    char = text[index]
    if not INVISIBLE.match(char) or not 0 < index < len(text) - 1:
        return None
    if not (_LATIN.match(text[index - 1]) and _LATIN.match(text[index + 1]) and english(index)):
        return None
    return Suspect(index, index + 1, char, f"invisible character U+{ord(char):04X} inside a word")


def _word_at(text: str, match: re.Match[str], english: EnglishLines) -> Suspect | None:
    """The word holding an odd character, if it looks out of place."""
    window = (max(0, match.start() - _WINDOW), match.end() + _WINDOW)
    for word in TOKEN.finditer(text, *window):
        if word.start() <= match.start() < word.end():
            reason = _reason(word.group(), english(word.start()))
            return Suspect(word.start(), word.end(), word.group(), reason) if reason else None
    return None


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
