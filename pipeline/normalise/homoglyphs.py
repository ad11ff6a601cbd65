"""The ``homoglyphs`` stage: look-alike characters back to the Latin letters they imitate.

The table (:mod:`pipeline.chardata`, generated from Unicode's NFKC and confusables data)
covers every script and form: Cyrillic ``р`` is ``p``, Greek ``Ν`` is ``N``, Cherokee,
Armenian, Lisu, Coptic; maths alphanumerics (``𝐚 𝑥 𝚌``), full-width forms (``ｅ``),
letterlike symbols (``ℯ``), small capitals and IPA letters (``ɑ ɡ ı ᴄ``), roman numerals
(``ⅼ Ⅰ``) and digits of other scripts. :mod:`.readings` reads each word; a word is
rewritten only when no letter in it is foreign and unmistakable, so real Cyrillic, Greek,
Turkish or maths survives. Rules:

``mixed-script``
    a word mixing Latin letters with look-alikes that are a disguise for certain (another
    script's letter, a maths or full-width form): ``cеlеbratеd``, ``𝚌ell``, ``ⅠU``. Greek
    lower-case letters are also the letters of science (``κB``, ``μg``), so a word whose only
    look-alikes are Greek lower-case letters changes only if it reads as English (or the
    spinner is seen to use those letters); Latin-extended letters and symbols (``ɑ``, ``×``)
    only if the word reads as a common English word.
    A mixed word in a sentence mostly of another script's words is that language's
    grammar (``Я люблю Vim'а``: a Russian ending on a foreign word) and stays.
``whole-word``
    a word made only of look-alikes (``асіԁ``, ``𝖳Ꮒе``), when the document is English, its
    Latin reading is an English word (or the spinner visibly went through the document)
    and no neighbouring word is really in that script (``Москва``, ``а вот`` stay). In a
    science token only the disguised letters come back (``ΝF-κΒ`` is ``NF-κB``): a Greek
    capital look-alike beside the one Greek lower-case letter of a word after a Latin word
    and a hyphen, or in a hyphen-joined token whose other words are disguised.
``number``
    digits and look-alikes of digits in English text (``1О mg`` is ``10 mg``, ``4,ООО``).
``punctuation``
    a look-alike of a comma, full stop, colon, semicolon, question or exclamation mark or
    per cent sign that ends a word in English text (``，`` ``٫`` ``・`` ``‚`` ``․`` ``％``).
``ascii``
    in a document the spinner visibly went through, an unknown word that becomes a common
    English word by undoing one ASCII swap (``he1p``, ``c0mmon``, ``9ood``, ``5afe``);
    numbers stay numbers (``1O`` is ``10``).

>>> [(c.before, c.after) for c in propose("Bеngt has асіԁ reflux.", ())]
[('Bеngt', 'Bengt'), ('асіԁ', 'acid')]
>>> propose("Moscow is Москва, not а city in Greece.", ())
[]
"""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_right
from codecs import charmap_build, charmap_decode, charmap_encode
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from itertools import accumulate, chain, compress, islice, repeat
from operator import attrgetter, is_, itemgetter, methodcaller

import regex

from pipeline.chardata import (
    CJK_LETTERS,
    CJK_TOGETHER,
    LETTERLIKE,
    LOOKALIKES,
    PUNCTUATION,
    any_of,
    non_ascii,
    positions,
    script,
)
from pipeline.model import END, START, Change, change_of
from pipeline.normalise import ascii_swaps
from pipeline.normalise.apply import merge_changes
from pipeline.normalise.readings import (
    CERTAIN,
    TOKEN,
    first_reading,
    number_reading,
    reading,
    without_exponents,
)
from pipeline.normalise.rounds import Ftfy
from pipeline.normalise.words import (
    LONGEST_REMEMBERED,
    Bounded,
    EnglishLines,
    Memo,
    is_english,
    is_english_document,
    remember,
    remember_each,
)
from pipeline.stages import HOMOGLYPHS, UNICODE

STAGE = HOMOGLYPHS
FTFY: Ftfy = "settle"  # the rounds settle its changes (apply.settle)

_PUNCT = any_of(PUNCTUATION)
_GREEK_LOWER = frozenset(c for c, found in LOOKALIKES.items() if found.kind == "greek")
_NOT_SCIENCE = frozenset(c for c, found in LOOKALIKES.items() if found.kind in ("letter", "compat"))
_ONE_LETTER_WORDS = frozenset("aAI")
_SPUN_DOCUMENT = 3  # certain repairs that show the spinner went through a document
_CONTEXT = 25  # characters either side searched for a word really in the same script
_CLOSERS = "\"'”’)]"
_KINDS = ("mixed-script", "greek", "uncertain", "whole-word", "number", "science", "capitals")
# The rule of a change for each kind of word, if it is found to be spun.
_RULE = {
    "greek": "mixed-script",
    "uncertain": "mixed-script",
    "science": "whole-word",
    "capitals": "whole-word",
}
_HYPHEN = "-"
_SENTENCE_END = re.compile(r"[.!?\n]")
_LAST_WORD = re.compile(r"\w+\Z")
_SENTENCE = 300  # characters either side searched for a sentence's end
# A whitespace-separated chunk holding a character that is not ASCII (anchored at the
# chunk's start, so a long ASCII chunk is read once, not once from each of its characters):
# its ASCII start, the first character that is not, and the rest, none given back. A group,
# so that splitting the text keeps the chunks.
_NON_ASCII_CHUNK = re.compile(r"((?<!\S)[^\s\x80-\U0010ffff]*+[^\s\x00-\x7f]\S*+)")
# Chinese or Japanese text (two characters in a row: an attack puts single ones in words).
_CJK_TEXT = regex.compile(rf"[{CJK_LETTERS}]{{{CJK_TOGETHER}}}")


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A change for every word whose look-alikes should be Latin, and every look-alike
    punctuation mark in English text.

    Words are read one by one first. Uncertain words are then decided in the light of the
    whole document: is it English, did the spinner visibly go through it, and which Greek
    letters did it use in words that are certainly spun.
    """
    evidence = sum(c.stage == UNICODE and c.rule == "invisible" for c in history)
    looks = non_ascii(text)  # every look-alike is one of these
    if LOOKALIKES.keys().isdisjoint(looks) and evidence < _SPUN_DOCUMENT:
        return []  # quick passes in C: no look-alike, and no other sign of a spinner
    english = EnglishLines(text)
    found = _read_words(text)
    if foreign := _real_foreign_letters(text, looks):  # else no sentence is in another script
        for kind in ("mixed-script", "greek"):  # Vim'а in Russian, Windows'α in Greek
            found[kind] = _outside_foreign_sentences(text, found[kind], foreign)
    changes = merge_changes(found["mixed-script"], _decide(text, found, english, looks))
    spun = len(found["mixed-script"]) + evidence >= _SPUN_DOCUMENT
    changes = merge_changes(changes, _punctuation_changes(text, english, spun, looks))
    if spun:
        changes = merge_changes(changes, ascii_swaps.propose(text, STAGE))
    return changes


def may_change(text: str) -> bool:
    """Whether ``text`` holds a look-alike (in a document the ``unicode`` stage shows to
    be spun, the stage also repairs ASCII swaps: that evidence is its history)."""
    return not LOOKALIKES.keys().isdisjoint(non_ascii(text))


def _read_words(text: str) -> dict[str, list[Change]]:
    """Every word with a look-alike, by the kind its reading says, as the change it gets
    if it is spun."""
    found: dict[str, list[Change]] = {kind: [] for kind in _KINDS}
    pieces = _NON_ASCII_CHUNK.split(text)  # the text between chunks, a chunk, between...
    offsets = accumulate(map(len, pieces), initial=0)  # where each piece starts (and ends)
    chunks = _readings_of(pieces[1::2])
    for base, reads in zip(islice(offsets, 1, None, 2), chunks, strict=False):
        for start, end, word, kind, rule, latin, note in reads:
            change = (STAGE, rule, base + start, base + end, word, latin, note)
            found[kind].append(change_of(change))
    return found


# A word of a chunk that reads otherwise in Latin letters: where it starts and ends in
# the chunk, the word, its kind, the rule of its change if it is spun, its Latin reading
# and the change's note. A plain tuple, as the memos keep (see readings.Reading).
_Read = tuple[int, int, str, str, str, str, str]
_CHUNKS: Memo[tuple[_Read, ...]] = Memo(maxsize=1 << 14)


def _readings_of(chunks: list[str]) -> Iterator[tuple[_Read, ...]]:
    """The readings of each whitespace-separated chunk (``асіԁ,`` or ``NF-κΒ``), in order:
    the words of it that hold a character that is not ASCII and read otherwise in Latin
    letters. Each distinct chunk is read once (nothing outside it changes its readings),
    and those not read before are read together (:func:`_read_new`)."""
    known = _CHUNKS.lookup(chunks)  # the memo read once: another thread may empty it
    if new := list(compress(known, map(is_, known.values(), repeat(None)))):
        fresh = _read_new_by_chunk(new)
        known.update(fresh)
        _CHUNKS.keep(fresh)
    return map(known.__getitem__, chunks)  # type: ignore[arg-type]


def _read_new(chunks: list[str]) -> list[tuple[_Read, ...]]:
    """The readings of chunks not read before, in order (:func:`_read_new_by_chunk`)."""
    return list(map(_read_new_by_chunk(chunks).__getitem__, chunks))


def _read_new_by_chunk(chunks: list[str]) -> dict[str, tuple[_Read, ...]]:
    """The readings of distinct chunks not read before, by chunk. The usual spun word
    (one of :data:`_PLAIN_DISGUISE`, alone in its chunk), and plain spun words joined by ASCII
    marks to each other or to ASCII words (``vоltagе-gаteԁ``, :data:`_PLAIN_WORDS`), are
    read as :func:`_read_chunk` reads them, without its questions, all of them at once
    (:func:`_plain_reads`)."""
    plain = list(map(_PLAIN_CHUNK.fullmatch, chunks))
    matches = list(filter(None, plain))
    words = list(map(_WORD_OF_CHUNK, matches))
    reads = _plain_reads(words, map(_START_OF_WORD, matches), map(_END_OF_WORD, matches))
    fresh = dict(zip(map(_STRING_OF, matches), zip(reads), strict=True))  # one reading each
    if len(matches) == len(chunks):
        return fresh
    others = list(compress(chunks, map(is_, plain, repeat(None))))
    joined = list(map(_PLAIN_WORDS.fullmatch, others))
    if several := list(map(_STRING_OF, filter(None, joined))):
        each = [list(_PLAIN_DISGUISE.finditer(chunk)) for chunk in several]
        found = list(chain.from_iterable(each))
        words = list(map(_WHOLE, found))
        reads_of = iter(_plain_reads(words, map(_START, found), map(_END, found)))
        grouped = map(tuple, map(islice, repeat(reads_of), map(len, each)))  # each chunk's
        fresh.update(zip(several, grouped, strict=True))
    fresh.update({c: _read_chunk(c) for c, match in zip(others, joined, strict=True) if not match})
    return fresh


def _plain_reads(words: list[str], starts: Iterator[int], ends: Iterator[int]) -> list[_Read]:
    """Plain spun words (:data:`_PLAIN_DISGUISE`), where each starts and ends in its
    chunk, read as :func:`_read_chunk` reads them, without its questions: each word's
    Latin letters and look-alikes found by one pass over them all, joined (a byte for each
    character, :func:`_plain_codes`, or else by ``str.translate``), and each set of
    look-alikes' kind and note remembered (a spun page uses a handful, in thousands of
    new words)."""
    if not words:
        return []
    joined = "\0".join(words)  # no plain word holds it
    try:  # a byte for each character: the usual look-alikes have one (_PLAIN_CODES)
        coded = charmap_encode(joined, "strict", _PLAIN_CODES)[0]
    except UnicodeEncodeError:  # a rarer one: read character by character
        latin = first_reading(joined).split("\0")
        looks = joined.translate(_PLAIN_LOOKS_ONLY).split("\0")
        kinds, notes = zip(*remember_each(_looks_kind_and_note, looks), strict=True)
    else:
        latin = charmap_decode(coded, "strict", _PLAIN_READINGS)[0].split("\0")
        coded_looks = coded.translate(None, _NOT_LOOK_CODES).split(b"\0")
        kinds, notes = zip(*map(_CODED_LOOKS.__getitem__, coded_looks), strict=True)
    rules = repeat("mixed-script")
    return list(zip(starts, ends, words, kinds, rules, latin, notes, strict=False))


@lru_cache(maxsize=1 << 12)
def _looks_kind_and_note(looks: str) -> tuple[str, str]:
    """:func:`_kind_and_note` of a plain spun word's look-alikes, as they stand in it."""
    return _kind_and_note(frozenset(looks))


def _kind_and_note(looks: frozenset[str]) -> tuple[str, str]:
    """A plain spun word's kind (Greek lower-case look-alikes alone, or others too) and
    note, by the set of look-alikes it holds."""
    return ("greek" if looks <= _GREEK_LOWER else "mixed-script"), _looks_note(looks)


def _plain_read(start: int, word: str) -> _Read:
    """A plain spun word (:data:`_PLAIN_DISGUISE`) at ``start`` in its chunk, read as
    :func:`_read_chunk` reads it, without its questions."""
    kind, note = _kind_and_note(LETTERLIKE.intersection(word))
    return (start, start + len(word), word, kind, "mixed-script", first_reading(word), note)


def _read_chunk(chunk: str) -> tuple[_Read, ...]:
    """The words of a chunk that read otherwise in Latin letters, each read by
    :func:`reading` (a plain spun word, the usual one, as :func:`_plain_read` reads it)."""
    found = []
    for start, end, word in _words_of(chunk):
        if word.isascii():
            continue
        if _PLAIN_DISGUISE.fullmatch(word):
            found.append(_plain_read(start, word))
            continue
        kind, latin = remember(reading, word)
        if kind == "foreign" and _in_compound(chunk, start):
            kind = "capitals" if _one_greek_letter(word) else "science"
            latin = _keep_greek_science(word)
        if kind in _KINDS and latin != word:
            found.append((start, end, word, kind, _RULE.get(kind, kind), latin, _note(word)))
    return tuple(_beside_disguise(chunk, found) if len(found) > 1 else found)


def _plain_looks(kinds: frozenset[str]) -> str:
    """The look-alikes of ``kinds`` a plain word may hold (see :data:`_PLAIN_DISGUISE`):
    letters of the Basic Multilingual Plane, read one way, as one ASCII letter."""
    return "".join(
        sorted(
            c
            for c, found in LOOKALIKES.items()
            if found.kind in kinds
            and c.isalpha()
            and ord(c) <= 0xFFFF
            and len(found.readings) == 1
            and found.readings.isascii()
            and found.readings.isalpha()
        )
    )


# The usual spun word: ASCII letters and look-alikes read one way, at least one of each,
# perhaps with an apostrophe inside (``раtiеnts``, ``sυgar``, ``һеаrt’ѕ``), alone or
# joined to other words in its chunk: reading() finds it ``mixed-script``, or ``greek``
# if its look-alikes are all Greek lower-case letters, read as each look-alike's one
# reading.
# Look-alikes of the Basic Multilingual Plane only: re tests a class of those with one
# table lookup, where a class that also holds maths letters (``𝐚``) is searched entry
# by entry, several times slower than reading the word the long way.
_PLAIN_LOOKS = _plain_looks(CERTAIN | {"greek"})
_PLAIN_DISGUISE = re.compile(
    rf"(?=[{_PLAIN_LOOKS}'’]*+[A-Za-z])(?=[A-Za-z'’]*+[{_PLAIN_LOOKS}])"
    rf"[A-Za-z{_PLAIN_LOOKS}]++(?:['’][A-Za-z{_PLAIN_LOOKS}]++)*+"
)
_ASCII_MARKS = string.punctuation  # never part of a word (TOKEN)
# A chunk that is one plain spun word, with ASCII marks around it (``(раtiеnts),``).
_PLAIN_CHUNK = re.compile(
    rf"[{re.escape(_ASCII_MARKS)}]*+({_PLAIN_DISGUISE.pattern})[{re.escape(_ASCII_MARKS)}]*+"
)
_WORD_OF_CHUNK = itemgetter(1)
_STRING_OF = attrgetter("string")  # a match's chunk
_WHOLE, _START, _END = itemgetter(0), methodcaller("start"), methodcaller("end")
# A chunk of plain spun words and ASCII words, joined by ASCII marks (no apostrophe: one
# between two words makes them one), each word whole as TOKEN finds it: a plain word is
# followed by no digit or apostrophe, an ASCII word by no look-alike or apostrophe.
_JOINING_MARKS = re.escape(string.punctuation.replace("'", ""))
_PLAIN_WORDS = re.compile(
    rf"(?:[{_JOINING_MARKS}]++|{_PLAIN_DISGUISE.pattern}(?![0-9'’])"
    rf"|[A-Za-z0-9]++(?:['’][A-Za-z0-9]++)*+(?![{_PLAIN_LOOKS}'’]))++"
)
_START_OF_WORD, _END_OF_WORD = methodcaller("start", 1), methodcaller("end", 1)
# Which of a plain word's characters are look-alikes (each there: str.translate is slow
# on a character its table lacks); the separator of words joined is itself.
_PLAIN_ALPHABET = f"{string.ascii_letters}'’\0"
_PLAIN_LOOKS_ONLY: dict[int, int | None] = {
    **{ord(c): None for c in _PLAIN_ALPHABET if c not in LETTERLIKE},
    **{ord(c): ord(c) for c in _PLAIN_LOOKS + "\0"},
}


def _plain_codes() -> tuple[str, str, bytes]:
    """A byte for each character a plain spun word may hold, where one is free: ASCII
    letters, the apostrophes and the separator of words joined as themselves (``’`` in a
    free place), then as many look-alikes as fit, the commonest scripts first (Cyrillic,
    Greek, full-width forms...). Returns the bytes' characters (a table for
    ``codecs.charmap_build``, ``\ufffe`` where a byte is unused), their Latin readings
    (a table for ``codecs.charmap_decode``), and the bytes that are no look-alike."""
    own = f"{string.ascii_letters}'\0"
    chars = ["\ufffe"] * 256
    for char in own:
        chars[ord(char)] = char
    free = iter(i for i, char in enumerate(chars) if char == "\ufffe")
    for char, place in zip(["’", *sorted(_PLAIN_LOOKS, key=_code_rank)], free, strict=False):
        chars[place] = char
    table = "".join(chars)
    readings = first_reading(table)  # each look-alike's one reading; unused bytes stay
    plain = bytes(i for i, char in enumerate(table) if char in f"{string.ascii_letters}'’")
    return table, readings, plain


_CODED_FIRST = ("CYRILLIC", "GREEK", "FULLWIDTH", "ARMENIAN", "CHEROKEE", "LISU")


def _code_rank(char: str) -> tuple[int, str]:
    """Which look-alikes get a byte first: those of the scripts spinners use most."""
    name = unicodedata.name(char, "").split(" ")[0]
    return (_CODED_FIRST.index(name) if name in _CODED_FIRST else len(_CODED_FIRST), char)


_PLAIN_TABLE, _PLAIN_READINGS, _NOT_LOOK_CODES = _plain_codes()
_PLAIN_CODES = charmap_build(_PLAIN_TABLE)


class _CodedLooks(Bounded[bytes, tuple[str, str]]):
    """:func:`_looks_kind_and_note` of a plain word's look-alikes given as their bytes
    (:func:`_plain_codes`), worked out once for each string of them, with no frame of
    Python's for those seen before (a spun page uses a handful of look-alikes, in
    thousands of new words)."""

    def __missing__(self, coded: bytes) -> tuple[str, str]:
        found = _kind_and_note(frozenset(charmap_decode(coded, "strict", _PLAIN_TABLE)[0]))
        self.keep_one(coded, found)
        return found


_CODED_LOOKS = _CodedLooks(maxsize=1 << 12)


def _words_of(chunk: str) -> list[tuple[int, int, str]]:
    """The words of a chunk (:data:`TOKEN`), where each starts and ends. The usual chunk
    is one word of letters, perhaps with a full stop or comma after it: that word, found
    without the pattern (letters are what a word is made of, and no mark after them
    joins a word).

    >>> _words_of("cеll,"), _words_of("NF-κΒ")
    ([(0, 4, 'cеll')], [(0, 2, 'NF'), (3, 5, 'κΒ')])
    """
    word = chunk.rstrip(_ASCII_MARKS)
    if word.isalpha():
        return [(0, len(word), word)]
    return [(*match.span(), match.group()) for match in TOKEN.finditer(chunk)]


def _one_greek_letter(word: str) -> bool:
    """A science word's Greek is one lower-case letter (``κΒ``); a real Greek word
    (``Αθήνα``) has more."""
    return sum(c.isalpha() and c.islower() and _script(c) == "GREEK" for c in word) == 1


def _beside_disguise(chunk: str, found: list[_Read]) -> list[_Read]:
    """The science words of a hyphen-joined token whose other words are disguised for
    certain (``ΝF-κΒ``) are disguised too: their Greek capitals come back as Latin."""
    kinds = [kind for _start, _end, _word, kind, *_rest in found]
    if "science" not in kinds or "mixed-script" not in kinds:
        return found  # no science word, or no disguised word, in the token
    apart = (chunk[a[1] : b[0]] != _HYPHEN for a, b in zip(found, found[1:], strict=False))
    groups = list(accumulate(apart, initial=0))  # a number for each hyphen-joined token
    disguised = {g for g, kind in zip(groups, kinds, strict=True) if kind == "mixed-script"}
    return [
        _capitals(read) if kind == "science" and g in disguised else read
        for g, kind, read in zip(groups, kinds, found, strict=True)
    ]


def _capitals(read: _Read) -> _Read:
    """A science word read as Greek capitals disguised, as its neighbours are."""
    start, end, word, _kind, rule, latin, note = read
    return (start, end, word, "capitals", rule, latin, note)


def _decide(
    text: str, found: dict[str, list[Change]], english: EnglishLines, looks: str
) -> list[Change]:
    """The undecided words, judged by what the certain ones show of the document (``looks``:
    its characters that are not ASCII)."""
    greek, whole = found["greek"], found["whole-word"]
    habit = frozenset[str]()  # asked of Greek words and of lone Greek letters only
    if greek or any(c.before in _GREEK_LOWER for c in whole):
        habit = _greek_habit(found["mixed-script"] + whole + greek, looks)
    spun = len(found["mixed-script"]) + len(greek) >= _SPUN_DOCUMENT
    decided: list[Change | None] = [c for c in greek if _greek_is_spun(c.before, c.after, habit)]
    decided += [
        c for c in found["uncertain"] if _uncertain_is_spun(c, spun) and (spun or english(c.start))
    ]
    decided += [c for c in found["number"] if spun or english(c.start)]
    decided += found["capitals"]
    if spun:
        decided += found["science"]
    if whole and is_english_document(text):
        decided += [_whole_change(text, c, spun, habit, english) for c in whole]
    return [c for c in decided if c is not None]


def _uncertain_is_spun(change: Change, spun: bool) -> bool:
    """Latin-extended letters or symbols beside ASCII letters (``ɑre``, ``libpnɡ``): spun
    if the word reads as a common English word, or, in a document the spinner visibly
    went through, if every other letter is ASCII (``ılık`` in a Turkish word stays)."""
    if is_english(change.before):
        return False
    if _english(change.after, 1.0 if spun else 2.0):
        return True
    return spun and all(c.isascii() or c in LOOKALIKES for c in change.before)


def _whole_change(
    text: str, change: Change, spun: bool, habit: frozenset[str], english: EnglishLines
) -> Change | None:
    """The change for a word wholly of look-alikes, if it is spun: as a number after
    ``4,``; as a science token with its Greek kept (``κΒ``); or read whole. Never a word
    of Arabic or Persian digits, or a number of digits of any script: ``٥`` is 5 wherever
    it stands, though it looks like o (the Arabic script's digits are in daily use; a lone
    digit of a rarer script between English words, ``𑣦``, is a disguise)."""
    word = change.before
    if word.isdigit() and (len(word) > 1 or _digit_script(word) == "ARABIC"):
        return None
    start = change.start
    if start >= 2 and text[start - 1] in ",." and text[start - 2].isdigit():
        digits = number_reading(change.before)
        if digits is not None and english(start):
            return change._replace(rule="number", after=digits)
    if not _whole_is_spun(change.before, change.after, text, change, spun, habit):
        return None
    return change


def _real_foreign_letters(text: str, looks: str) -> list[int]:
    """Where ``text`` holds a letter of another script that is no look-alike (``я``);
    ``looks`` are its characters outside ASCII."""
    return positions(set(filter(_foreign_letter, set(looks))), text)


def _outside_foreign_sentences(
    text: str, changes: list[Change], foreign: list[int]
) -> list[Change]:
    """The mixed words (``changes``, in order) that are not in a sentence of another
    script. ``foreign``: where the text's letters of another script (no look-alikes)
    stand, in order. Only the words with one of those letters nearby are read with their
    sentence: usually a few, found by a binary search from each letter, not from each
    word (a spun page has thousands of words and a handful of such letters)."""
    near: set[int] = set()  # the words with a foreign letter nearby
    for place in foreign:
        first = bisect_right(changes, place - _CONTEXT, key=END)  # the first ending near
        near.update(range(first, bisect_right(changes, place + _CONTEXT, first, key=START)))
    if not near:
        return changes
    verdicts: dict[tuple[int, int, frozenset[str]], bool] = {}  # one for each sentence and
    foreign_words: set[int] = set()  # script: the words that share them share it
    for index in near:
        change = changes[index]
        scripts = frozenset(_script(c) for c in change.before if c in LOOKALIKES) - {"LATIN"}
        span = (*_sentence(text, change), scripts)
        if span not in verdicts:
            verdicts[span] = _mostly_foreign(TOKEN.findall(text, *span[:2]), scripts)
        if verdicts[span]:
            foreign_words.add(index)
    if not foreign_words:
        return changes
    return [change for index, change in enumerate(changes) if index not in foreign_words]


def _sentence(text: str, change: Change) -> tuple[int, int]:
    """Where the sentence around a change starts and ends (at most :data:`_SENTENCE`
    characters either side)."""
    start = max(0, change.start - _SENTENCE)
    ends = list(_SENTENCE_END.finditer(text, start, change.start))
    start = ends[-1].end() if ends else start
    stop = min(len(text), change.end + _SENTENCE)
    end = _SENTENCE_END.search(text, change.end, stop)
    return start, end.start() if end else stop


def _mostly_foreign(words: list[str], scripts: frozenset[str]) -> bool:
    """Whether the words of a sentence but one (a mixed word's) are mostly in another
    script, one of ``scripts`` (its look-alikes'): that word's foreign letters are then
    that language's grammar (``Я люблю Vim'а``, ``Γεια σου Windows'α``). A word is in a
    script by the letters that make it foreign (no look-alikes: an attack's own swaps,
    ``一`` and ``讠``, make words foreign too, in scripts of their own), or, a word wholly
    of look-alikes (``σου``), by all its letters."""
    others = sum(not scripts.isdisjoint(map(_script, _own_letters(word))) for word in words)
    return 2 * others > len(words) - 1


def _own_letters(word: str) -> str:
    """The letters that say which script a word of another language is in: those no
    Latin letter imitates, or all of a word wholly of look-alikes; none for a word that
    reads as Latin."""
    kind, _latin = remember(reading, word)
    if kind == "whole-word":
        return "".join(c for c in word if c.isalpha())
    return _real(word) if kind == "foreign" else ""


def _real(word: str) -> str:
    """The letters of a word of another script that no Latin letter imitates."""
    return "".join(filter(_foreign_letter, word))


def _foreign_letter(char: str) -> bool:
    """A letter of another script that no Latin letter imitates (``я``, ``ذ``)."""
    return char.isalpha() and char not in LOOKALIKES and _script(char) != "LATIN"


def _in_compound(text: str, start: int) -> bool:
    """Whether a word follows a hyphen after a Latin word: ``NF-κB``, ``IL-1β``."""
    if start < 2 or text[start - 1] != "-":
        return False
    before = text[start - 2]
    return (before.isascii() and before.isalnum()) or before in LETTERLIKE


def _keep_greek_science(word: str) -> str:
    """In a science token whose only foreign letters are Greek lower-case (``κ``), the
    letters that are a disguise for certain read as Latin: ``κΒ`` is ``κB``. Any other
    word is left as it is (``ΑΘΗΝΑ``)."""
    foreign = [c for c in word if c.isalpha() and c not in LOOKALIKES]
    if not foreign or not all(_script(c) == "GREEK" and c.islower() for c in foreign):
        return word
    return "".join(_latin(c) if c in _NOT_SCIENCE else c for c in word)


def _latin(char: str) -> str:
    found = LOOKALIKES.get(char)
    return found.readings[0] if found is not None else char


def _greek_habit(changes: list[Change], looks: str) -> frozenset[str]:
    """The Greek letters the spinner used in this document: those in words that are spun
    for certain (beside Cyrillic look-alikes, or inside a longer English word). ``looks``
    are the document's characters that are not ASCII: the habit is among the Greek
    look-alikes they hold, so the words are read only until each of those is found."""
    present = _GREEK_LOWER.intersection(looks)
    habit: set[str] = set()
    for change in changes if present else ():
        if not present.isdisjoint(change.before):
            shown = _habit_shown if len(change.before) <= LONGEST_REMEMBERED else _habit_of
            habit.update(shown(change.before, change.after))
            if len(habit) == len(present):
                break
    return frozenset(habit)


def _habit_of(word: str, latin: str) -> str:
    """The Greek letters a word spun for certain shows the spinner uses (as a string:
    thousands of remembered sets would be more for the garbage collector to walk)."""
    if _GREEK_LOWER.isdisjoint(word):
        return ""
    greek = "".join(c for c in word if c in _GREEK_LOWER)
    if not _NOT_SCIENCE.isdisjoint(word) or _inner_english(word, latin):
        return greek
    return ""


_habit_shown = lru_cache(maxsize=1 << 16)(_habit_of)  # remembered, for words of usual length


def _inner_english(word: str, latin: str) -> bool:
    inner = all(c not in LOOKALIKES for c in (word[0], word[-1]))
    return inner and len(word) >= 5 and _english(latin, 2.0)


def _greek_is_spun(word: str, latin: str, habit: frozenset[str]) -> bool:
    """Greek lower-case look-alikes beside Latin letters: spun, or science's Greek?

    Where the spinner has shown it uses these letters, any word not shaped like a symbol,
    or reading as English, is spun. Otherwise the word must read as English and not be
    shaped like a symbol (``Gαq``, ``IFNγR``, ``κB``, ``αv``); a word of three letters or
    fewer must be a common one (``οn``; ``Fοr``, but not ``Gαs``).
    """
    if _GREEK_LOWER.intersection(word) <= habit:
        return not _symbol_shaped(word) or _english(latin, 1.0)  # the quicker question first
    if len(word) <= 3:  # "Fοr", "οn" are function words; "Gαs" is a G protein
        return _english(latin, 5.5 if _symbol_shaped(word) else 5.0)
    return not _symbol_shaped(word) and _english(latin, 1.0)


def _symbol_shaped(word: str) -> bool:
    """A capital after the first letter (``IFNγR``), or a short word with a Greek letter
    right after a capital (``Gαs``, ``Gαq``): how gene and protein names are written."""
    if any(map(str.isupper, word[1:])):
        return True
    return len(word) <= 3 and any(
        a.isupper() and b in LOOKALIKES for a, b in zip(word, word[1:], strict=False)
    )


def _english(latin: str, threshold: float) -> bool:
    """Whether the reading is an English word; a possessive is looked up without its ’s."""
    stem = latin.replace("’", "'")
    return is_english(stem, threshold) or is_english(stem.split("'")[0], threshold)


def _whole_is_spun(
    word: str, latin: str, text: str, where: Change, spun: bool, habit: frozenset[str]
) -> bool:
    """A word wholly of look-alikes is spun if no real word could be: it mixes scripts;
    or no real word of its script is nearby and, in a document the spinner visibly went
    through, it is any word but a lone Greek lower-case letter that is science's
    (``α-synuclein``), or, in any English document, it reads as an English word."""
    scripts = {_script(c) if c.isalpha() else _digit_script(c) for c in word if not c.isascii()}
    scripts.discard("")
    if len(scripts) > 1:
        return True  # no real word mixes Cyrillic and Greek
    if _foreign_nearby(text, where.start, where.end, scripts):
        return False
    greek_letter = len(latin) == 1 and word in _GREEK_LOWER
    if greek_letter and word in habit and not _beside_hyphen_or_digit(text, where):
        greek_letter = False  # "ι.e." where the spinner writes ι for i
    if len(without_exponents(latin)) == 1 and _beside_maths(text, where):  # x² ∈ ℝ too
        return False  # 𝑥 ∈ ℝ: a letter of maths, spun document or not
    if _signs_between_numbers(text, where):
        return False  # 2 × 10⁶, 3×4: a sign between numbers, spun document or not
    if spun and not greek_letter:
        return True
    if scripts and scripts <= {"ARABIC", "HEBREW", "NKO"}:
        return False  # a right-to-left word (اه): a spinner's would show its letters reversed
    if len(latin) == 1:  # a maths letter alone is a symbol (𝐀), not the word "A"
        compat = LOOKALIKES[word[0]].kind == "compat" if word[0] in LOOKALIKES else True
        return latin in _ONE_LETTER_WORDS and not greek_letter and not compat
    return _english(latin, 2.0)


def _digit_script(char: str) -> str:
    """The script of a digit of another script, from its name (``٥``, ARABIC-INDIC DIGIT
    FIVE, is Arabic, as the words around it may be); '' for any other character, and for
    the digits of maths and full-width forms, which are ASCII digits in another style."""
    name, digit, _number = unicodedata.name(char, "").partition(" DIGIT ")
    own = char.isdigit() and unicodedata.normalize("NFKC", char) == char
    return name.split(" ")[-1].split("-")[0] if digit and own else ""


def _signs_between_numbers(text: str, where: Change) -> bool:
    """Whether the look-alikes of a word are all signs that imitate a letter (``×``, no
    letters themselves), each with a digit either side, spaces apart or none (``3×4``,
    ``2 × 10⁶``): the sign between numbers is what it is, where a letter would change
    the sense (``3x4``)."""
    places = [i for i in range(where.start, where.end) if text[i] in LOOKALIKES]
    if not places or not all(_sign_for_a_letter(text[i]) for i in places):
        return False
    for place in places:
        before = text[max(0, place - _CONTEXT) : place].rstrip(" ")
        after = text[place + 1 : place + 1 + _CONTEXT].lstrip(" ")
        if not (before[-1:].isdigit() and after[:1].isdigit()):
            return False
    return True


def _sign_for_a_letter(char: str) -> bool:
    return not char.isalpha() and LOOKALIKES[char].readings[0].isalpha()


def _beside_maths(text: str, where: Change) -> bool:
    """Whether the word next to a word, either side, is a maths symbol outside ASCII
    standing alone (``∈``, ``⊂``, ``≤``): the word is a letter of a formula (beside ``=``
    or ``+`` it may be code a tool disguised; ``∨`` inside a word is a disguised v)."""
    before = text[max(0, where.start - _CONTEXT) : where.start].split()[-1:]
    after = text[where.end : where.end + _CONTEXT].split()[:1]
    return any(
        all(unicodedata.category(c) == "Sm" and not c.isascii() for c in token)
        for token in before + after
    )


def _beside_hyphen_or_digit(text: str, where: Change) -> bool:
    """``α-synuclein``, ``β2``, ``5α``: how science writes a Greek letter."""
    around = text[max(0, where.start - 1) : where.start] + text[where.end : where.end + 1]
    return any(c == "-" or c.isdigit() for c in around)


def _foreign_nearby(text: str, start: int, end: int, scripts: set[str]) -> bool:
    """Whether a nearby word is really written in the word's script (``а вот``)."""
    scripts = scripts - {"LATIN"}  # every English word nearby is Latin: no evidence
    if not scripts:
        return False
    window = non_ascii(text[max(0, start - _CONTEXT) : end + _CONTEXT])  # ASCII is Latin
    others = set(window).difference(LOOKALIKES)  # usually none: the look-alikes around
    return any(c.isalpha() and _script(c) in scripts for c in others)


def _punctuation_changes(text: str, english: EnglishLines, spun: bool, looks: str) -> list[Change]:
    """Look-alike marks in English text (any text, where a spinner visibly went through
    the document); no Chinese or Japanese mark (``、`` ``。`` ``，``) in a document that also
    holds Chinese, Japanese or Thai, whose marks its English lines may borrow."""
    if not _PUNCT.search(looks):
        return []
    changes = _punctuation(text, english, spun)
    if _CJK_TEXT.search(text):
        changes = (c for c in changes if unicodedata.east_asian_width(c.before) not in "WFH")
    return list(changes)


def _punctuation(text: str, english: EnglishLines, spun: bool) -> Iterator[Change]:
    """A look-alike mark where its ASCII original would stand, as that original: a
    decimal separator between digits is the full stop, elsewhere the comma."""
    for match in _PUNCT.finditer(text):
        start = match.start()
        before = text[start - 1] if start else "\n"
        after = text[start + 1] if start + 1 < len(text) else "\n"
        options = PUNCTUATION[match.group()]
        if not spun:  # where the spinner is seen at work, every look-alike mark is its
            fits = _joins(before, after) if options in ("-", "_") else _ends_word(before, after)
            if not (fits and english(start)):
                continue
        elif _after_foreign_word(text, start) and not english(start):
            continue  # but not a mark after a word of another language (``هذه،``)
        between_digits = before.isdigit() and after.isdigit()
        if between_digits and not (before.isascii() or after.isascii()):
            continue  # a number written in another script's digits keeps its marks: ٥٫٥
        ascii_mark = options[0] if between_digits or len(options) == 1 else options[1]
        note = f"{script(match.group()).title()} {match.group()}→{ascii_mark}"
        yield Change(STAGE, "punctuation", start, start + 1, match.group(), ascii_mark, note)


def _after_foreign_word(text: str, start: int) -> bool:
    """Whether the word before ``start`` holds a letter of another script that no Latin
    letter imitates (``هذه``, ``я``): a word of another language, not a disguise."""
    word = _LAST_WORD.search(text, max(0, start - _CONTEXT), start)
    return word is not None and any(map(_foreign_letter, word.group()))


def _latin_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in LETTERLIKE


def _joins(before: str, after: str) -> bool:
    """A hyphen's place: between two words (``man˗db``), or a bullet at a line's start."""
    return (_latin_char(before) and _latin_char(after)) or (before == "\n" and after == " ")


def _ends_word(before: str, after: str) -> bool:
    """A mark's place: after a word and before a space, a closing mark, the end of the
    line, or (between digits) a digit."""
    between_digits = before.isdigit() and after.isdigit()
    closes = after.isspace() or after in _CLOSERS or between_digits
    return (_latin_char(before) or before in _CLOSERS) and closes


def _note(word: str) -> str:
    """What a word's look-alikes are (``Cyrillic е→e``), each once, in order (worked out
    with its chunk's readings, and remembered with them).

    >>> _note("раtiеnts")
    'Cyrillic а→a, Cyrillic е→e, Cyrillic р→p'
    """
    return _looks_note(LETTERLIKE.intersection(word))


def _looks_note(looks: frozenset[str]) -> str:
    """The note for a set of look-alikes, remembered if the set is of usual size."""
    return remember(_notes, looks, _FEW_LOOKS)


_FEW_LOOKS = 8  # look-alikes in a set whose note is remembered (a word's are one to four)


@lru_cache(maxsize=1 << 12)
def _notes(looks: frozenset[str]) -> str:
    """The note for a set of look-alikes, worked out once for each (a spun page uses a
    handful of them, in thousands of new words)."""
    return ", ".join(sorted(map(_char_note, looks)))


@cache  # one for each look-alike at most
def _char_note(char: str) -> str:
    return f"{_script(char).title()} {char}→{LOOKALIKES[char].readings[0]}"


_script = cache(script)
