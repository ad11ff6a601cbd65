"""English word frequencies (wordfreq's offline ``large`` list), loaded once per process.

>>> zipf("taking") > zipf("takin")
True
>>> zipf("violing")
0.0
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import _lru_cache_wrapper, cache, lru_cache
from itertools import islice, repeat
from operator import call, itemgetter
from typing import TypeVar

import regex
import wordfreq

from pipeline.chardata import INVISIBLE, LATIN_READING, translation


@cache
def _zipfs() -> dict[str, float]:
    """English words (wordfreq's offline ``large`` list) with their Zipf frequency, read
    off the list's buckets (bucket n holds the words of Zipf 9 - n/100, as wordfreq's
    ``zipf_frequency`` rounds them): a lookup needs no logarithm and no memo. wordfreq's
    cached lists are dropped once read (a million entries the garbage collector would
    walk in every full collection: 36 ms each, against 6 ms without them); a dict of
    words and numbers holds nothing it walks."""
    table: dict[str, float] = {}
    buckets = wordfreq.get_frequency_list("en", wordlist="large")
    for index, bucket in enumerate(buckets):
        table.update(dict.fromkeys(bucket, (_ZIPF_HUNDREDTHS - index) / 100))
    wordfreq.get_frequency_list.cache_clear()
    return table


T = TypeVar("T")
K = TypeVar("K", str, bytes)  # a memo's key: text, or a text's bytes
V = TypeVar("V")
LONGEST_REMEMBERED = 100
"""The longest word, chunk or line a memo of the cleaner keeps (by characters): the memos
are bounded in entries, and a key of any length would leave them unbounded in memory (a
record holding a megabyte-long token, again and again across a corpus)."""


def remember(
    memo: _lru_cache_wrapper[T], key: str | frozenset[str], longest: int = LONGEST_REMEMBERED
) -> T:
    """``memo(key)``, remembered if ``key`` is short enough to keep (``longest``
    characters, or members of a set); else worked out again, each time it is asked."""
    return memo(key) if len(key) <= longest else memo.__wrapped__(key)


def remember_each(memo: _lru_cache_wrapper[T], keys: Sequence[str]) -> Iterator[T]:
    """``remember(memo, key)`` for each of ``keys``, in order: called in C, with no frame
    of Python's each, when every key is short enough to keep (the usual case)."""
    if _all_kept(keys):
        return map(memo, keys)
    too_long = map(LONGEST_REMEMBERED.__lt__, map(len, keys))  # one long key costs the
    ways = map((memo, memo.__wrapped__).__getitem__, too_long)  # others nothing: still C
    return map(call, ways, keys)


class Bounded(dict[K, V]):
    """A dict the cleaner remembers answers in, bounded to ``maxsize`` entries by whoever
    fills it, and emptied by ``cache_clear``, as an ``lru_cache`` is (so what empties the
    memos between documents finds it: ``bench/run.py``'s ``forget_words``)."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def cache_parameters(self) -> dict[str, int]:
        return {"maxsize": self.maxsize}

    def cache_clear(self) -> None:
        self.clear()

    def keep_one(self, key: K, value: V) -> None:
        """Keep one answer, if its key is short enough (:data:`LONGEST_REMEMBERED`: a key
        of any length would leave the memo unbounded); emptied whole when full."""
        if len(key) <= LONGEST_REMEMBERED:
            if len(self) >= self.maxsize:
                self.clear()
            self[key] = value


class Memo(Bounded[str, T]):
    """A memo read and filled many keys at a time, in C (``map(memo.get, keys)``,
    ``memo.update(...)``), where an ``lru_cache`` is asked one key at a time. Bounded as
    an ``lru_cache`` is, in entries (emptied whole when a text's keys would not fit) and in
    the length of its keys (:data:`LONGEST_REMEMBERED`)."""

    def lookup(self, keys: Iterable[str]) -> dict[str, T | None]:
        """Each distinct key's answer, ``None`` for those the memo does not hold: the
        memo is read once for each, so a thread that empties it meanwhile costs another
        only answers worked out again."""
        distinct = dict.fromkeys(keys)
        return dict(zip(distinct, map(self.get, distinct), strict=True))

    def keep(self, found: dict[str, T]) -> None:
        """Keep what was ``found`` of keys short enough, if it fits."""
        if len(self) + len(found) > self.maxsize:
            self.clear()  # emptied whole when full (an lru_cache drops one at a time)
        if len(found) > self.maxsize:
            return  # a text of more distinct keys than the memo holds: kept by its caller
        if not _all_kept(found):
            found = {key: value for key, value in found.items() if len(key) <= LONGEST_REMEMBERED}
        self.update(found)


def _all_kept(keys: Iterable[str]) -> bool:
    """Whether every one of ``keys`` is short enough for a memo to keep."""
    return max(map(len, keys), default=0) <= LONGEST_REMEMBERED


def zipf(word: str) -> float:
    """The word's Zipf frequency in English (0 for unknown words), case-insensitive."""
    return _zipfs().get(word.lower(), 0.0)


_KNOWN = 1.0  # Zipf: a word at least this common is an English word


def is_english(word: str, threshold: float = _KNOWN) -> bool:
    """Whether ``word`` is in the English list at or above ``threshold`` (Zipf)."""
    return zipf(word) >= threshold


# A word: letters (and combining marks) joined by apostrophes. The standard library's
# ``re`` is several times faster here than ``regex``, and faster still taking a run of
# ASCII letters (a quick test), of other letters, or of marks, at a time, and never giving
# any back (possessive: a word is every letter of the run, so there is nothing to go back
# for).
_LETTERS = r"(?:[a-zA-Z]++|[^\W\d_]++|[\u0300-\u036f\u0483-\u0489]++)++"
WORD = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*+")
_ASCII_WORD = re.compile(r"[a-zA-Z]++(?:'[a-zA-Z]++)*+")  # WORD in ASCII text: twice as quick
_READ_AS_LATIN = translation(LATIN_READING)  # look-alikes read as the Latin they imitate
# Scripts written without spaces: a character there carries about a word of English.
NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_WORD_WEIGHT = 4

# Languages written in Latin letters that wordfreq knows: a line is English only if its
# words are likelier in English than in each of them ("die", "est", "niet", "met").
OTHER_LATIN_LANGUAGES = (
    "ca", "cs", "da", "de", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt", "lv",
    "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi",
)  # fmt: skip
_LANGUAGES = ("en", *OTHER_LATIN_LANGUAGES)
_MIN_EVIDENCE = 3  # known words a line needs for a verdict of its own
_VERDICT_WORDS = 24  # words of a line weighed: enough to tell the language
_REMEMBERED_LINE = 400  # characters of the longest line whose verdict is remembered
_PREFIX_CHARS_PER_WORD = 8  # characters of a text first read for each word wanted


def latin_words(text: str, sample: int = 300) -> list[str]:
    """The first ``sample`` words of ``text`` read in Latin letters, invisibles dropped.

    Only as much of the text is read as those words need: a growing prefix, whose words
    are the whole text's as long as they end two characters before its end (a word can go
    on with an apostrophe and a letter).

    >>> latin_words("Тhe ho\\u200bspital")
    ['The', 'hospital']
    """
    size = _PREFIX_CHARS_PER_WORD * sample
    if len(text) <= size:  # the usual line: read whole, its words as strings
        plain = _as_latin(text)
        return _words_in(plain).findall(plain)[:sample]
    while True:
        plain = _as_latin(text[:size])
        words = _words_in(plain).findall(plain)
        if len(words) > sample or size >= len(text):  # a word after the last one wanted:
            return words[:sample]  # that one ends two characters before the prefix does
        found = list(islice(_words_in(plain).finditer(plain), sample))
        if len(found) == sample and found[-1].end() <= len(plain) - 2:
            return words[:sample]
        size *= 4


def _words_in(plain: str) -> re.Pattern[str]:
    """The pattern of :data:`WORD` for ``plain``: a quicker one if it is ASCII."""
    return _ASCII_WORD if plain.isascii() else WORD


def _as_latin(text: str) -> str:
    """The text read in Latin letters, invisible characters dropped (ASCII, the usual
    text, holds neither; a line whose only other characters are invisible is ASCII once
    they are dropped)."""
    if text.isascii():
        return text
    visible: str = INVISIBLE.sub("", text)
    return visible if visible.isascii() else visible.translate(_READ_AS_LATIN)


def is_english_document(text: str, sample: int = 300) -> bool:
    """Whether at least half of the first ``sample`` words, read in Latin letters, are
    English ones (known to wordfreq, at least :data:`_KNOWN`; 0 words: no)."""
    half = _PREFIX_CHARS_PER_WORD * sample // 2  # of what latin_words reads first
    if len(text) > half:  # the usual page: the first half of that often says yes
        plain = _as_latin(text[:half])
        head = _words_in(plain).findall(plain)[:-1][:sample]  # (the last may go on)
        if 2 * _known_words(head) >= sample:  # half of the words weighed are known: yes
            return True
    words = latin_words(text, sample)
    return bool(words) and _known_words(words) >= len(words) / 2


def _known_words(words: Iterable[str]) -> int:
    """How many of ``words`` are English ones (:func:`zipf` at least :data:`_KNOWN`),
    counted in C."""
    return sum(map(_KNOWN.__le__, map(_zipfs().get, map(str.lower, words), repeat(0.0))))


def is_english_text(text: str) -> bool:
    """Whether a line (or paragraph) is English: its words, read in Latin letters, are
    likelier in English than in any other language written in Latin letters.

    Only inside English text does the cleaner touch spacing, invisible characters and
    punctuation: Czech, German, French or Chinese typography stays as it is.

    >>> is_english_text("Take 5 mg with food"), is_english_text("V této době se to stalo")
    (True, False)
    >>> is_english_text("Die Polizei sagte, dass der Mann nicht kam")
    False
    """
    verdict = english_verdict(text)
    return bool(verdict) if verdict is not None else _all_ascii_words(text)


def english_verdict(text: str) -> bool | None:
    """True or False when the words of ``text`` say whether it is English; ``None`` when
    too few of them are words any language knows (a short heading, a list of names)."""
    return remember(_line_verdict, text, _REMEMBERED_LINE)


@lru_cache(maxsize=1 << 11)
def _line_verdict(line: str) -> bool | None:
    """:func:`english_verdict`, remembered by the line's text for lines of usual length
    (:data:`_REMEMBERED_LINE`): a line met again (in a document cleaned again as an
    editor reviews it, or a heading many documents share) is not read again."""
    return _words_verdict(tuple(latin_words(line, _VERDICT_WORDS)))


def _words_verdict(latin: tuple[str, ...]) -> bool | None:
    """:func:`_verdict`, remembered unless a word is too long to keep."""
    if _all_kept(latin):
        return _verdict(latin)
    return _verdict.__wrapped__(latin)


@lru_cache(maxsize=1 << 11)
def _verdict(latin: tuple[str, ...]) -> bool | None:
    """:func:`english_verdict` from a line's first words in Latin letters, worked out once
    for each (later stages weigh the same line again, its disguises undone)."""
    words = list(filter(None, remember_each(_weigh, latin)))  # single letters weigh nothing
    if sum(map(_FOREIGN, words)) > sum(map(_ASCII_LETTERS, words)):
        return False  # mostly letters English does not use: Japanese, Russian, Czech...
    known = list(filter(None, map(_LIKELIHOODS, words)))  # the words some language knows
    if len(known) < _MIN_EVIDENCE:
        return None
    return _english_leads(sum(known))  # each language's likelihood, in its own field


def _english_leads(total: int) -> bool:
    """Whether the English field of packed likelihoods (:func:`_likelihoods`) is at least
    each other language's, compared all at once: English's value, copied into every
    other field with the field's top bit set, less the other values, keeps that bit
    exactly where English's is at least as high (a field's values stay under its top bit,
    so no field borrows from the next).

    >>> _english_leads(5 | 3 << _FIELD | 5 << 2 * _FIELD), _english_leads(5 | 6 << _FIELD)
    (True, False)
    """
    english = total & _FIELD_MASK
    return ((english * _EACH_OTHER | _TOP_BITS) - (total >> _FIELD)) & _TOP_BITS == _TOP_BITS


_Weighed = tuple[int, int, int | None]
"""What a word tells of a line's language: its letters if it is ASCII (else 0), its
weight as letters English does not use if it is not (its length, four times over in a
script written without spaces; else 0), and its Zipf frequency in each of
:data:`_LANGUAGES` (0 where a language lacks it), packed as :func:`_likelihoods` packs
them, or ``None`` if no language knows it. A plain tuple, as the memos keep (see
:data:`pipeline.normalise.readings.Reading`)."""

_ASCII_LETTERS, _FOREIGN, _LIKELIHOODS = map(itemgetter, range(3))  # a _Weighed's, in C


@lru_cache(maxsize=1 << 15)
def _weigh(word: str) -> _Weighed | None:
    """A word as :func:`english_verdict` weighs it, worked out once; ``None`` for a single
    letter ("a" is in every language)."""
    folded = word.lower()
    if not folded.isascii():  # the usual word is: no apostrophe to fold, no letter to compose
        folded = unicodedata.normalize("NFC", folded).replace("’", "'")
    if len(folded) <= 1:
        return None
    if folded.isascii():
        return (len(folded), 0, _likelihoods().get(folded))
    weight = len(folded) * (_WORD_WEIGHT if NO_SPACES.match(folded) else 1)
    return (0, weight, _likelihoods().get(folded))


_ASCII_SAMPLE = 60  # words of a text too short for a verdict that say if it is all ASCII


def _all_ascii_words(text: str) -> bool:
    words = [w for w in latin_words(text, _ASCII_SAMPLE) if len(w) > 1]
    return bool(words) and all(w.isascii() for w in words)


@cache
def _likelihoods() -> dict[str, int]:
    """The commoner words of each of :data:`_LANGUAGES` (wordfreq's ``small`` lists), each
    with its Zipf frequency in hundredths in every language, packed in one number, a field
    of :data:`_FIELD` bits a language, English first (0 where a language lacks the word).

    One table answers for all the languages at once: a line is weighed with one lookup a
    word, not one a language, and the fields of a line's words add up in one sum (no field
    can overflow: a line weighs at most :data:`_VERDICT_WORDS` words of Zipf 9 at most).
    The hundredths are exact: wordfreq keeps frequencies in steps of a hundredth (its
    buckets), so ties are ties.
    """
    table: dict[str, int] = {}
    for place, language in enumerate(_LANGUAGES):
        buckets = wordfreq.get_frequency_list(language, wordlist="small")
        for index, bucket in enumerate(buckets):  # bucket n: Zipf 9 - n/100
            value = (_ZIPF_HUNDREDTHS - index) << (place * _FIELD)
            for word in bucket:  # most words are in one list: they share one number
                known = table.get(word)
                table[word] = value if known is None else known + value
    wordfreq.get_frequency_list.cache_clear()  # the lists, now in the table
    return table


_FIELD = 16
_FIELD_MASK = (1 << _FIELD) - 1
_EACH_OTHER = sum(1 << place * _FIELD for place in range(len(_LANGUAGES) - 1))  # 1 a field
_TOP_BITS = _EACH_OTHER << _FIELD - 1
_ZIPF_HUNDREDTHS = 900  # Zipf 9 in hundredths: wordfreq's bucket 0


class EnglishLines:
    """Whether the line holding an offset of ``text`` is English, worked out once a line;
    a line whose words are too few to tell (a heading, a name) goes with the document.

    >>> english = EnglishLines("Take it with food, and rest.\\nV této době se to stalo.")
    >>> english(3), english(32)
    (True, False)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.known: dict[int, bool] = {}
        self.document: bool | None = None
        self.last = (0, -1, False)  # the line asked about last: its start, end and verdict

    def __call__(self, index: int) -> bool:
        start, end, verdict = self.last
        if start <= index < end:  # the usual case: offsets come in order, line by line
            return verdict
        line = bisect_right(self.starts, index) - 1
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        if line not in self.known:
            found = english_verdict(self.text[start:end])
            self.known[line] = self._document() if found is None else found
        self.last = (start, end, self.known[line])
        return self.known[line]

    def _document(self) -> bool:
        if self.document is None:
            # the first words are all is_english_text reads: those, not the first 300
            words = latin_words(self.text, max(_VERDICT_WORDS, _ASCII_SAMPLE))
            self.document = is_english_text(" ".join(words))
        return self.document
