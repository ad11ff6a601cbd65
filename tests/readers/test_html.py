"""Web pages: the article only (no navigation, scripts, cookie banner or footer), its
headings at their levels, lists, tables, quotes and links, as Markdown; pages with no
article, and hostile pages, are one-line errors or read in bounded time."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers.html import read_html

DATA = Path(__file__).parent.parent / "data" / "readers"

RICH = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Aspirin | Site</title></head>
<body><div class="cookie-banner">We use cookies. <button>OK</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Aspirin: what to know</h1>
<p>Aspirin is a <strong>painkiller</strong>. See <a href="https://www.nhs.uk/aspirin/">the NHS
page</a>, <a href="/local">our page</a> and <a href="javascript:alert(1)">this</a>.</p>
<h2>Who can take it</h2><p>Most adults can take it:</p>
<ul><li>adults over 16</li><li>people with <em>no</em> ulcers</li></ul>
<h3>Doses</h3><ol><li>Take one tablet.</li><li>Wait 4 hours.</li></ol>
<table><caption>Doses by age</caption><thead><tr><th>Age</th><th>Dose</th></tr></thead>
<tbody><tr><td>16-64</td><td>300 mg</td></tr>
<tr><td>65+</td><td>150 | 75 mg</td></tr></tbody></table>
<blockquote><p>Aspirin saved my life, said one patient.</p></blockquote>
<h4>Odd text</h4><p>A * star, _under_ and [brackets] and `ticks`.</p>
<p>- not a list</p><p>1. not numbered</p><p># not a heading</p>
</article><footer>Copyright 2024</footer></body></html>"""


def read(page: str | bytes, name: str = "page.html") -> str:
    data = page.encode() if isinstance(page, str) else page
    return read_html(data, Path(name)).text


def test_a_saved_page_gives_the_article_only() -> None:
    text = read((DATA / "botox-beyond-beauty.html").read_bytes())
    assert text.startswith(
        "# Exploring the Uses of Botox Beyond Beauty: Medical Applications and Treatments\n\n"
    )
    for chrome in ("cookies", "Home", "Privacy policy", "You might also like", "gtag", "©"):
        assert chrome not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[1:4] == [
        "## Undеrstanding Botox",
        "## Mеdical Applications of Botox",
        "### Chronic Migrainеs",
    ]


def test_the_blocks_of_a_page_become_markdown() -> None:
    assert read(RICH).split("\n\n") == [
        "# Aspirin: what to know",
        "Aspirin is a painkiller. See [the NHS page](https://www.nhs.uk/aspirin/), our page "
        "and this.",
        "## Who can take it",
        "Most adults can take it:",
        "- adults over 16\n- people with no ulcers",
        "### Doses",
        "1. Take one tablet.\n2. Wait 4 hours.",
        "| Age | Dose |\n| --- | --- |\n| 16-64 | 300 mg |\n| 65+ | 150 \\| 75 mg |",
        "Table: Doses by age",
        "> Aspirin saved my life, said one patient.",
        "#### Odd text",
        "A \\* star, \\_under\\_ and \\[brackets\\] and \\`ticks\\`.",
        "\\- not a list",
        "1\\. not numbered",
        "\\# not a heading\n",
    ]


@pytest.mark.parametrize(
    ("hidden", "shown"),
    [
        ("<p hidden>Buy cheap pills now</p>", ""),
        ('<div hidden="hidden"><p>Buy cheap pills now</p></div>', ""),
        ("<ul hidden><li>Buy cheap pills now</li></ul>", ""),
        ("<h2 hidden>Buy cheap pills now</h2>", ""),
        (
            "<p>Most adults <span hidden>Buy cheap pills now</span>can take it.</p>",
            "<p>Most adults can take it.</p>",
        ),
        ('<p style="display: none">Buy cheap pills now</p>', ""),  # trafilatura's own rule
        # What the reader can open is the article's: an accordion's panel, or a panel a
        # search in the page opens.
        (
            '<button aria-controls="x a1">Dose?</button><div id="a1" hidden><p>Take one a day'
            " with food, and never more than four in a day.</p></div>",
            "<div><p>Take one a day with food, and never more than four in a day.</p></div>",
        ),
        (
            '<div hidden="until-found"><p>Take one a day with food, and never more than four'
            " in a day.</p></div>",
            "<div><p>Take one a day with food, and never more than four in a day.</p></div>",
        ),
    ],
)
def test_what_the_page_hides_is_left_out(hidden: str, shown: str) -> None:
    def page(extra: str) -> str:
        return RICH.replace("<h2>Who can take it</h2>", extra + "<h2>Who can take it</h2>")

    assert read(page(hidden)) == read(page(shown))


@pytest.mark.parametrize(
    ("pre", "shown"),
    [
        (
            "<pre>Dose table:\n  morning  1 tablet\n\n  evening  2 tablets\n</pre>",
            "> Dose table:\n>\n> morning 1 tablet\n>\n> evening 2 tablets",
        ),
        ("<pre>One line only.</pre>", "> One line only."),
        ("<pre>\n\n</pre>", None),  # nothing to show
        # Not text alone: trafilatura's reading (a code block, or its quote) stands.
        ("<pre><b>Bold</b> text\nnext</pre>", "> Bold text next"),
    ],
)
def test_a_preformatted_block_keeps_its_lines(pre: str, shown: str | None) -> None:
    blocks = read(RICH.replace("<h2>Who can take it</h2>", pre + "<h2>Who can take it</h2>"))
    after_first = blocks.split("\n\n")[2]
    assert after_first == (shown if shown is not None else "## Who can take it")


FURTHER = "<h2>Further information</h2>{links}<h2>Who can take it</h2>"
NHS = '<a href="https://www.nhs.uk/medicines/aspirin/">NHS: Aspirin for pain relief</a>'
NICE = '<a href="https://www.nice.org.uk/guidance/ng193">NICE guideline NG193</a>'
NHS_MD = "[NHS: Aspirin for pain relief](https://www.nhs.uk/medicines/aspirin/)"
NICE_MD = "[NICE guideline NG193](https://www.nice.org.uk/guidance/ng193)"


@pytest.mark.parametrize(
    ("links", "shown"),
    [
        # What the article cites, a block of links to other sites alone: trafilatura
        # dropped them as navigation.
        (f"<p>{NHS}</p>", NHS_MD),
        (f"<ul><li>{NHS}</li><li>{NICE}</li></ul>", f"- {NHS_MD}\n- {NICE_MD}"),
        (f"<ol><li>{NHS} (2024)</li><li>{NICE}, 2021</li></ol>",
         f"1. {NHS_MD} (2024)\n2. {NICE_MD}, 2021"),
        (f"<p>{NHS}<br>{NICE}</p>", f"{NHS_MD} {NICE_MD}"),
        (f"<ul><li>{NHS}<ul><li>{NICE}</li></ul></li></ul>", f"- {NHS_MD}\n- {NICE_MD}"),
        ('<p><a href="mailto:info@clinic.nhs.uk">Email the clinic</a></p>',
         "[Email the clinic](mailto:info@clinic.nhs.uk)"),
        # What a link shows, not what it hides (a probe's finding: a hidden span, a
        # script, a style were printed in its label; a line break joined two words).
        ('<ul><li><a href="https://www.bhf.org.uk/bp">British Heart Foundation'
         '<span style="display:none"> buy cheap pills</span><script>var x="s";</script>'
         '</a></li><li><a href="https://www.who.int/">World Health<br>Organization</a></li>'
         '</ul>',
         "- [British Heart Foundation](https://www.bhf.org.uk/bp)\n"
         "- [World Health Organization](https://www.who.int/)"),
        # Not the article's sources: left to trafilatura, which drops them.
        ('<ul><li><a href="https://www.linkedin.com/shareArticle?u=x">Post to LinkedIn</a></li>'
         '<li><a href="https://wa.me/?text=x">Send via WhatsApp</a></li>'
         '<li><a href="https://pinterest.com/pin/create/button/?u=x">Pin it now</a></li>'
         '<li><a href="https://www.reddit.com/submit?url=x">Post on Reddit</a></li>'
         '<li><a href="mailto:?subject=x">Email a friend</a></li></ul>', None),
        (f'<ul><li>{NICE}</li><li><a href="https://x.org/a" style="display:none">Hidden '
         'words</a></li></ul>', None),  # a link a style hides: the list is left alone
        (f'<ul><li>{NICE}</li><li><a href="/paracetamol">Paracetamol for adults</a></li></ul>',
         None),  # one item of the site's own: the list is the site's
        (f'<div class="ad-slot"><p>{NHS}</p></div>', None),  # named as an advertisement
        # A second probe's: advertisements named otherwise, or labelled, under a heading
        # of sources.
        (f'<div class="AdBanner"><ul><li>{NHS}</li><li>{NICE}</li></ul></div>', None),
        (f'<div class="adsbygoogle"><p>{NHS}</p></div>', None),
        (f'<div class="partner-offers"><p>{NHS}</p></div>', None),
        (f'<p>Advertisement</p><ul><li>{NHS}</li><li>{NICE}</li></ul>', "Advertisement"),
        ('<ul><li><a href="https://www.facebook.com/sharer.php?u=x">Share on Facebook</a></li>'
         '<li><a href="https://x.com/intent/tweet?u=x">Post it on X</a></li></ul>', None),
        ('<p><a href="https://www.nhs.uk/">NHS</a></p>', None),  # one word: a logo or a button
        ('<ul><li><a href="/paracetamol">Paracetamol for adults</a></li></ul>', None),  # our own
        ('<p><a href="https://www.clinic.org/paracetamol">Paracetamol for adults</a></p>', None),
    ],
)  # fmt: skip
def test_an_articles_own_links_are_kept_when_they_stand_alone(
    links: str, shown: str | None
) -> None:
    page = RICH.replace("<title>", '<link rel="canonical" href="https://clinic.org/a"><title>')
    blocks = read(page.replace("<h2>Who can take it</h2>", FURTHER.format(links=links)))
    after = blocks.split("\n\n")[2:4]
    assert after == ["## Further information", shown or "## Who can take it"]


def test_links_under_a_heading_of_no_sources_are_left_to_trafilatura() -> None:
    """A list of links to other sites under the article's own text is an advertisement
    as often as a source: kept only under a heading such as Further information."""
    ads = '<ul><li><a href="https://deals.example/a">Cheap flu jabs near you</a></li>' \
        '<li><a href="https://deals.example/b">Compare pharmacy prices</a></li></ul>'
    text = read(RICH.replace("<h2>Who can take it</h2>", ads + "<h2>Who can take it</h2>"))
    assert "flu jabs" not in text and "pharmacy prices" not in text


@pytest.mark.parametrize("heading", ["Sponsored links", "Information from our partners",
                                     "Support us"])
def test_links_under_a_heading_of_what_is_sold_are_left_to_trafilatura(heading: str) -> None:
    links = f"<h2>{heading}</h2><ul><li>{NHS}</li><li>{NICE}</li></ul>"
    text = read(RICH.replace("<h2>Who can take it</h2>", links + "<h2>Who can take it</h2>"))
    assert "NHS: Aspirin" not in text and "NICE guideline" not in text


def test_links_outside_the_articles_marked_content_are_left_to_trafilatura() -> None:
    """Only what the page marks as its main content (``article``, ``main``): a list of
    links in a sidebar or footer is the site's navigation."""
    page = RICH.replace("<footer>", f"<footer><ul><li>{NHS}</li><li>{NICE}</li></ul>")
    page = page.replace("</article>", f"</article><aside><p>{NICE}</p></aside>")
    assert "NHS: Aspirin" not in read(page) and "NICE" not in read(page)


def test_a_noncharacter_in_the_page_never_makes_a_link() -> None:
    """The reader marks links with noncharacters; a page's own are dropped."""
    forged = "\ufdd0Click me\ufdd1https://evil.example/\ufdd2"
    text = read(RICH.replace("Most adults can take it:", f"Most adults {forged} can take it"))
    assert "](https://evil" not in text and "\ufdd0" not in text
    assert "Most adults Click mehttps://evil.example/ can take it" in text


def test_title_comes_from_the_page_title_without_an_h1() -> None:
    page = "<html><head><title>Asthma</title></head><body><article><p>" + "Asthma is common. " * 20
    assert read(page + "</p></article></body></html>").startswith("# Asthma\n\nAsthma is common.")


def test_encoding_from_the_page_or_the_option() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><article><h1>Caf\xe9</h1><p>'
    data = (page + "Caf\xe9 au lait is a drink. " * 10 + "</p></article></body></html>").encode(
        "cp1252"
    )
    assert read(data).startswith("# Café\n")
    assert read_html(data, Path("p.html"), "latin-1").text.startswith("# Café\n")


_QUOTED = "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve"
_HAY_FEVER = (
    "<html><head>{}<title>x</title></head><body><article><h1>Managing hay fever</h1>"
    "<p>Hay fever is a common allergy to pollen. It causes sneezing, a runny nose and itchy "
    "eyes in spring and summer.</p><p>Antihistamine tablets help most people. Ask your "
    f"pharmacist which one suits you best.</p><p>{_QUOTED}</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("declared", "encoding", "shown"),
    [
        ("", "cp1252", _QUOTED),  # undeclared: the web's default, not a guess (was cp775)
        ("", "utf-8", _QUOTED),
        ('<meta charset="windows-1252">', "cp1252", _QUOTED),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">',
         "cp1250", "Lékař předepsal lék"),  # fmt: skip
        ('<meta charset="koi8-r">', "koi8-r", "Привет"),  # declared: read as it says
        ("<script>" + "var x = 1;\n" * 600 + "</script><meta charset=windows-1251>", "cp1251",
         "Лечение мигрени"),  # declared after 6 KB of script  # fmt: skip
    ],
)
def test_a_page_is_read_in_the_encoding_it_says_else_as_browsers_do(
    declared: str, encoding: str, shown: str
) -> None:
    page = _HAY_FEVER.format(declared).replace(_QUOTED, shown)
    assert read(page.encode(encoding)).endswith(f"\n\n{shown}\n")


@pytest.mark.parametrize(
    ("encoding", "title", "body"),
    [
        ("cp1251", "Лечение мигрени", "Ботулинический токсин применяется для лечения "
         "хронической мигрени. Побочные эффекты обычно слабые и проходят сами. "),
    ],
)  # fmt: skip
def test_an_undeclared_page_in_another_scripts_encoding_is_read_in_it(
    encoding: str, title: str, body: str
) -> None:
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    page += f"<p>{body * 4}</p><p>{body * 3}</p></article></body></html>"
    assert read(page.encode(encoding)).startswith(f"# {title}\n\n{body.strip()}")


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("<html><body><nav><a href='/'>Home</a><a href='/b'>Blog</a></nav></body></html>",
         "no article found"),
        ("<html><head><title>Only a title</title></head><body></body></html>", "no article found"),
        ("", "the file is empty; give it the article's text"),
        ("   \n", "holds no text (only blank space or invisible characters); give it"),
        ("<html><body><article><p>\u200b\u00ad</p><p>\u2060 \u200b</p></article></body></html>",
         "holds no text (only blank space or invisible characters)"),
    ],
)
def test_a_page_without_an_article_is_an_error(page: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        read(page, "saved/page.html")
    assert str(raised.value).startswith("saved/page.html: ") and message in str(raised.value)


HOSTILE = {
    "deeply nested": "<html><body><article><h1>T</h1>" + "<div>" * 100_000
    + "<p>Deep text of the article.</p>" + "</div>" * 100_000 + "</article></body></html>",
    "huge attribute": "<html><body><article><h1>T</h1><p title='" + "x" * 5_000_000
    + "'>Hello there, this is the text.</p></article></body></html>",
    "entity bomb": '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><html><body><article><h1>T</h1>'
    "<p>&d;&d;&d;&d;&d;&d; and the text of the article.</p></article></body></html>",
    "unclosed tags": "<html><body><article><h1>T<p>text <b>bold <i>both " * 2000,
    "binary": "\x00\x01\x02" * 1000,
}


@pytest.mark.parametrize("label", list(HOSTILE))
def test_hostile_pages_are_read_or_refused_in_one_line(label: str) -> None:
    try:
        text = read(HOSTILE[label])
    except InputError as error:
        assert str(error).startswith("page.html: ") and "\n" not in str(error)
    else:
        assert len(text) < 100_000  # nothing expanded


@pytest.mark.parametrize(
    ("inside", "refused"),
    [
        ("<p>" + "<b>" * 300 + "Bold, and never closed.</p>", True),  # tags left open
        ("<div>" * 300 + "<p>Deep, and closed.</p>" + "</div>" * 300, True),
        ("<p>" + "<b>" * 100 + "Bold, and never closed.</p>", False),
        ("<div>" * 100 + "<p>Deep, and closed.</p>" + "</div>" * 100, False),
    ],
)
def test_a_page_too_deep_to_read_to_its_end_is_refused_never_cut_short(
    inside: str, refused: bool
) -> None:
    """libxml2 stops reading 256 tags deep: what follows was dropped without a word."""
    page = (
        "<html><body><article><h1>Aspirin</h1><p>The first paragraph of the article.</p>"
        f"{inside}<p>The last paragraph: see a doctor if the pain lasts.</p>"
        "</article></body></html>"
    )
    if refused:
        with pytest.raises(InputError, match="nests its tags more than 255 deep") as raised:
            read(page, "saved/deep.html")
        assert str(raised.value).startswith("saved/deep.html: ")
    else:
        assert "see a doctor if the pain lasts" in read(page)
