"""pipeline.config: loading leaflet.toml, defaults, overrides, errors, fingerprints, and the
declarations against the README's table and leaflet.example.toml."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from pipeline.config import (
    CONFIG_MAX_BYTES,
    DEFAULT_DISCLAIMER,
    OPTIONS,
    Clinic,
    LeafletConfig,
    SignOff,
    add_months,
    apply_overrides,
    check_option,
    config_fingerprint,
    config_from_text,
    default_published,
    load_config,
    logo_image,
    option,
    parse_config,
    parse_option,
    read_config,
)
from pipeline.errors import ConfigError
from pipeline.files import LINK_LOOP

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "leaflet.example.toml"

FULL = """\
paper = "A5"
large_print = true
review_months = 24
disclaimer = "Ask us anything."
published = 2025-03-05
language = "en-GB"
base_url = "https://riverside.example/leaflets"

[clinic]
name = "Riverside Surgery"
address = "1 River Lane\\nExampletown"
phone = "01632 960 000"
website = "https://riverside.example"
logo = "images/logo.png"

[signoff]
author = "Dr Asha Patel, GP"
reviewer = "Sam Jones, Practice Nurse"
version = "2.1"
feedback_email = "leaflets@riverside.example"
feedback_phone = "+44 1632 960 001 ext. 4"
other_formats = "Ask at reception for large print, another language or easy read."
"""


def write(folder: Path, text: str, name: str = "leaflet.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def png(size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def logo_folder(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(png())
    return tmp_path


def test_full_file(logo_folder: Path) -> None:
    config = load_config(write(logo_folder, FULL))
    assert config == LeafletConfig(
        clinic=Clinic(
            name="Riverside Surgery",
            address="1 River Lane\nExampletown",
            phone="01632 960 000",
            website="https://riverside.example",
            logo=(logo_folder / "images" / "logo.png").resolve(),
        ),
        paper="A5",
        large_print=True,
        review_months=24,
        disclaimer="Ask us anything.",
        published=date(2025, 3, 5),
        language="en-GB",
        base_url="https://riverside.example/leaflets/",  # a folder: "/" added
        signoff=SignOff(
            author="Dr Asha Patel, GP",
            reviewer="Sam Jones, Practice Nurse",
            version="2.1",
            feedback_email="leaflets@riverside.example",
            feedback_phone="+44 1632 960 001 ext. 4",
            other_formats="Ask at reception for large print, another language or easy read.",
        ),
    )
    assert config.review_by == date(2027, 3, 5)


def test_logo_is_relative_to_the_config_file(logo_folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = write(logo_folder, '[clinic]\nlogo = "images/logo.png"\n')
    # the working directory does not matter, only the file's folder
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(elsewhere)
        assert load_config(path).clinic.logo == (logo_folder / "images" / "logo.png").resolve()


@pytest.mark.parametrize("content", [None, "", "[clinic]\n", "[signoff]\n", "\ufeff"])
def test_defaults(content: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    if content is not None:
        write(tmp_path, content)
    config = load_config(None)
    assert config == LeafletConfig(published=date(2025, 1, 1))
    assert (config.paper, config.large_print, config.review_months) == ("A4", False, 12)
    assert config.clinic.name == "Your clinic" and "not set" in config.clinic.phone
    assert config.disclaimer == DEFAULT_DISCLAIMER and config.language == "en"
    assert config.signoff == SignOff() and config.base_url == ""


def test_reads_leaflet_toml_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, 'paper = "letter"\n')
    assert load_config(None).paper == "letter"


@pytest.mark.parametrize(
    ("epoch", "day"),
    [
        ("0", date(1970, 1, 1)),
        ("1735689600", date(2025, 1, 1)),
        (" 1735775999 ", date(2025, 1, 1)),
        ("32503679999", date(2999, 12, 31)),
        ("", None),  # unset: today
    ],
)
def test_source_date_epoch(epoch: str, day: date | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert default_published() == (day or datetime.now(UTC).date())


@pytest.mark.parametrize(
    "epoch",
    ["yesterday", "-1", "1e9", "1.5", "99999999999999999999", "32503680000", "\u0663", "1_000"],
)
def test_bad_source_date_epoch(epoch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ConfigError) as caught:
        default_published()
    message = str(caught.value)
    assert message.startswith("SOURCE_DATE_EPOCH=") and "unset it" in message
    assert "\n" not in message


def image_files(folder: Path) -> None:
    """Logo files of every kind, good and bad, for the ERRORS table."""
    (folder / "images").mkdir()
    (folder / "p.png").write_bytes(Path("/etc/passwd").read_bytes())
    (folder / "real.png").write_bytes(png())
    (folder / "real.jpg").write_bytes(png())
    (folder / "bomb.png").write_bytes(png_header(12_000, 12_000))
    (folder / "cut.png").write_bytes(png()[:-20])
    data = bytearray(png())
    data[40] ^= 0xFF  # inside the image data: its checksum no longer matches
    (folder / "crc.png").write_bytes(bytes(data))
    jpeg = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(jpeg, "JPEG")
    (folder / "cut.jpg").write_bytes(jpeg.getvalue()[:-200])
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    (folder / "empty.png").write_bytes(b"")
    os.mkfifo(folder / "fifo.png")
    (folder / "outside.png").symlink_to(ROOT / "docs" / "index-page.png")
    (folder / "loop.png").symlink_to(folder / "loop.png")
    for name, svg in BAD_SVGS.items():
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few dozen bytes."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
BAD_SVGS = {
    "script": SVG.format("<script>alert(1)</script>"),
    "onload": SVG.format('<rect onload="alert(1)" width="5" height="5"/>'),
    "image": SVG.format('<image href="https://example.org/x.png" width="5" height="5"/>'),
    "datauri": SVG.format('<image href="data:image/png;base64,AAAA" width="5" height="5"/>'),
    "external-use": SVG.format('<use xlink:href="other.svg#x"/>'),
    "import": SVG.format("<style>@import url(https://example.org/a.css);</style>"),
    "fill-url": SVG.format('<rect fill="url(https://example.org/p.svg#g)" width="5" height="5"/>'),
    "style-url": SVG.format('<rect style="fill: url( file:///etc/x )" width="5" height="5"/>'),
    "escape": SVG.format('<rect style="fill: \\75 rl(x.svg)" width="5" height="5"/>'),
    "foreign": SVG.format(
        '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>'
    ),
    "xhtml": SVG.format('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
    "anchor": SVG.format('<a href="https://example.org"><rect width="5" height="5"/></a>'),
    "animate": SVG.format('<rect width="5" height="5"><set attributeName="fill" to="red"/></rect>'),
    "laughs": '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    + SVG.format("<text>&b;</text>"),
    "external-entity": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + SVG.format("<text>&x;</text>"),
    "use-bomb": SVG.format(
        '<g id="a0"><rect width="1" height="1"/></g>'
        + "".join(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, 8))
    ),
    "use-loop": SVG.format('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
    "not-xml": "root:x:0:0:root:/root:/bin/bash\n",
    "html": '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
}

# (label, file content, words the one-line message must contain)
ERRORS = [
    ("unknown top key", 'papr = "A4"\n', ["'papr'", "did you mean 'paper'", "remove it"]),
    ("unknown clinic key", '[clinic]\nfax = "1"\n', ["'clinic.fax'", "remove it"]),
    ("unknown table", "[fonts]\nbody = 1\n", ["'fonts'"]),
    ("unknown signoff key", '[signoff]\nauthr = "x"\n', ["did you mean 'signoff.author'"]),
    ("bad paper", 'paper = "A3"\n', ["paper", "'A3'", "A4, A5, letter"]),
    ("paper case", 'paper = "a4"\n', ["paper", "'a4'"]),
    ("paper not a string", "paper = 4\n", ["paper must be", "4"]),
    ("paper as a table", "[paper]\nsize = 4\n", ["paper must be", "{'size': 4}"]),
    ("large_print as string", 'large_print = "yes"\n', ["large_print must be true or false"]),
    ("review_months as bool", "review_months = true\n", ["review_months must be"]),
    ("review_months as float", "review_months = 1.5\n", ["review_months must be"]),
    ("review_months too big", "review_months = 120\n", ["review_months", "1 to 60"]),
    ("review_months zero", "review_months = 0\n", ["review_months"]),
    ("empty disclaimer", 'disclaimer = "  "\n', ["disclaimer", "not be empty"]),
    ("huge disclaimer", f'disclaimer = "{"x" * 20_000}"\n', ["disclaimer is 20,000 characters"]),
    ("published as string", 'published = "2025-03-05"\n', ["published must be a date"]),
    ("published as datetime", "published = 2025-03-05T10:00:00\n", ["published must be a date"]),
    ("published 9999", "published = 9999-06-01\n", ["published 9999-06-01 is out of range"]),
    ("published 1066", "published = 1066-10-14\n", ["published", "out of range", "1900-01-01"]),
    ("bad language", 'language = "English"\n', ["language", "'English'"]),
    ("language not shipped", 'language = "fr"\n', ["language 'fr'", "English only"]),
    ("language region of another", 'language = "de-DE"\n', ["language 'de-DE'"]),
    ("language script", 'language = "en-Latn-GB"\n', ["language"]),
    ("clinic not a table", 'clinic = "Riverside"\n', ["clinic must be a [clinic] table"]),
    ("empty clinic name", '[clinic]\nname = ""\n', ["clinic.name", "not be empty"]),
    ("bell in name", '[clinic]\nname = "Riverside\\u0007"\n', ["clinic.name", "U+0007"]),
    ("newline in name", '[clinic]\nname = "River\\nside"\n', ["clinic.name", "U+000A"]),
    ("bidi in phone", '[clinic]\nphone = "\\u202e000"\n', ["clinic.phone", "U+202E"]),
    ("nul in address", '[clinic]\naddress = "a\\u0000"\n', ["clinic.address", "U+0000"]),
    ("long address", '[clinic]\naddress = "' + "a\\n" * 9 + '"\n', ["more than 8 lines"]),
    ("huge name", f'[clinic]\nname = "{"R" * 5000}"\n', ["clinic.name is 5,000 characters"]),
    ("website without scheme", '[clinic]\nwebsite = "riverside.example"\n', ["https://"]),
    ("website javascript", '[clinic]\nwebsite = "javascript:alert(1)"\n', ["clinic.website"]),
    ("website with a space", '[clinic]\nwebsite = "https://x.example/a b"\n', ["a space"]),
    ("website with a password", '[clinic]\nwebsite = "https://u:p@x.example"\n', ["website"]),
    ("base_url ftp", 'base_url = "ftp://x.example/"\n', ["base_url", "https://"]),
    ("base_url no host", 'base_url = "https:///leaflets"\n', ["base_url", "not a web address"]),
    ("base_url bad port", 'base_url = "https://x.example:port/"\n', ["base_url"]),
    ("base_url query", 'base_url = "https://x.example/?id="\n', ["base_url", "? or #"]),
    ("email without @", '[signoff]\nfeedback_email = "nobody"\n', ["signoff.feedback_email"]),
    ("email two @", '[signoff]\nfeedback_email = "a@b@c.example"\n', ["feedback_email"]),
    ("email no dot", '[signoff]\nfeedback_email = "a@localhost"\n', ["feedback_email"]),
    ("email with a name", '[signoff]\nfeedback_email = "Us <a@b.example>"\n', ["feedback_email"]),
    ("phone of words", '[signoff]\nfeedback_phone = "ring us"\n', ["signoff.feedback_phone"]),
    ("phone too short", '[signoff]\nfeedback_phone = "12"\n', ["no phone number"]),
    ("version as float", "[signoff]\nversion = 1.0\n", ["signoff.version must be text in quotes"]),
    ("author as list", '[signoff]\nauthor = ["a", "b"]\n', ["signoff.author must be"]),
    ("signoff not a table", 'signoff = "me"\n', ["signoff must be a [signoff] table"]),
    (
        "missing logo",
        '[clinic]\nlogo = "nope.png"\n',
        ["clinic.logo", "nope.png", "does not exist"],
    ),
    ("logo not an image", '[clinic]\nlogo = "leaflet.toml"\n', ["clinic.logo", "PNG, JPEG or SVG"]),
    ("logo not a string", "[clinic]\nlogo = 3\n", ["clinic.logo must be"]),
    ("logo is text", '[clinic]\nlogo = "p.png"\n', ["is not a PNG image (it looks like text)"]),
    ("logo empty", '[clinic]\nlogo = "empty.png"\n', ["is not a PNG image (it is empty)"]),
    ("logo named wrong", '[clinic]\nlogo = "real.jpg"\n', ["is a PNG image named .jpg"]),
    ("logo bomb", '[clinic]\nlogo = "bomb.png"\n', ["12,000 x 12,000 pixels", "4,000"]),
    ("logo cut short", '[clinic]\nlogo = "cut.png"\n', ["damaged PNG"]),
    ("logo checksum", '[clinic]\nlogo = "crc.png"\n', ["damaged PNG", "checksum"]),
    ("logo jpeg cut", '[clinic]\nlogo = "cut.jpg"\n', ["damaged JPEG"]),
    ("logo folder", '[clinic]\nlogo = "images"\n', ["'images'", "is a folder"]),
    ("logo this folder", '[clinic]\nlogo = ""\n', ["is a folder"]),
    ("logo fifo", '[clinic]\nlogo = "fifo.png"\n', ["'fifo.png'", "not a regular file"]),
    ("logo device", '[clinic]\nlogo = "/dev/zero"\n', ["outside the config file's folder"]),
    ("logo absolute", '[clinic]\nlogo = "/etc/passwd"\n', ["outside the config file's folder"]),
    ("logo up and out", '[clinic]\nlogo = "../x.png"\n', ["outside the config file's folder"]),
    ("logo symlink out", '[clinic]\nlogo = "outside.png"\n', ["outside the config file's folder"]),
    ("logo symlink loop", '[clinic]\nlogo = "loop.png"\n', ["clinic.logo 'loop.png'"]),
    ("logo nul", '[clinic]\nlogo = "a\\u0000.png"\n', ["clinic.logo", "U+0000"]),
    *[
        (f"svg {name}", f'[clinic]\nlogo = "{name}.svg"\n', [f"clinic.logo '{name}.svg'", words])
        for name, words in [
            ("script", "contains <script>"),
            ("onload", "onload attribute"),
            ("image", "contains <image>"),
            ("datauri", "contains <image>"),
            ("external-use", "links to 'other.svg#x'"),
            ("import", "may load another file"),
            ("fill-url", "fill that may load another file"),
            ("style-url", "style that may load another file"),
            ("escape", "style that may load another file"),
            ("foreign", "contains <foreignObject>"),
            ("xhtml", "contains <script>"),
            ("anchor", "contains <a>"),
            ("animate", "contains <set>"),
            ("laughs", "declares XML entities"),
            ("external-entity", "declares XML entities"),
            ("use-bomb", "more than 20,000 shapes"),
            ("use-loop", "a <use> shows itself"),
            ("not-xml", "not well-formed XML"),
            ("html", "outer element is <html>"),
        ]
    ],
    ("not TOML", "paper = \n", ["is not valid TOML"]),
    ("deep arrays", "x = " + "[" * 100_000 + "]" * 100_000, ["nests values too deeply"]),
    ("deep tables", "x = " + "{a = " * 50_000 + "1" + "}" * 50_000, ["nests values too deeply"]),
    ("deep key", "a" + ".a" * 5_000 + " = 1\n", ["more than 16 dotted parts"]),
    ("deep table name", "[a" + ".a" * 5_000 + "]\n", ["more than 16 dotted parts"]),
    ("deep quoted key", "x = {" + '"a".' * 5_000 + "b = 1}", ["more than 16 dotted parts"]),
    ("deep key indented", "  " + "a." * 5_000 + "b = 1\n", ["more than 16 dotted parts"]),
    ("deep key after a comma", "x = {b = 1, " + "a." * 5_000 + "b = 1}", ["more than 16 dotted"]),
    ("deep array of tables", "[[ a" + ".a" * 5_000 + " ]]\n", ["more than 16 dotted parts"]),
    ("huge number", "review_months = " + "9" * 5000 + "\n", ["a number too long to read"]),
    ("infinity", "review_months = inf\n", ["review_months must be", "not inf"]),
    ("long unknown key", "k" * 500_000 + " = 1\n", ["unknown key 'kkkk"]),
    (
        "not UTF-8",
        b'paper = "A4" # caf\xe9\n',
        ["is not UTF-8 text (byte 0xE9", "save it as UTF-8"],
    ),
    ("UTF-16", '[clinic]\nname = "R"\n'.encode("utf-16"), ["is not UTF-8 text"]),
    ("too large", b"# " + b"x" * CONFIG_MAX_BYTES + b"\n", ["over the limit of 1,000,000 bytes"]),
]


@pytest.mark.parametrize(("content", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors(content: str | bytes, words: list[str], tmp_path: Path) -> None:
    image_files(tmp_path)
    path = tmp_path / "leaflet.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and len(message) < 400
    for word in words:
        assert word in message


DOTTED = ".".join("ABCDEFGHIJKLMNOPQRSTU")  # 21 parts, as no key of leaflet's has


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (f'[clinic]\nname = "{DOTTED}"\n', DOTTED),
        (f"[clinic]\nname = '{DOTTED}'\n", DOTTED),
        (f'[clinic] # {DOTTED}\nname = "R"\n', "R"),
        (f'# {DOTTED}\n[clinic]\nname = "R"  # {DOTTED}\n', "R"),
        (f'clinic = {{ name = "R", phone = "0{DOTTED}1" }}\n', "R"),
        (f'[clinic]\nwebsite = "https://{DOTTED.lower()}.example/"\nname = "R"\n', "R"),
    ],
)
def test_dotted_text_in_a_value_or_a_comment_is_no_key(
    content: str, name: str, tmp_path: Path
) -> None:
    """Only keys are refused for their dotted parts: a name, an address or a comment
    with many dots is text (the settings page saved such a file, which then failed)."""
    assert load_config(write(tmp_path, content)).clinic.name == name
    assert config_from_text(content, folder=tmp_path).clinic.name == name


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("a" + ".a" * 20 + " = 1\n", "more than 16 dotted parts"),
        ("# " + "x" * CONFIG_MAX_BYTES + "\n", "over the limit of 1,000,000 bytes"),
        ('paper = "A6"\n', "paper must be one of A4, A5, letter"),
        ("paper = \n", "is not valid TOML"),
    ],
)
def test_config_text_is_checked_as_the_file_would_be(
    content: str, words: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        config_from_text(content, folder=tmp_path)
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_config(write(tmp_path, content))


# Files that look odd but are good logos: each must load.
GOOD_SVGS = [
    SVG.format('<rect width="5" height="5" fill="navy"/>'),
    '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG.format("<circle r='2'/>"),
    SVG.format(
        '<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
        '<style>.a { fill: url(#g); }</style><symbol id="s"><rect width="1" height="1"/></symbol>'
        '</defs><use xlink:href="#s"/><use href="#s"/><rect class="a" style="fill:url(#g)"/>'
        "<rect fill=\"url( '#g')\"/>"
    ),
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/'
    'inkscape"><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    "</metadata><inkscape:grid/><text>Riverside &amp; Co</text></svg>",
]


@pytest.mark.parametrize("svg", GOOD_SVGS)
def test_good_svg_logos(svg: str, tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(svg, encoding="utf-8")
    config = load_config(write(tmp_path, '[clinic]\nlogo = "logo.svg"\n'))
    assert config.clinic.logo == (tmp_path / "logo.svg").resolve()
    assert logo_image(tmp_path / "logo.svg").data == svg.encode("utf-8")


def test_symlink_inside_the_folder_is_followed(logo_folder: Path) -> None:
    (logo_folder / "link.png").symlink_to(logo_folder / "images" / "logo.png")
    config = load_config(write(logo_folder, '[clinic]\nlogo = "link.png"\n'))
    assert config.clinic.logo == (logo_folder / "images" / "logo.png").resolve()


@pytest.mark.parametrize(
    ("size", "kind", "expected"),
    [
        ((3000, 1500), "PNG", (1200, 600)),
        ((4000, 400), "PNG", (1200, 120)),
        ((800, 2400), "JPEG", (200, 600)),
        ((300, 100), "PNG", (300, 100)),  # negative: small logos are embedded as they are
    ],
)
def test_large_logos_are_scaled_down_once(
    size: tuple[int, int], kind: str, expected: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / f"logo.{kind.lower()}"
    Image.new("RGB", size, "navy").save(path, kind)
    load_config(write(tmp_path, f'[clinic]\nlogo = "{path.name}"\n'))
    first = logo_image(path)
    assert first is logo_image(path)  # once per process, not once per article
    with Image.open(io.BytesIO(first.data)) as image:
        assert (image.size, image.format) == (expected, kind)
    assert first.mime == f"image/{kind.lower()}"
    if size == expected:
        assert first.data == path.read_bytes()


def test_a_logo_spoiled_after_loading_is_refused_when_rendering(logo_folder: Path) -> None:
    config = load_config(write(logo_folder, FULL))
    assert config.clinic.logo is not None
    config.clinic.logo.write_text("root:x:0:0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not a PNG image"):
        logo_image(config.clinic.logo)


@pytest.mark.parametrize("path", ["/dev/zero", "/etc", "fifo"], ids=["device", "folder", "fifo"])
def test_config_file_that_is_no_file(path: str, tmp_path: Path) -> None:
    if path == "fifo":
        os.mkfifo(tmp_path / "fifo")
        path = str(tmp_path / "fifo")
    with pytest.raises(ConfigError, match="(folder|not a regular file)"):
        load_config(Path(path))


def test_missing_file_named_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; check the --config path"):
        load_config(tmp_path / "missing.toml")


# (what stands at the settings file's name: what is said of it)
NOT_A_SETTINGS_FILE = {
    "a link to nothing": (lambda p: p.symlink_to("gone.toml"),
                          "is a link to gone.toml, which does not exist"),
    "a link loop": (lambda p: p.symlink_to(p.name), LINK_LOOP),  # as everywhere
    "a longer loop": (lambda p: (p.symlink_to("b.toml"), p.with_name("b.toml").symlink_to(p.name)),
                      LINK_LOOP),
    "a folder": (lambda p: p.mkdir(), "is a folder, not a file"),
    "a pipe": (os.mkfifo, "is not a regular file (a pipe or device)"),
    "a link to a device": (lambda p: p.symlink_to("/dev/zero"),
                           "is not a regular file (a pipe or device)"),
    "not UTF-8": (lambda p: p.write_bytes(b"paper = '\xe9'"), "is not UTF-8 text"),
}  # fmt: skip


@pytest.mark.parametrize("given", [True, False], ids=["--config", "./leaflet.toml"])
@pytest.mark.parametrize(("make", "said"), NOT_A_SETTINGS_FILE.values(), ids=NOT_A_SETTINGS_FILE)
def test_a_settings_file_that_cannot_be_read_is_one_line_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], object],
    said: str, given: bool,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "leaflet.toml")
    with pytest.raises(ConfigError) as raised:
        load_config(Path("leaflet.toml") if given else None)
    message = str(raised.value)
    assert message.startswith(f"leaflet.toml: {said}") and "\n" not in message
    if said.startswith("is not UTF-8") or said == LINK_LOOP:
        return  # what to do is to save it as UTF-8, or mend the link, wherever it was named
    advice = "check the --config path" if given else "(or give --config FILE)"
    assert message.endswith(advice)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("paper", "A5", "A5"),
        ("large_print", "true", True),
        ("large_print", " False ", False),
        ("review_months", "24", 24),
        ("published", "2025-03-01", date(2025, 3, 1)),
        ("language", "en-gb", "en-GB"),
        ("language", "EN", "en"),
        ("base_url", "https://x.example/l", "https://x.example/l/"),
        ("signoff.feedback_email", "a.b+c@x.example", "a.b+c@x.example"),
        ("signoff.feedback_phone", "(01632) 960-001", "(01632) 960-001"),
        ("clinic.website", "", ""),
        ("clinic.website", "https://gp.example/a%3C'b'(c)~!*$", "https://gp.example/a%3C'b'(c)~!*$"),
        ("base_url", "https://gp.example/é/", "https://gp.example/é/"),  # a browser encodes it
    ],
)
def test_form_values_are_parsed(name: str, text: str, expected: object) -> None:
    assert parse_option(name, text) == expected
    assert check_option(name, text) is None


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("large_print", "yes", "large_print must be true or false, not 'yes'"),
        ("review_months", "1.5", "review_months must be a whole number of months"),
        ("review_months", "61", "review_months must be from 1 to 60, not 61"),
        ("review_months", "9" * 50, "review_months must be"),
        ("published", "2025-02-30", "published must be a date"),
        ("published", "9999-06-01", "out of range"),
        ("paper", "", "paper must be one of A4, A5, letter"),
        ("signoff.feedback_email", "x", "write it like leaflets@clinic.example"),
        ("clinic.logo", "nope.png", "does not exist"),
        ("clinic.fax", "1", "unknown key 'clinic.fax'"),
        *[  # what a web address never holds unescaped: the QR code or a link would stop there
            (key, f"https://gp.example/a{ch}b/", f"contains {ch}; write %{ord(ch):02X}")
            for key in ("base_url", "clinic.website")
            for ch in '<>"{}|\\^`'
        ],
    ],
)
def test_form_messages(name: str, value: str, words: str, tmp_path: Path) -> None:
    message = check_option(name, value, folder=tmp_path)
    assert message is not None and words in message and "\n" not in message


def test_parse_config_from_a_mapping() -> None:
    config = parse_config({"paper": "A5", "signoff": {"version": "3"}})
    assert (config.paper, config.signoff.version) == ("A5", "3")
    with pytest.raises(ConfigError, match="^signoff.version must be text"):
        parse_config({"signoff": {"version": 3}})


def test_every_default_passes_its_own_check(tmp_path: Path) -> None:
    for declared in OPTIONS:
        if declared.default is not None:
            assert check_option(declared.name, declared.default, folder=tmp_path) is None


def test_options_are_the_fields() -> None:
    config = LeafletConfig(published=date(2025, 1, 1))
    for declared in OPTIONS:
        holder = getattr(config, declared.table) if declared.table else config
        if declared.default is not None:
            assert getattr(holder, declared.key) == declared.default, declared.name
    # every free text has a limit, and only the address has more than one line
    assert all(o.max_length for o in OPTIONS if o.kind == "string" and not o.choices)
    assert {o.name for o in OPTIONS if o.lines > 1} == {"clinic.address"}
    assert option("clinic.logo").default_text == "none"
    assert option("paper").choices == ("A4", "A5", "letter")
    assert len({o.name for o in OPTIONS}) == len(OPTIONS)
    with pytest.raises(ConfigError, match="did you mean 'paper'"):
        option("papr")


def test_the_module_docstring_lists_every_option() -> None:
    import pipeline.config

    doc = pipeline.config.__doc__ or ""
    for declared in OPTIONS:
        assert f"``{declared.heading}`` ({declared.kind}, default {declared.default_text})" in doc
        assert f"    {declared.help}." in doc


def readme_rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_the_readme_table_is_the_declarations() -> None:
    rows = readme_rows()
    assert [row[0] for row in rows] == [f"`{o.heading}`" for o in OPTIONS]
    for row, declared in zip(rows, OPTIONS, strict=True):
        default = (
            f"`{declared.default_text}`" if declared.default is not None else declared.default_text
        )
        assert row == [f"`{declared.heading}`", declared.kind, default, declared.help]


_KEY_LINE = re.compile(r"^(# )?([a-z_]+) = (.*)$")


def example_keys() -> list[tuple[str, str, bool, str, str]]:
    """(table, key, commented out, value text, help line above) for each key line."""
    found, table, previous = [], "", ""
    for line in EXAMPLE.read_text("utf-8").splitlines():
        if line.startswith("["):
            table = line.strip("[]")
        elif match := _KEY_LINE.match(line):
            found.append((table, match[2], bool(match[1]), match[3], previous))
        previous = line
    return found


def test_the_example_lists_every_key_with_its_help_and_default() -> None:
    found = example_keys()
    assert [(t, k) for t, k, *_ in found] == [(o.table, o.key) for o in OPTIONS]
    for (_, _, _, value_text, help_line), declared in zip(found, OPTIONS, strict=True):
        assert help_line == f"# {declared.help}", declared.name
        value = tomllib.loads(f"v = {value_text}")["v"]
        if value != declared.default:
            assert value_text.endswith(f"  # default: {declared.default_text}"), declared.name


def test_the_example_is_valid_with_every_line_uncommented(tmp_path: Path) -> None:
    config = load_config(EXAMPLE)
    assert config.clinic.name == "Riverside Surgery"
    assert config.paper == "A4" and not config.reading_level_note
    text = re.sub(r"^# ([a-z_]+ = )", r"\1", EXAMPLE.read_text("utf-8"), flags=re.MULTILINE)
    (tmp_path / "logo.png").write_bytes(png())
    every = load_config(write(tmp_path, text))
    assert every.signoff.feedback_email and every.base_url and every.clinic.logo


@pytest.mark.parametrize(
    ("paper", "large_print", "expected"),
    [
        (None, None, ("A4", False)),
        ("A5", None, ("A5", False)),
        (None, True, ("A4", True)),
        ("letter", False, ("letter", False)),
    ],
)
def test_overrides(paper: str | None, large_print: bool | None, expected: tuple[str, bool]) -> None:
    base = LeafletConfig(published=date(2025, 1, 1))
    new = apply_overrides(base, paper=paper, large_print=large_print)
    assert (new.paper, new.large_print) == expected
    assert base.paper == "A4"  # a new object; the old one is unchanged


@pytest.mark.parametrize("paper", ["A3", "a4", ""])
def test_bad_paper_override(paper: str) -> None:
    with pytest.raises(ConfigError, match="--paper"):
        apply_overrides(LeafletConfig(), paper=paper)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 5), 12, date(2026, 3, 5)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2999, 12, 31), 60, date(3004, 12, 31)),  # the latest date a config allows
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_fingerprint_is_stable_and_sensitive(logo_folder: Path) -> None:
    config = load_config(write(logo_folder, FULL))
    first = config_fingerprint(config)
    assert first == config_fingerprint(load_config(logo_folder / "leaflet.toml"))
    changed = {
        config_fingerprint(replace(config, paper="A4")),
        config_fingerprint(replace(config, large_print=False)),
        config_fingerprint(replace(config, published=date(2025, 3, 6))),
        config_fingerprint(replace(config, clinic=replace(config.clinic, phone="0"))),
        config_fingerprint(replace(config, signoff=replace(config.signoff, version="3"))),
        config_fingerprint(replace(config, base_url="")),
    }
    assert first not in changed and len(changed) == 6
    assert config.clinic.logo is not None
    config.clinic.logo.write_bytes(png((121, 40)))
    assert config_fingerprint(config) != first


# What a user sees: one line on standard error, status 1, never a traceback.
CLI_CASES = [
    ("not UTF-8", b"paper = 'A4' # caf\xe9\n", {}, "is not UTF-8 text"),
    ("published 9999", b"published = 9999-06-01\n", {}, "published 9999-06-01 is out of range"),
    ("epoch negative", b"", {"SOURCE_DATE_EPOCH": "-1"}, "SOURCE_DATE_EPOCH='-1'"),
    ("epoch huge", b"", {"SOURCE_DATE_EPOCH": "9" * 30}, "SOURCE_DATE_EPOCH="),
]


@pytest.mark.parametrize(
    ("content", "env", "words"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_the_command_line_reports_config_errors_in_one_line(
    content: bytes, env: dict[str, str], words: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nA sentence.\n", encoding="utf-8")
    config = tmp_path / "leaflet.toml"
    config.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "a.txt", "-o", "out", "--format", "html"],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, **env},
        check=False,
    )
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1 and words in stderr, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("leaflet: ")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content",
    [FULL.encode("utf-8"), b'paper = "B5"\n', b"[clinic]\nfax = 1\n", b"\xef\xbb\xbf# only\n"],
)
def test_read_config_gives_the_text_and_data_unchecked(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "leaflet.toml"
    path.write_bytes(content)
    text, data = read_config(path)
    assert text == content.decode("utf-8-sig") and data == tomllib.loads(text)


@pytest.mark.parametrize(
    "content",
    [
        error[1]
        for error in ERRORS
        if error[0] in ("not TOML", "deep key", "not UTF-8", "too large")
    ],
)
def test_read_config_refuses_a_file_as_load_config_does(
    content: str | bytes, tmp_path: Path
) -> None:
    path = tmp_path / "leaflet.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ConfigError) as loading:
        load_config(path)
    with pytest.raises(ConfigError) as reading:
        read_config(path)
    assert str(reading.value) == str(loading.value)
