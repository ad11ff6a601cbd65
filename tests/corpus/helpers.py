"""Running ``leaflet clean`` on a corpus and reading what it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline import clean
from pipeline.cli import main
from pipeline.corpus.record import CHANGE_LIST, CHANGES, ERROR, SUSPECTS
from tests.corpus.conftest import BAD_IDS, HUGE, Corpus

PART_SIZE = "40KB"  # small, so the test corpora make several parts


def run(corpus: Path | str, out: Path, *extra: str) -> int:
    """``leaflet clean CORPUS -o OUT`` with small parts; its exit status."""
    return main(["clean", str(corpus), "-o", str(out), "--part-size", PART_SIZE, *extra])


def parts(out: Path) -> dict[str, bytes]:
    """Every output part, by name, as bytes."""
    return {p.name: p.read_bytes() for p in sorted(out.glob("part-*"))}


def report(out: Path) -> dict[str, Any]:
    """The report, less what differs between runs (the engine and the time taken)."""
    data: dict[str, Any] = json.loads((out / "_report.json").read_text("utf-8"))
    del data["engine"], data["seconds"]
    return data


def records(out: Path) -> list[dict[str, Any]]:
    """The output records, in part order (Parquet or JSON Lines parts)."""
    found: list[dict[str, Any]] = []
    for path in sorted(out.glob("part-*")):
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            found += pq.read_table(path).to_pylist()
        else:
            import gzip

            import zstandard

            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            elif path.name.endswith(".zst"):
                data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
            found += [json.loads(line) for line in data.splitlines()]
    return found


def check_records(corpus: Corpus, out: Path) -> None:
    """Every input record is in the output exactly once, with its text cleaned as
    :func:`pipeline.clean` cleans it, its other fields untouched, and the bad ones kept
    with an error."""
    written = records(out)
    ids = [r["id"] for r in written]
    assert sorted(ids) == sorted(r["id"] for r in corpus.records)
    assert len(set(ids)) == len(ids)
    by_id = {r["id"]: r for r in written}
    for record in corpus.records:
        got = by_id[record["id"]]
        assert got["source"] == record["source"]
        text = record["text"]
        if record["id"] in BAD_IDS or not isinstance(text, str):
            expect_failure(record, got)
            continue
        cleaned = clean(text)
        assert got["text"] == cleaned.text
        assert got[ERROR] is None
        assert sum(got[CHANGES].values()) == len(cleaned.changes)
        assert got[SUSPECTS] == len(cleaned.suspects)
        if got.get(CHANGE_LIST) is not None:  # --with-changes: compact JSON, on one line
            assert got[CHANGE_LIST] == compact(json.loads(cleaned.changes_json()))


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def expect_failure(record: dict[str, Any], got: dict[str, Any]) -> None:
    text = record["text"]
    if text == "":
        assert got["text"] == "" and got[ERROR] is None  # empty is text: nothing to do
    elif text is None:
        assert got["text"] is None and "null" in got[ERROR]
    elif isinstance(text, str):
        assert len(text) == HUGE and got["text"] == text and "too large" in got[ERROR]
    else:
        assert got["text"] in (text, json.dumps(text)) and "not text" in got[ERROR]
