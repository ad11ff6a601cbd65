"""Sidecar files: ``<article>.meta.toml`` read with the article into ``Document.meta``,
merged with front matter, and refused with one line when they are not right."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.article import prepare
from pipeline.errors import InputError
from pipeline.model import ArticleMeta
from pipeline.read import load_article
from pipeline.readers.frontmatter import split_front_matter
from pipeline.readers.sidecar import MAX_SIZE, is_sidecar, parse_sidecar, sidecar_path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
READERS = ROOT / "tests" / "data" / "readers"
GOOD = b"""\
author = "Dr Amira Patel, GP"
reviewer = "Dr Ben Jones, consultant cardiologist"
version = "1.10"
published = 2025-03-01
review-date = 2027-03-01
references = ["NHS. Low-dose aspirin. https://www.nhs.uk/", "  ", "NICE. Aspirin."]
language = "en-gb"
"""


def test_a_full_sidecar() -> None:
    assert parse_sidecar(GOOD, "a.txt.meta.toml") == ArticleMeta(
        author="Dr Amira Patel, GP",
        reviewer="Dr Ben Jones, consultant cardiologist",
        version="1.10",
        published=date(2025, 3, 1),
        review_date=date(2027, 3, 1),
        references=("NHS. Low-dose aspirin. https://www.nhs.uk/", "NICE. Aspirin."),
        language="en-GB",
    )


@pytest.mark.parametrize(
    ("data", "meta"),
    [
        (b"", ArticleMeta()),
        (b'\xef\xbb\xbfversion = "2"', ArticleMeta(version="2")),  # a BOM, as Notepad writes
        (b'references = "One source"', ArticleMeta(references=("One source",))),
        (b'author = "   "', ArticleMeta()),  # blank: not given, the clinic's default shows
        (b"references = []", ArticleMeta()),
        (b'title = "Aspirin"', ArticleMeta(title="Aspirin")),
        ('author = "\u200fد. أمينة"'.encode(), ArticleMeta(author="\u200fد. أمينة")),  # RLM
    ],
)
def test_small_sidecars(data: bytes, meta: ArticleMeta) -> None:
    assert parse_sidecar(data, "a.txt.meta.toml") == meta


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'authr = "x"', "unknown key 'authr'; use title, author, reviewer"),
        (b"[clinic]\nname = 'x'", "unknown key 'clinic'"),
        (b"version = 1.10", 'version must be text in quotes, like version = "..."'),
        (b'published = "2025-03-01"', "published must be a date from 1900 to 2999"),
        (b"published = 2025-03-01T10:00:00", "published must be a date"),
        (b"review_date = 0999-01-01", "review_date must be a date from 1900 to 2999"),
        (b"references = [1, 2]", "references must be a list of texts"),
        (b'language = "fr"', "language 'fr' is not available"),
        (b"language = 7", 'language must be a language code, like language = "en-GB"'),
        (b'language = "English please"', "language must be a language code"),
        (b"author = ", "is not valid TOML"),
        (b"\xff\xfe", "is not UTF-8 text"),
        (b"a." * 40 + b"b = 1", "more than 16 dotted parts"),
        (b"x = " + b"[" * 2000 + b"]" * 2000, "nests values too deeply"),
        (b"# " + b"x" * MAX_SIZE, f"over the limit of {MAX_SIZE:,}"),
        (b'author = "Dr \\u202eohW"', "author contains the control character U+202E"),
        (b'title = "a\\u0000b"', "title contains the control character U+0000"),
        (b'references = ["ok", "\\u001b[31m"]', "references contains the control character U+001B"),
    ],
)
def test_bad_sidecars_are_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_sidecar(data, "in/a.txt.meta.toml")
    text = str(caught.value)
    assert text.startswith("in/a.txt.meta.toml: ") and message in text and "\n" not in text


@pytest.mark.parametrize(
    ("name", "sidecar"),
    [
        ("a.txt.meta.toml", True),
        ("A.DOCX.META.TOML", True),
        ("leaflet.toml", False),  # negative rows: other TOML files are no sidecars
        ("a.toml", False),
        ("a.txt", False),
    ],
)
def test_names(name: str, sidecar: bool) -> None:
    assert is_sidecar(Path(name)) is sidecar
    assert is_sidecar(sidecar_path(Path(name)))


def test_load_article_reads_the_sidecar(tmp_path: Path) -> None:
    article = tmp_path / "botox.txt"
    shutil.copy(SAMPLE, article)
    assert load_article(article).meta == ArticleMeta()  # negative: no sidecar, nothing
    (tmp_path / "botox.txt.meta.toml").write_bytes(GOOD)
    (tmp_path / "botox.meta.toml").write_text('author = "Not mine"')  # another's name
    meta = load_article(article).meta
    assert meta.author == "Dr Amira Patel, GP" and meta.version == "1.10"
    doc = prepare(load_article(article), source=str(article))
    assert doc.meta == meta  # it reaches the Document as front matter does
    assert article.read_bytes() == SAMPLE.read_bytes()  # inputs are never modified


@pytest.mark.parametrize("name", ["botox-beyond-beauty.html", "botox-beyond-beauty.docx"])
def test_every_kind_of_article_can_have_one(name: str, tmp_path: Path) -> None:
    article = tmp_path / name
    shutil.copy(READERS / name, article)
    sidecar_path(article).write_text('reviewer = "Dr R"\npublished = 2024-01-02\n')
    meta = load_article(article).meta
    assert (meta.reviewer, meta.published) == ("Dr R", date(2024, 1, 2))


def test_front_matter_and_sidecar_together(tmp_path: Path) -> None:
    article = tmp_path / "aspirin.md"
    article.write_text("---\nauthor: Dr A\n---\n# Aspirin\n\nTake it with food.\n")
    sidecar = sidecar_path(article)
    sidecar.write_text('reviewer = "Dr B"\n')
    assert (load_article(article).meta.author, load_article(article).meta.reviewer) == (
        "Dr A",
        "Dr B",
    )
    sidecar.write_text('author = "Dr C"\n')
    with pytest.raises(InputError, match="author is also in the article's front matter"):
        load_article(article)


def test_a_sidecar_that_is_a_folder(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nText.\n")
    sidecar_path(article).mkdir()
    with pytest.raises(InputError, match="a.txt.meta.toml: is a folder"):
        load_article(article)


@pytest.mark.parametrize(
    ("front", "toml", "message"),
    [
        ("title: [a]", "title = 1", "title must be text"),
        ("published: March", 'published = "March"', "published must be a date from 1900"),
        ("review_date: 0999-01-01", "review_date = 0999-01-01", "review_date must be a date"),
        ("references: {a: b}", "references = 3", "references must be a list of texts"),
        ("language: English please", 'language = "English"', "language must be a language code"),
        ("language: fr", 'language = "fr"', "language 'fr' is not available"),
        ('author: "Dr \\u202eWho"', 'author = "Dr \\u202eWho"', "author contains the control"),
    ],
)
def test_front_matter_and_sidecars_check_each_key_the_same_way(
    front: str, toml: str, message: str
) -> None:
    with pytest.raises(InputError) as in_front:
        split_front_matter(f"---\n{front}\n---\nBody\n", "a.md")
    with pytest.raises(InputError) as in_sidecar:
        parse_sidecar(toml.encode(), "a.md.meta.toml")
    assert str(in_front.value).startswith(f"a.md: front matter {message}")
    assert str(in_sidecar.value).startswith(f"a.md.meta.toml: {message}")


# (the files beside the article, besides a.txt itself; each misnamed one and the name
#  the warning says to give it)
MISNAMED = [
    (["a.txt.META.toml"], {"a.txt.META.toml": "a.txt.meta.toml"}),
    (["a.txt.Review.JSON"], {"a.txt.Review.JSON": "a.txt.review.json"}),
    (["A.TXT.meta.toml", "a.txt.REVIEW.json"],  # the article's own letters are its name's
     {"A.TXT.meta.toml": "a.txt.meta.toml", "a.txt.REVIEW.json": "a.txt.review.json"}),
    (["a.txt.meta.toml", "a.txt.META.toml"], {"a.txt.META.toml": "a.txt.meta.toml"}),
    (["a.txt.meta.toml", "a.txt.review.json"], {}),  # named right: read, nothing said
    (["b.txt.META.toml", "notes.Meta.toml"], {}),  # no such article: not its sidecar
    ([".a.txt.META.toml"], {}),  # hidden: not looked at
    (["A.txt", "A.txt.meta.toml"], {}),  # another article's, named right
]


@pytest.mark.parametrize(("beside", "misnamed"), MISNAMED)
def test_a_sidecar_named_in_other_letters_is_not_read_and_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], beside: list[str], misnamed: dict[str, str]
) -> None:
    from pipeline.cli import main
    from pipeline.review import Review, text_digest

    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Alpha\n\nIt helps.\n")
    review = Review(text_digest("Alpha\n\nIt helps.\n")).to_json("a.txt")
    for name in beside:
        (inbox / name).write_text(review if "review" in name.lower() else 'author = "Dr A"\n')
    said = [
        f"{inbox / name}: is not read: a sidecar is named its article's name followed by "
        f"{right.removeprefix('a.txt')}, in these letters; rename it {right}"
        for name, right in sorted(misnamed.items())
    ]
    assert main(["clean", str(inbox), str(inbox / "a.txt"), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line.removeprefix("leaflet: ") for line in err if "is not read" in line] == said
    assert main(["explain", str(inbox / "a.txt")]) == 0
    assert capsys.readouterr().err.splitlines() == said
