"""The static review page that ``leaflet build`` writes beside the leaflets."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.review import clean_reviewed
from pipeline.studio.marking import token
from pipeline.studio.review_page import render_review_page, write_review_page
from tests.studio.conftest import SAMPLE


def test_the_static_page_marks_every_change_and_needs_no_script(tmp_path: Path) -> None:
    text = SAMPLE.read_text("utf-8")
    plain = clean_reviewed(text)
    key = next(m.key for m in plain.marks if m.key.stage == "commas")
    reviewed = clean_reviewed(text, rejected={key})
    path = tmp_path / "review" / "botox.html"
    write_review_page(path, reviewed, title="Botox <beyond>", source="raw/botox.txt")
    page = path.read_text("utf-8")
    assert "<script" not in page and "<button" not in page and "<form" not in page
    assert not re.search(r"(src|href)=|url\(|https?://", page)  # nothing fetched
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    keys = re.findall(r'class="chg" data-stage="\w+" data-rule="[\w-]+" data-key="(\w+)"', page)
    assert sorted(keys) == sorted(token(m) for m in reviewed.marks)
    assert page.count('data-rejected="true"') >= 1
    assert "Botox &lt;beyond&gt;" in page and "Botox <beyond>" not in page
    # every cluster can be reached with Tab, since there are no buttons to reach
    assert (
        page.count('class="cl"')
        == page.count('class="cl" id=')
        == len(re.findall(r'class="cl" id="[^"]+" tabindex="0"', page))
    )


def test_a_page_with_nothing_to_review(tmp_path: Path) -> None:
    page = render_review_page(clean_reviewed("A title\n\nPlain text.\n"), title="T", source="t.txt")
    assert "Plain text." in page and 'class="chg" data' not in page
