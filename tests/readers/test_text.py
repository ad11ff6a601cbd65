"""Text files: the encoding found per file, ``--encoding`` forcing one, and a detection
that is not sure being an error that names the file."""

from __future__ import annotations

import codecs

import pytest

from pipeline.errors import InputError
from pipeline.readers.text import decode

ENGLISH = "The “patient’s” café visit – naïve résumé, £5 each.\nSecond line.\n"


@pytest.mark.parametrize(
    ("label", "data", "expected"),
    [
        ("utf-8", ENGLISH.encode("utf-8"), ENGLISH),
        ("cp1252", ENGLISH.encode("cp1252"), ENGLISH),
        ("latin-1 short", "Café\n".encode("latin-1"), "Café\n"),
        ("utf-16 with a BOM", ENGLISH.encode("utf-16"), ENGLISH),
        ("utf-16-le without a BOM", ENGLISH.encode("utf-16-le"), ENGLISH),
        ("utf-8 with a BOM", codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), ENGLISH),
        ("ascii", b"Plain text.\n", "Plain text.\n"),
    ],
)
def test_encoding_is_found_per_file(label: str, data: bytes, expected: str) -> None:
    assert decode(data, f"{label}.txt") == expected


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        ("naïve".encode("cp1252"), "cp1250", "naďve"),  # forced, though cp1252 is likelier
        ("naïve".encode(), "latin-1", "naÃ¯ve"),  # forced, though it is valid UTF-8
    ],
)
def test_encoding_option_wins_over_detection(data: bytes, encoding: str, expected: str) -> None:
    assert decode(data, "a.txt", encoding) == expected


@pytest.mark.parametrize(
    ("label", "data", "message"),
    [
        ("koi8-r", "Привет, как дела? Это статья.".encode("koi8_r"), "--encoding"),
        ("high bytes", bytes(range(128, 256)) * 3, "--encoding"),
        ("nul bytes", b"abc\x00def", "binary file"),
        ("zip", b"PK\x03\x04" + b"x" * 40, "binary file"),
    ],
)
def test_unsure_detection_is_an_error_naming_the_file(
    label: str, data: bytes, message: str
) -> None:
    with pytest.raises(InputError) as raised:
        decode(data, f"inbox/{label}.txt")
    text = str(raised.value)
    assert text.startswith(f"inbox/{label}.txt: ") and message in text and "\n" not in text
