"""The shortcuts cleaning takes for speed find exactly what the plain way finds: words read
in Latin letters, the characters outside ASCII, the chunks that hold them, ASCII swaps
read once a word, lone invisibles and odd spaces, a line's verdict, the spinner's ``an’``
and ``-in’``, the `` and`` that may stand for a comma. And the word lists keep nothing the
garbage collector walks."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterable
from functools import lru_cache

import pytest
import regex
import wordfreq
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.chardata import LATIN_READING, LOOKALIKES, non_ascii, script
from pipeline.model import START, Change
from pipeline.normalise import clean, homoglyphs
from pipeline.normalise.ascii_swaps import (
    _DIGIT_BEFORE,
    _DIGIT_FOR,
    _WORD,
    _in_formula,
    _in_number,
    _in_word,
    _number_changes,
    _repair,
    propose,
)
from pipeline.normalise.commas import _AND, _IN_CLAUSE, _PAIRED, _paired
from pipeline.normalise.contractions import _AN, _IN
from pipeline.normalise.homoglyphs import (
    _NON_ASCII_CHUNK,
    _PLAIN_LOOKS,
    _foreign_letter,
    _greek_habit,
    _habit_shown,
    _read_chunk,
    _real_foreign_letters,
    _words_of,
)
from pipeline.normalise.readings import _FIRST_READING, TOKEN, reading
from pipeline.normalise.unicode import _ODD, _Context, _run_changes, _Runs, _runs, _space_unit
from pipeline.normalise.words import (
    _ASCII_WORD,
    _FIELD,
    _LANGUAGES,
    _READ_AS_LATIN,
    _VERDICT_WORDS,
    _ZIPF_HUNDREDTHS,
    LONGEST_REMEMBERED,
    WORD,
    EnglishLines,
    Memo,
    _english_leads,
    _likelihoods,
    english_verdict,
    is_english_document,
    is_english_text,
    latin_words,
    remember_each,
    zipf,
)

# The word pattern as first written: letters and marks, backtracking as re does by default.
_LETTERS = r"(?:[^\W\d_]+|[\u0300-\u036f\u0483-\u0489]+)+"
_PLAIN_WORD = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*")

_WORDY = st.text(
    alphabet=st.sampled_from(list("ab é'’_1 -\n") + ["\u0301", "\u0483", "\u0435", "ß", "ℓ"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_WORDY | st.text(max_size=40))
def test_words_are_read_as_by_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in _PLAIN_WORD.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abZ'`_1 -\n.")), max_size=40))
def test_ascii_text_has_the_words_of_the_word_pattern(text: str) -> None:
    """In ASCII text (the usual line, read in Latin letters) the quicker pattern finds the
    words :data:`WORD` finds."""
    assert _ASCII_WORD.findall(text) == WORD.findall(text)


@settings(max_examples=300, deadline=None)
@given(_WORDY | st.text(max_size=40))
def test_reading_in_latin_letters_is_the_lookalike_table(text: str) -> None:
    assert text.translate(_READ_AS_LATIN) == text.translate(LATIN_READING)


_SWAPPY = st.text(
    alphabet=st.sampled_from(list("he1p0O9lI5|`'’., \n\t_-") + ["\u00a0", "é", "٣", "е"])
)


@settings(max_examples=300, deadline=None)
@given(_SWAPPY | st.sampled_from(["he1p c0mmon", "1O mg", "7.l", "O.70", "l996 he|p", "٣O"]))
def test_swaps_read_once_a_word_are_those_read_where_each_word_stands(text: str) -> None:
    """Each distinct word read once, the swaps are those found reading every word where
    it stands (and every number), in order and apart."""
    words = []
    for match in _WORD.finditer(text):
        swap = _repair(match.group())
        if swap is not None:
            after = match.group().replace(*swap)
            note = f"ASCII {swap[0]}→{swap[1]}"
            words.append(Change("x", "ascii", *match.span(), match.group(), after, note))
    apart, taken = [], -1
    for change in sorted([*words, *_number_changes(text, "x")], key=START):
        if change.start >= taken:
            apart.append(change)
            taken = change.end
    assert list(propose(text, "x")) == apart


_NUMBERY = st.text(
    alphabet=st.sampled_from(list("Ool015., a\n") + ["е", "٣", "\u00a0"]), max_size=30
)


@settings(max_examples=500, deadline=None)
@given(
    _NUMBERY
    | st.sampled_from(
        ["1O mg", "7.l", "O.70", "l996", "97O0", "2l", "O2", "l10n", "hеllо", "H2O", "2O₃"]
    )
)
def test_numbers_found_with_their_digit_are_every_run_checked_for_one(text: str) -> None:
    """Asking for the digit beside a run of O, o or l in the pattern finds the changes
    that checking every such run for one finds."""
    every_run = re.compile(r"[Ool](?<![A-Za-z].)[Ool]*(?![A-Za-z])")
    expected = []
    for match in every_run.finditer(text):
        start, end = match.span()
        digits_before = text[max(0, start - 2) : start]
        if not _in_number(match.group(), digits_before, text[end : end + 2]):
            continue
        if _in_formula(text, start, end):
            continue
        if _DIGIT_BEFORE.search(digits_before) is None and _in_word(text, start, end):
            continue
        after = "".join(_DIGIT_FOR[c] for c in match.group())
        expected.append((start, end, match.group(), after))
    found = [(c.start, c.end, c.before, c.after) for c in _number_changes(text, "x")]
    assert found == expected


_LOOKY = st.text(alphabet=st.sampled_from(sorted(LOOKALIKES)[:400] + list("aZ1 é")), max_size=20)


@settings(max_examples=300, deadline=None)
@given(_WORDY | _LOOKY | st.text(max_size=40))
def test_a_words_first_reading_is_each_lookalikes_first_reading(text: str) -> None:
    """The first-reading table also maps Latin text to itself: the same result, faster."""
    first = {ord(c): found.readings[0] for c, found in LOOKALIKES.items() if found.kind != "punct"}
    assert text.translate(_FIRST_READING) == text.translate(first)


@settings(max_examples=300, deadline=None)
@given(_WORDY | st.text(max_size=40) | st.text(alphabet="a\x7f\x80\ud800\udfff\U0001d41a"))
def test_the_characters_outside_ascii_are_those_of_the_text(text: str) -> None:
    assert non_ascii(text) == "".join(c for c in text if not c.isascii())


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab, \n\t\x00\x1f\x7f") + ["é", "\u00a0", "е", "\U0001d41a"])
    )
)
def test_the_chunks_holding_characters_outside_ascii(text: str) -> None:
    plain = re.compile(r"(?<!\S)\S*[^\s\x00-\x7f]\S*")
    assert [m.span() for m in _NON_ASCII_CHUNK.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


_CONTRACTED = st.text(alphabet=st.sampled_from([*"anANiI nx’'‘`_1,;/or\t\n.", "é"]))


@settings(max_examples=300, deadline=None)
@given(_CONTRACTED | st.sampled_from(["an’ so", "takin’ an' rock", "An’, AN’/or", "xan’ in’"]))
def test_contracted_forms_are_found_where_the_letters_first_patterns_find_them(text: str) -> None:
    """Found from the mark and looking back, ``an’`` and ``-in’`` start two characters
    before it, where the patterns that start with the letters find them."""
    apostrophes = "’'‘`´ʼ′"
    an = re.compile(
        rf"(an|An|AN)(?<![\w{apostrophes}]..)[{apostrophes}](?=[ \t]+[^\s,.;:!?]|[,;]\s|/or\b)"
    )
    in_ = re.compile(rf"(in|IN)(?<=[^\W\d_]..)[{apostrophes}](?!\w)")
    for fast, plain in ((_AN, an), (_IN, in_)):
        assert [(m.start() - 2, m.end()) for m in fast.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"x,1.\n\r\x0b\x1c\x85\u2028’ ", " and "])).map("".join))
def test_and_is_found_in_the_whole_text_as_in_each_line(text: str) -> None:
    by_line, offset = [], 0
    for line in text.splitlines(keepends=True):
        by_line += [offset + m.start() for m in _AND.finditer(line)]
        offset += len(line)
    assert [m.start() for m in _AND.finditer(text)] == by_line


def test_the_word_lists_keep_no_list_of_wordfreqs() -> None:
    """Only dicts of words and numbers are kept: wordfreq's own lists of words (a million
    entries) would be walked by the garbage collector in every full collection."""
    assert zipf("the") > 7 and is_english_text("Take 5 mg with food, and rest.")
    assert wordfreq.get_frequency_list.cache_info().currsize == 0


def test_the_zipf_table_is_wordfreqs_zipf_frequency_of_every_word() -> None:
    """Read off the buckets, every word's Zipf frequency is the one wordfreq gives from
    its frequency (a rounded logarithm), for all 321,180 words of the list."""
    frequencies = wordfreq.get_frequency_dict("en", wordlist="large")
    wordfreq.get_frequency_list.cache_clear()
    expected = {word: round(math.log10(f) + 9, 2) for word, f in frequencies.items()}
    assert {word: zipf(word) for word in frequencies} == expected
    assert zipf("Qwxzvq") == 0.0 and zipf("THE") == zipf("the")


@pytest.mark.parametrize(
    "word",
    ["the", "und", "est", "niet", "die", "że", "của", "naïve", "ang", "qwxzv"],
)
def test_a_words_packed_likelihoods_are_its_frequency_in_each_language(word: str) -> None:
    """One number holds a word's Zipf frequency in every language weighed (in hundredths):
    unpacked, each field is wordfreq's own frequency in that language, 0 where it lacks it
    (``qwxzv``: no language knows it, so nothing is packed)."""
    packed = _likelihoods().get(word)
    expected = [
        round(wordfreq.zipf_frequency(word, language, wordlist="small") * 100)
        for language in _LANGUAGES
    ]
    if not any(expected):
        assert packed is None
        return
    assert packed is not None
    fields = [packed >> (place * _FIELD) & ((1 << _FIELD) - 1) for place in range(len(expected))]
    assert fields == expected


_DOCUMENT_WORDS = [
    "the",
    "cell",
    "zzqx",
    "blorv",
    "Москва",
    "héllo",
    "a",
    "don’t",
    "Тhe",
    "ho\u200bspital",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_DOCUMENT_WORDS), max_size=12)
    | st.lists(st.sampled_from(_DOCUMENT_WORDS), min_size=150, max_size=500)
)
def test_a_document_is_english_as_by_the_share_of_its_known_words(words: list[str]) -> None:
    """Half the first words known, or more: counted in C, the answer of every word looked
    up with zipf(); on a long page, whether or not the first half of what is read already
    says so (a word cut where that half ends is not counted)."""
    text = " ".join(words)
    latin = latin_words(text, 300)
    share = sum(zipf(w) >= 1.0 for w in latin) / len(latin) if latin else 0.0
    assert is_english_document(text) is (bool(latin) and share >= 0.5)


@pytest.mark.parametrize(
    "text",
    [
        "Intro\n" + "Die Polizei sagte, dass der Mann nicht kam. " * 9,
        "A\nb",
        "Dr\u200bug\n" + "Zqx Vrb Kwt " * 10 + "Москва",  # a word past the 24th says no
    ],
)
def test_a_short_line_takes_the_verdict_of_the_documents_first_words(text: str) -> None:
    """The verdict a line too short for its own takes from the document: the verdict of
    the document's first 300 words, as first written, from the first few it reads."""
    assert EnglishLines(text)(0) is is_english_text(" ".join(latin_words(text, 300)))


def test_a_line_of_the_commonest_words_cannot_overflow_a_field() -> None:
    """A verdict adds up to :data:`_VERDICT_WORDS` words' fields: the commonest word
    possible in every language, so many times, still fits its field below the field's
    top bit (which comparing all fields at once needs free)."""
    assert _VERDICT_WORDS * _ZIPF_HUNDREDTHS < 1 << (_FIELD - 1)


_A_FIELD = st.integers(0, _VERDICT_WORDS * _ZIPF_HUNDREDTHS)


@settings(max_examples=500, deadline=None)
@given(st.lists(_A_FIELD, min_size=len(_LANGUAGES), max_size=len(_LANGUAGES)), st.data())
def test_english_leads_as_field_by_field(fields: list[int], data: st.DataObject) -> None:
    """Compared all at once, English leads exactly where it is at least each other
    language's value, one field at a time (ties too, drawn on purpose)."""
    if data.draw(st.booleans()):
        fields[data.draw(st.integers(1, len(fields) - 1))] = fields[0]
    total = sum(value << (place * _FIELD) for place, value in enumerate(fields))
    assert _english_leads(total) is all(fields[0] >= other for other in fields[1:])


def _fields(line: str) -> dict[str, int]:
    """Each language's likelihood of a line's words, in hundredths, as the verdict sums it."""
    total = sum(filter(None, (_likelihoods().get(w.lower()) for w in line.split())))
    return {
        language: total >> (place * _FIELD) & 0xFFFF for place, language in enumerate(_LANGUAGES)
    }


@pytest.mark.parametrize(
    ("line", "english"),
    [
        ("nih telegraph vol", True),  # English and Indonesian tie, to the hundredth
        ("Take 5 mg with food", True),
        ("saya tidak tahu apa yang terjadi", False),
    ],
)
def test_a_line_is_english_when_no_language_explains_it_better(line: str, english: bool) -> None:
    """English wins ties: the sums are exact hundredths, so a tie is a tie (sums of floats
    decided one by a rounding error, each way by the order of the words)."""
    fields = _fields(line)
    best_other = max(value for language, value in fields.items() if language != "en")
    assert (fields["en"] >= best_other) is english
    assert english_verdict(line) is english
    assert english_verdict(" ".join(reversed(line.split()))) is english


def test_no_word_list_repeats_a_word() -> None:
    """A word's frequencies are packed one field a language: a word listed twice in one
    language would add into its field twice, and could spill into the next language's."""
    for language in _LANGUAGES:
        buckets = wordfreq.get_frequency_list(language, wordlist="small")
        words = [word for bucket in buckets for word in bucket]
        assert len(words) == len(set(words)), language
    wordfreq.get_frequency_list.cache_clear()


# The patterns the cleaner's shortcuts stand for, as first written.
_OLD_RUN = regex.compile(rf"\x20*[{_ODD}--\x20][{_ODD}]*", regex.V1)
_RUNNY = st.text(
    alphabet=st.sampled_from(
        list("ab ,\n") + ["\u200b", "\u00a0", "\u2009", "\u3000", "\u034f", "\U000e0041", "é"]
    ),
    max_size=30,
)


def _spans(runs: _Runs) -> list[tuple[int, int]]:
    return sorted([(start, start + 1) for start in runs.lone] + [m.span() for m in runs.others])


@settings(max_examples=300, deadline=None)
@given(_RUNNY | st.text(max_size=30))
def test_runs_are_found_as_by_the_pattern_of_unicode_properties(text: str) -> None:
    assert _spans(_runs(text)) == [m.span() for m in _OLD_RUN.finditer(text)]


def test_of_two_patterns_as_common_the_unit_is_the_one_met_first() -> None:
    """The first pattern met stands before a comma (not between letters), the other is a
    lone one: the first is the unit, so the Czech line keeps its thin spaces (found by a
    review: every other row met the lone pattern first)."""
    text = (
        "The patient\u2003, should\u2003, rest\u2003, now.\n"
        "V této době se to stalo, když j\u2009sem b\u2009yl d\u2009oma."
    )
    assert _space_unit(text, _runs(text)) == "\u2003"
    assert "j\u2009sem b\u2009yl d\u2009oma" in clean(text).text


@pytest.mark.parametrize(
    ("runs", "unit"),
    [
        (["\u2003"] * 3 + ["\u2009"] * 3, "\u2003"),  # two as common: the one met first
        (["\u2009"] * 3 + ["\u2003"] * 3, "\u2009"),
        (["\u2009"] * 4 + ["\u2003"] * 2, "\u2009"),
        (["\u2009"] * 2, ""),  # too few to show a pattern
        (["\u2000" * n for n in range(1, 400)], ""),  # hundreds of patterns, each once
    ],
)
def test_the_spinners_unit_is_found_asking_two_patterns_at_most(
    runs: list[str], unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which of two patterns as common came first is asked of those two at most, never of
    every pattern once (hundreds of distinct runs made that quadratic)."""
    from pipeline.normalise import unicode

    asked = []
    first_run = unicode._first_run

    def counted(text: str, found: _Runs, pattern: str) -> int:
        asked.append(pattern)
        return first_run(text, found, pattern)

    monkeypatch.setattr(unicode, "_first_run", counted)
    text = "".join(f"a{run}b " for run in runs)
    assert unicode._space_unit(text, _runs(text)) == unit
    assert len(asked) <= 2


_LONE_PIECES = list("ab ,.\n") + ["the ", "with ", "die ", "\u200b", "\u202e", "\u034f", "é"]
_LONE_PIECES += ["𝚕", "\u00a0", "\u2009", "\u200a", "\u2003", "\U000e0041", "\ufe0f"]
_LONE_TEXT = st.lists(st.sampled_from(_LONE_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_LONE_TEXT, st.booleans(), st.sampled_from(["", "\u2009", "\u00a0", "\u2009\u200a"]))
@example("V té\u202edobě a\u202eb", False, "")  # a forced order, in a line not English
@example("V té době a\u2009b", False, "\u2009")  # the spinner's unit, in a line not English
@example("V té době a\u200bb", True, "")  # an invisible, in a damaged document
def test_lone_characters_are_decided_as_every_run_is(text: str, damaged: bool, unit: str) -> None:
    """A lone character between two ASCII letters gets the change the whole of
    ``_fix_run`` gives it, in an English line or not, a damaged document or not, with
    the spinner's unit or without."""
    runs = _runs(text)
    context = _Context(text, EnglishLines(text), damaged, unit, frozenset("𝚕"))
    every_run = _Runs([], list(_OLD_RUN.finditer(text)))
    quick = sorted(_run_changes(text, context, runs), key=START)
    assert quick == sorted(_run_changes(text, context, every_run), key=START)


@settings(max_examples=300, deadline=None)
@given(
    _WORDY
    | _LOOKY
    | st.text(alphabet=st.sampled_from(list("ab’'-., )\"") + ["е", "\u0301", "𝐚"]), max_size=12)
)
def test_a_chunks_words_are_the_word_patterns(chunk: str) -> None:
    """One-word chunks are found without the pattern: the same words, in the same places."""
    expected = [(*m.span(), m.group()) for m in TOKEN.finditer(chunk)]
    assert _words_of(chunk) == expected


_CHUNKY = st.text(
    alphabet=st.sampled_from(
        list("aZlI.,)(`\"'’-1")
        + ["\u0430", "\u0435", "\u0456", "\u0406", "\u03bf", "\u039f", "\u03c5", "\u03bd"]
        + ["\U0001d41a", "\uff45", "\u0301", "\u044f", "\u0251", "\u0441"]
    ),
    min_size=1,
    max_size=12,
)


def _chunk_readings(chunk: str) -> tuple[tuple[int, int, str, str, str, str, str], ...]:
    """The readings of one chunk, as :func:`homoglyphs._readings_of` reads a new one."""
    return homoglyphs._read_new([chunk])[0]


def _read_the_long_way(chunk: str) -> tuple[tuple[int, int, str, str, str, str, str], ...]:
    """:func:`_read_chunk` with every word read by reading() and its questions: no
    shortcut for plain spun words."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(homoglyphs, "_PLAIN_DISGUISE", re.compile(r"(?!)"))
        return _read_chunk(chunk)


@settings(max_examples=1000, deadline=None)
@given(
    _CHUNKY
    | st.sampled_from(
        ["раtiеnts,", "сеll", "Ιn", "ΟK.", "Іt", "ԁ", "𝐚b", "(sυgar)", "`cοde`", "ԁеntist’s"]
    )
    | st.sampled_from(["һеаrt’ѕ,", "voltagе-gаteԁ", "ρatiеntѕ’", "dосѕ/INSTΑLL.ԛuісk", "ΝF-κΒ"])
)
def test_the_usual_spun_word_is_read_as_every_word_is(chunk: str) -> None:
    """A chunk of ASCII letters and look-alikes read one way (``раtiеnts,``, ``һеаrt’ѕ``),
    alone or joined to others (``voltagе-gаteԁ``), gets the readings reading() and its
    questions give every word."""
    expected = _read_the_long_way(chunk)
    assert _chunk_readings(chunk) == expected
    assert _read_chunk(chunk) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_CHUNKY | st.sampled_from(["раtiеnts,", "(сеll)", "ΝF-κΒ", "һеаrt’ѕ,"]), max_size=12)
)
def test_chunks_read_together_are_read_as_each_alone(chunks: list[str]) -> None:
    """New chunks are read all at once (plain spun words by one pass over them all):
    each gets what reading it alone, the long way, gives, however they are mixed and
    repeated, the memo empty, full of them, or too small to hold them."""
    expected = [_read_the_long_way(chunk) for chunk in chunks]
    assert homoglyphs._read_new(chunks) == expected
    for size in (1 << 14, 2):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(homoglyphs, "_CHUNKS", Memo(maxsize=size))
            assert list(homoglyphs._readings_of(chunks)) == expected  # new
            assert list(homoglyphs._readings_of(chunks)) == expected  # remembered, or not
            assert len(homoglyphs._CHUNKS) <= size


class _EmptiedMeanwhile(Memo[tuple[homoglyphs._Read, ...]]):
    """A memo another thread empties just after it is read."""

    def lookup(self, keys: Iterable[str]) -> dict[str, tuple[homoglyphs._Read, ...] | None]:
        found = super().lookup(keys)
        self.clear()
        return found


def test_chunks_are_read_right_when_another_thread_empties_the_memo() -> None:
    """The memo is read once for a text: emptied by another thread meanwhile (a text of
    more distinct words than it holds), the text's chunks still get their readings."""
    chunks = ["раtiеnts,", "(сеll)", "ΝF-κΒ", "раtiеnts,"]
    expected = [_read_the_long_way(chunk) for chunk in chunks]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(homoglyphs, "_CHUNKS", _EmptiedMeanwhile(maxsize=1 << 14))
        assert list(homoglyphs._readings_of(chunks)) == expected  # new
        homoglyphs._CHUNKS.keep(dict(zip(chunks, expected, strict=True)))
        assert list(homoglyphs._readings_of(chunks)) == expected  # held, then emptied


@pytest.mark.parametrize(
    ("held", "keys", "after"),
    [
        ({}, ["a", "b", "a"], {"a", "b"}),  # each once
        ({"a": 1}, ["a", "b"], {"a", "b"}),  # what it holds is answered
        ({"a": 1}, ["a"], {"a"}),
        ({"a": 1, "b": 1, "c": 1}, ["c", "d"], {"a", "b", "c", "d"}),  # fits
        ({"a": 1, "b": 1, "c": 1, "d": 1}, ["d", "e"], {"e"}),  # full: emptied first
        ({}, ["a", "b", "c", "d", "e"], set()),  # more than it holds: none kept
        ({}, ["x" * (LONGEST_REMEMBERED + 1), "b"], {"b"}),  # too long to keep
    ],
)
def test_a_memo_filled_many_keys_at_a_time_stays_bounded(
    held: dict[str, int], keys: list[str], after: set[str]
) -> None:
    """A memo of four entries: each distinct key's answer, None if it holds none; new
    answers kept if they fit and their keys are short enough, the memo emptied first if
    they would not fit, and never more than it holds."""
    memo: Memo[int] = Memo(maxsize=4)
    memo.update(held)
    found = memo.lookup(keys)
    assert found == {key: held.get(key) for key in keys}
    memo.keep({key: 1 for key, value in found.items() if value is None})
    assert set(memo) == after
    assert len(memo) <= 4
    assert memo.cache_parameters() == {"maxsize": 4}
    memo.cache_clear()
    assert memo == {}


@pytest.mark.parametrize(
    ("chunk", "plain"),
    [
        ("раtiеnts,", True),
        ("ԁеntist’s", True),
        ("don’t", False),  # ASCII: nothing to read
        ("ѕυсһ", False),  # no ASCII letter: reading() decides between scripts
        ("ρatiеntѕ’", False),  # a closing quote ends it: the chunk is read word by word
        ("ΝF-κΒ", False),
    ],
)
def test_the_plain_spun_word_is_what_the_shortcut_takes(chunk: str, plain: bool) -> None:
    word = chunk.strip(string.punctuation)
    assert bool(homoglyphs._PLAIN_DISGUISE.fullmatch(word)) is plain


@pytest.mark.parametrize("look", list(_PLAIN_LOOKS))
def test_every_plain_look_alike_is_read_as_the_long_way_reads_it(look: str) -> None:
    """Each of the shortcut's look-alikes, in each shape of word it takes, gets what the
    long way gives, and the note says each look-alike once, in order, as Unicode names
    its script and its first reading."""
    for chunk in (f"a{look}b", f"({look}z,", f"{look}{look}", f"`A{look}`", f"a{look}’s"):
        assert _chunk_readings(chunk) == _read_the_long_way(chunk), chunk
    note = f"{script(look).title()} {look}→{LOOKALIKES[look].readings[0]}"
    assert _chunk_readings(f"a{look}b")[0][-1] == note


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["οn", "wοrk", "сοld", "ναlue", "сαrе", "tеst", "αcid", "ο"]), max_size=8
    )
)
def test_the_greek_habit_is_every_greek_letter_certain_words_show(words: list[str]) -> None:
    """Read only until each Greek look-alike present is found: the same habit as every
    word's, all read."""
    changes = [Change("homoglyphs", "r", 0, 1, word, reading(word)[1]) for word in words]
    looks = "".join(c for word in words for c in word if not c.isascii())
    everything = frozenset("".join(_habit_shown(c.before, c.after) for c in changes))
    assert _greek_habit(changes, looks) == everything


@pytest.mark.parametrize(
    ("text", "sample", "expected"),
    [
        ("Тhe ho\u200bspital", 300, ["The", "hospital"]),  # shorter than the first prefix
        ("1234567890 " * 400 + "Тhe end", 300, ["The", "end"]),  # longer, and too few words
        ("word " * 1000, 3, ["word", "word", "word"]),  # longer, and more than enough
        ("x" * 5000, 2, ["x" * 5000]),  # one word longer than every prefix
        # the first prefix (8 characters a word) holds just enough words, the last cut off
        ("aaaaaaa bbbbbbb cccccccc" + "cc more" * 10, 3, ["aaaaaaa", "bbbbbbb", "c" * 10]),
        ("aaaaaaa bbbbbbb cccccc  " + "dd" * 10, 3, ["aaaaaaa", "bbbbbbb", "cccccc"]),
        ("aaaaaaa bbbbbbb ccccccc’" + "s more" * 10, 3, ["aaaaaaa", "bbbbbbb", "ccccccc’s"]),
        ("", 5, []),
    ],
)
def test_latin_words_reads_as_far_as_its_words_need(
    text: str, sample: int, expected: list[str]
) -> None:
    assert latin_words(text, sample) == expected


_TAGS = "".join(map(chr, range(0xE0000, 0xE1000)))  # outside the Basic Multilingual Plane


@pytest.mark.parametrize(
    "text",
    ["a " + _TAGS + " b\nc\u200bd", "".join(chr(0x2000 + i) + "x" for i in range(40)), "a\u00a0b"],
)
def test_runs_of_many_odd_characters_are_found_as_by_the_pattern_of_properties(text: str) -> None:
    """Past a few odd characters (or outside the Basic Multilingual Plane), the runs are
    found with Unicode's properties: the same runs, in time that grows with the text."""
    assert _spans(_runs(text)) == [m.span() for m in _OLD_RUN.finditer(text)]


@pytest.mark.parametrize(
    "text",
    ["Я люблю Vim'а", "".join(map(chr, range(0x0410, 0x0450))) + " and 𐐀 𝔄", "plain"],
)
def test_letters_of_another_script_are_found_wherever_they_stand(text: str) -> None:
    looks = non_ascii(text)
    expected = [i for i, c in enumerate(text) if c in set(looks) and _foreign_letter(c)]
    assert _real_foreign_letters(text, looks) == expected


# The word pattern of ASCII swaps as first written (it took back one character at a time).
_OLD_SWAP_WORD = re.compile(
    r"(?<![\w|'’`])(?=[A-Za-z0-9|`]*?[1\|Il095`])[A-Za-z0-9|`]*[A-Za-z|][A-Za-z0-9|`]*(?![\w|`])"
)


@settings(max_examples=500, deadline=None)
@given(_SWAPPY | st.text(alphabet=st.sampled_from(list("al1I|0O9S5`'’ _-.,xA") + ["é", "е"])))
def test_swap_words_are_found_as_by_the_pattern_first_written(text: str) -> None:
    assert [m.span() for m in _WORD.finditer(text)] == [
        m.span() for m in _OLD_SWAP_WORD.finditer(text)
    ]


@pytest.mark.parametrize(
    "keys",
    [[], ["a", "bb"], ["a", "x" * (LONGEST_REMEMBERED + 1), "bb"], ["y" * 500], ["a", "a"]],
)
def test_remember_each_keeps_only_the_keys_short_enough(keys: list[str]) -> None:
    """Each key's answer, in order; the memo keeps the short keys, never a long one."""
    memo = lru_cache(maxsize=16)(len)
    assert list(remember_each(memo, keys)) == list(map(len, keys))
    short = {k for k in keys if len(k) <= LONGEST_REMEMBERED}
    assert memo.cache_info().currsize == len(short)


def test_a_note_of_very_many_look_alikes_is_not_kept() -> None:
    """A word holding more look-alikes than the memo of notes keeps gets its note, and the
    memo keeps none so large (a set of a hundred, noted in 1,500 characters, took 19 KB
    an entry: a hostile corpus filled it with 77 MB)."""
    looks = sorted(c for c in LOOKALIKES if LOOKALIKES[c].kind == "letter")
    word = "a" + "".join(looks[: homoglyphs._FEW_LOOKS + 1])
    homoglyphs._notes.cache_clear()
    assert homoglyphs._note(word).count("→") == homoglyphs._FEW_LOOKS + 1
    assert homoglyphs._note("a" + looks[0]).count("→") == 1
    assert homoglyphs._notes.cache_info().currsize == 1


def test_the_memos_keep_no_word_or_chunk_too_long_to_keep() -> None:
    """A text of tokens hundreds of characters long (each with a look-alike, a digit and
    an ASCII swap) is cleaned without a trace in the memos of words, chunks and lines."""
    from pipeline.normalise import ascii_swaps, words

    memos = [
        homoglyphs._habit_shown,
        reading,
        ascii_swaps._repair,
        words._weigh,
        words._verdict,
    ]
    long = "c\u0435" + "l1" * LONGEST_REMEMBERED
    text = " ".join([long, long.upper(), "\u03bf" + long, "he1p" * LONGEST_REMEMBERED] * 3)
    for memo in memos:
        memo.cache_clear()
    homoglyphs._CHUNKS.cache_clear()
    clean(text)
    assert {memo.__wrapped__.__name__: memo.cache_info().currsize for memo in memos} == {
        memo.__wrapped__.__name__: 0 for memo in memos
    }
    assert homoglyphs._CHUNKS == {}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 .,;\n", max_size=24))
def test_a_clause_after_between_is_read_one_way(text: str) -> None:
    """Each character of a clause after "between" is one of the clause's kinds of
    character, never two: a look-behind that could read a full stop two ways (``a.b.``
    thirty times over) took minutes to fail on one line."""
    kinds = [regex.compile(kind) for kind in _IN_CLAUSE]
    for index in range(len(text)):
        assert sum(kind.match(text, index) is not None for kind in kinds) <= 1


@pytest.mark.parametrize(
    ("text", "paired"),
    [
        ("between 5 and", True),
        ("between 2.5 and", True),
        ("between 1,000 and", True),
        ("between 9 a.m. and", True),
        ("between 5 and 10 and", False),  # the second and: after the pair
        ("between doses. Then rest and", False),
        ("between " + "a.b." * 30 + " and", False),  # past 80 characters: no pair
    ],
)
def test_the_and_after_between(text: str, paired: bool) -> None:
    assert (_PAIRED.match(text, text.rindex(" and")) is not None) is paired
    assert _paired(text, text.rindex(" and")) is paired


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", "between ", "Between ", "in between\n"]),
    st.text(alphabet="Bbetwn a.,\n", max_size=120),
    st.integers(0, 120),
)
def test_the_search_for_a_near_between_never_changes_the_answer(
    before: str, text: str, place: int
) -> None:
    """The look-behind is asked only when "between" stands within its reach: the same
    answer for every and, found quicker."""
    text = before + text[:place] + " and" + text[place:]
    for start in (m.start() for m in _AND.finditer(text)):
        assert _paired(text, start) is (_PAIRED.match(text, start) is not None)
