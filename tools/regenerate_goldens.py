"""Regenerate the golden outputs the tests compare against; review the diff before committing.

- ``tests/data/sample/botox-beyond-beauty.expected.txt``: the cleaned sample. It was first
  written by reading the article; regenerate only after reading what changed.

The dev articles' expected outputs (``tests/data/dev/expected``) come from the editors and
are never regenerated.

Run: ``make goldens`` then ``git diff tests/data``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import clean  # noqa: E402

GOLDENS = {
    ROOT / "raw" / "botox-beyond-beauty.txt": ROOT
    / "tests"
    / "data"
    / "sample"
    / "botox-beyond-beauty.expected.txt",
}


def main() -> None:
    for source, golden in GOLDENS.items():
        text = clean(source.read_text("utf-8")).text
        changed = not golden.exists() or golden.read_text("utf-8") != text
        golden.write_text(text, "utf-8")
        print(f"{'updated' if changed else 'same   '} {golden.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
