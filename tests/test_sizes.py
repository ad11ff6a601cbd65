"""Every size option reads sizes the same way, and refuses them with the same message."""

from __future__ import annotations

import pytest

from pipeline.cli import _parse, _parser
from pipeline.errors import echo
from pipeline.sizes import parse_size, show_size

# (command, option, attribute): every option that takes a size
OPTIONS = [
    (["clean", "a.txt"], "--max-size", "max_size"),
    (["build", "a.txt", "-o", "out"], "--max-size", "max_size"),
    (["explain", "a.txt"], "--max-size", "max_size"),
    (["clean", "a.jsonl", "-o", "out"], "--part-size", "part_size"),
    (["clean", "a.jsonl", "-o", "out"], "--max-record-size", "max_record_size"),
]
SPELLINGS = [
    ("4M", 4_000_000),
    ("4MB", 4_000_000),
    ("4mb", 4_000_000),
    ("4 MB", 4_000_000),
    ("4MiB", 4 * 2**20),
    ("4Mi", 4 * 2**20),
    ("100k", 100_000),
    ("100K", 100_000),
    ("100KB", 100_000),
    ("64KiB", 65_536),
    ("1.5G", 1_500_000_000),
    ("1.5GB", 1_500_000_000),
    ("2000", 2000),
    ("2000B", 2000),
    (" 50M ", 50_000_000),
]
NOT_SIZES = ["", "lots", "MB", "4 parsecs", "0", "0.1", "1e6", "4MBs", "4TB", "4 M B", "4.M"]


@pytest.mark.parametrize(("command", "option", "attribute"), OPTIONS)
@pytest.mark.parametrize(("value", "expected"), SPELLINGS)
def test_every_size_option_reads_every_spelling(
    command: list[str], option: str, attribute: str, value: str, expected: int
) -> None:
    args = _parse(_parser(), [*command, option, value])
    assert getattr(args, attribute) == expected


@pytest.mark.parametrize(("command", "option", "attribute"), OPTIONS)
@pytest.mark.parametrize("value", NOT_SIZES)
def test_every_size_option_refuses_the_same_way(
    command: list[str],
    option: str,
    attribute: str,
    value: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        _parse(_parser(), [*command, option, value])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (
        f"leaflet: {option}: {value!r} is not a size; "
        "write it as 4M, 4MB, 64KiB or a number of bytes\n"
    )


@pytest.mark.parametrize("value", [*NOT_SIZES, "-1MB", "1,000", "½M"])  # argparse takes -1MB
def test_parse_size_refuses_what_is_not_a_size(value: str) -> None:
    with pytest.raises(ValueError, match=r"is not a size; write it as 4M, 4MB, 64KiB or"):
        parse_size(value)


LARGEST = [  # a size, and whether it is over the largest any option takes (1000G)
    ("99999999999999999999G", True),
    ("9" * 400, True),  # a float of infinity
    ("1001G", True),
    ("1000.5GB", True),
    ("1000G", False),
    ("100G", False),
    ("1000GB", False),
]


@pytest.mark.parametrize(("command", "option", "attribute"), OPTIONS)
@pytest.mark.parametrize(("value", "over"), LARGEST)
def test_every_size_option_refuses_more_than_the_largest_size(
    command: list[str], option: str, attribute: str, value: str, over: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not over:
        assert getattr(_parse(_parser(), [*command, option, value]), attribute) == parse_size(value)
        return
    with pytest.raises(SystemExit) as stop:
        _parse(_parser(), [*command, option, value])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (
        f"leaflet: {option}: {echo(value)} is over the largest size, 1000GB; give a smaller size\n"
    )


@pytest.mark.parametrize("size", [1, 999, 1000, 4_000_000, 65_536, 3 * 2**30, 1_234_567])
def test_a_shown_size_reads_back_as_itself(size: int) -> None:
    assert parse_size(show_size(size)) == size
