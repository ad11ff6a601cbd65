"""Markdown inline markup out of Markdown text (pipeline.structure.markup)."""

from __future__ import annotations

import pytest

from pipeline.structure.markup import strip_inline_markup


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # emphasis keeps its words
        ("**Important:** take it with food.", "Important: take it with food."),
        ("Read this *leaflet* first.", "Read this leaflet first."),
        ("An _old_ and __strong__ word.", "An old and strong word."),
        ("***Both*** and **_nested_**", "Both and nested"),
        ("**Do not** drive *after* it.", "Do not drive after it."),
        # code spans keep their text as written, markup inside included
        ("Type `rm -rf` here.", "Type rm -rf here."),
        ("`**not bold**` and `` a`b ``", "**not bold** and a`b"),
        # links, images, addresses
        ("See [NHS](https://www.nhs.uk).", "See NHS (https://www.nhs.uk)."),
        ("[**NHS** site](https://www.nhs.uk/a_b_c)", "NHS site (https://www.nhs.uk/a_b_c)"),
        ('[NHS](https://www.nhs.uk "NHS home")', "NHS (https://www.nhs.uk)"),
        ("[https://nhs.uk](https://nhs.uk)", "https://nhs.uk"),
        ("![A chart of doses](chart.png)", "A chart of doses"),
        ("Go to <https://www.nhs.uk>.", "Go to https://www.nhs.uk."),
        ("**https://www.nhs.uk**", "https://www.nhs.uk"),
        ("__https://www.nhs.uk/a_b__", "https://www.nhs.uk/a_b"),
        # escapes give the character
        (r"\*not emphasis\* and 1\. here", "*not emphasis* and 1. here"),
        # negative rows: what only looks like markup stays exactly as it is
        ("5 * 3 * 2 = 30", "5 * 3 * 2 = 30"),
        ("5*3*2 = 30", "5*3*2 = 30"),
        ("a ** b and c __ d", "a ** b and c __ d"),
        ("snake_case_name and my_file_v2_", "snake_case_name and my_file_v2_"),
        ("See https://example.org/_a_/b*c* now", "See https://example.org/_a_/b*c* now"),
        ("**unclosed and *also", "**unclosed and *also"),
        ("[not a link] (https://x.org)", "[not a link] (https://x.org)"),
        ("Costs £5 (approx.) [sic]", "Costs £5 (approx.) [sic]"),
        ("Reserved \ufdd0 mark *here*", "Reserved \ufdd0 mark here"),
        ("Plain text stays plain.", "Plain text stays plain."),
        ("", ""),
    ],
)
def test_strip_inline_markup(text: str, expected: str) -> None:
    assert strip_inline_markup(text) == expected
