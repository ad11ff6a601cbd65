"""Hostile corpora and misuse: each is reported in one line naming the file, and every
record that can be read is still cleaned."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import pipeline
from pipeline.cli import main
from pipeline.corpus.record import CHANGES, ERROR
from tests.corpus.conftest import DEV, write_jsonl
from tests.corpus.helpers import compact, records, report, run

ARTICLE = (DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt").read_text("utf-8")


def good(folder: Path, name: str = "good.jsonl", count: int = 3) -> list[dict[str, Any]]:
    rows = [{"id": f"g{n}", "text": ARTICLE} for n in range(count)]
    folder.mkdir(parents=True, exist_ok=True)
    write_jsonl(folder / name, rows, {})
    return rows


def test_a_glob_that_matches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(f"{tmp_path}/*.jsonl", tmp_path / "out") == 1
    assert (
        capsys.readouterr().err
        == f"leaflet: {tmp_path}/*.jsonl: matches no file; check the pattern\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.parquet", b'{"text": "a"}\n', "is not a Parquet file, as its name says"),
        ("fake.jsonl.gz", b'{"text": "a"}\n', "is not gzip-compressed, as its name says"),
        ("fake.jsonl.zst", b'{"text": "a"}\n', "is not zstd-compressed, as its name says"),
        ("fake.jsonl", gzip.compress(b'{"text": "a"}\n'), "is gzip-compressed, not JSON Lines"),
        ("fake.jsonl", b"PAR1" + bytes(100), "is a Parquet file, not JSON Lines"),
        ("cut.parquet", b"PAR1" + bytes(100), "is not a readable Parquet file"),
        ("noise.jsonl", b"\x00\xff garbage\n" * 150, "is not JSON Lines (no line of the first 100"),
    ],
)
def test_a_file_that_is_not_what_its_name_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(data)
    rows = good(tmp_path / "in")
    assert run(tmp_path / "in", tmp_path / "out") == 1  # something could not be read
    assert f"{tmp_path / 'in' / name}: {message}" in capsys.readouterr().err
    assert [r["id"] for r in records(tmp_path / "out")] == [r["id"] for r in rows]
    assert message in " ".join(report(tmp_path / "out")["unreadable"])


def test_a_truncated_gzip_keeps_the_records_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"id": f"r{n}", "text": ARTICLE} for n in range(40)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode(), mtime=0)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 3 // 4])
    assert run(tmp_path / "cut.jsonl.gz", tmp_path / "out") == 1
    assert "cut.jsonl.gz: reading stopped after line" in capsys.readouterr().err
    kept = [r["id"] for r in records(tmp_path / "out")]
    assert 0 < len(kept) < 40 and kept == [f"r{n}" for n in range(len(kept))]


def test_records_without_the_text_field_or_with_odd_values(tmp_path: Path) -> None:
    rows = [
        {"id": "plain", "text": ARTICLE},
        {"id": "missing", "body": ARTICLE},
        {"id": "object", "text": {"body": ARTICLE}},
        {"id": "list", "text": [ARTICLE]},
        {"id": "true", "text": True},
        {"id": "surrogate", "text": "a\ud800b"},
    ]
    write_jsonl(tmp_path / "c.jsonl", rows, {})
    for out in ("out.jsonl", "out"):  # JSON Lines keep every value; Parquet its JSON text
        assert run(tmp_path / "c.jsonl", tmp_path / out) == 0
    errors = {r["id"]: r[ERROR] for r in records(tmp_path / "out.jsonl")}
    assert errors == {
        "plain": None,
        "missing": "no text: the record has no 'text' field",
        "object": "not text: the 'text' field is an object",
        "list": "not text: the 'text' field is a list",
        "true": "not text: the 'text' field is true or false",
        "surrogate": "not text: a lone surrogate (U+D800 at character 1), which UTF-8 cannot hold",
    }
    kept = {r["id"]: r.get("text") for r in records(tmp_path / "out.jsonl")}
    assert kept["object"] == {"body": ARTICLE} and kept["surrogate"] == "a\ud800b"
    assert "text" not in records(tmp_path / "out.jsonl")[1]
    in_parquet = {r["id"]: r["text"] for r in records(tmp_path / "out")}
    assert json.loads(in_parquet["object"]) == {"body": ARTICLE}
    assert in_parquet["true"] == "true" and in_parquet["surrogate"] == "a\ufffdb"
    assert in_parquet["missing"] is None and "an’" not in in_parquet["plain"]


def test_records_that_hold_no_text_keep_their_value_with_an_error(tmp_path: Path) -> None:
    """Each was 'cleaned' without an error: to nothing, or to an ellipsis (NEL)."""
    blank = {
        "zero-width": "\u200b\u200b\u200b\n",
        "soft-hyphens": "\u00ad\u00ad\u2060",
        "blank": " \n\t\n\u2028\u0085\n",
        "bom": "\ufeff",
        "controls": "\x07\x07",
    }
    rows = [{"id": "plain", "text": ARTICLE}, {"id": "empty", "text": ""}]
    rows += [{"id": key, "text": text} for key, text in blank.items()]
    write_jsonl(tmp_path / "c.jsonl", rows, {})
    said = "no text: the 'text' field holds only blank space or invisible characters"
    for out in ("out.jsonl", "out"):
        assert run(tmp_path / "c.jsonl", tmp_path / out) == 0  # a record's error loses nothing
        got = {r["id"]: r for r in records(tmp_path / out)}
        assert {key: got[key][ERROR] for key in blank} == dict.fromkeys(blank, said)
        assert {key: got[key]["text"] for key in blank} == blank  # kept as it was
        assert got["plain"][ERROR] is None and got["empty"][ERROR] is None
        assert sum(got["zero-width"][CHANGES].values()) == 0
    assert report(tmp_path / "out")["failed"] == len(blank)


def test_lines_that_are_not_records_are_reported_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"id": f"r{n}", "text": ARTICLE} for n in range(30)]
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    bad = {2: "[1, 2]", 11: deep, 20: '{"text": "cut', 29: "\x00"}
    write_jsonl(tmp_path / "c.jsonl", rows, bad)
    assert run(tmp_path / "c.jsonl", tmp_path / "out", "--part-size", "20KB") == 1
    found = report(tmp_path / "out")["malformed"]
    assert [m["line"] for m in found] == [3, 13, 23, 33]  # each bad line pushes the rest on
    assert [m["problem"].split(" (")[0] for m in found] == [
        "not a JSON object but list",
        "not read: JSON nested too deeply",
        "not valid JSON",
        "not valid JSON",
    ]
    assert len(records(tmp_path / "out")) == 30
    assert f"{tmp_path / 'c.jsonl'}:13: not read: JSON nested too deeply" in capsys.readouterr().err


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    rows = good(tmp_path)
    out = tmp_path / "cleaned.jsonl"  # a folder whose name a glob of *.jsonl matches
    assert run(tmp_path, out) == 0
    assert run(f"{tmp_path}/*.jsonl", out, "--resume") == 0
    assert run(f"{tmp_path}/**/*.jsonl", out, "--resume") == 0
    assert [r["id"] for r in records(out)] == [r["id"] for r in rows]


def test_an_input_inside_the_output_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good(tmp_path / "out")
    assert run(tmp_path / "out" / "good.jsonl", tmp_path / "out") == 1
    assert "is inside the output folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--encoding", "cp1252"], "--encoding: not for a corpus"),
        (["--changes", "c.json"], "--changes: not for a corpus; for a corpus, --with-changes"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler: a Dask scheduler is used with"),
    ],
)
def test_article_options_are_refused_for_a_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    good(tmp_path)
    assert run(tmp_path / "good.jsonl", tmp_path / "out", *extra) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_corpus_needs_an_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good(tmp_path)
    assert main(["clean", str(tmp_path / "good.jsonl")]) == 1
    assert "a corpus is cleaned into a folder; give it with -o" in capsys.readouterr().err


def test_fields_whose_type_changes_between_parts_give_one_schema(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = [{"id": n, "text": ARTICLE, "score": None} for n in range(12)]
    rows[0]["score"] = {}  # Parquet cannot store an empty object
    rows[3]["when"] = "2024-01-01"
    rows[8]["score"] = 0.5
    rows[10]["score"] = "high"  # a string where the other parts hold numbers
    rows[11]["extra"] = {"nested": [1, 2, {"deep": True}]}  # a list of mixed types
    write_jsonl(tmp_path / "c.jsonl", rows, {})
    assert run(tmp_path / "c.jsonl", tmp_path / "out", "--part-size", "10KB") == 0
    assert len(list((tmp_path / "out").glob("part-*"))) >= 4
    table = pq.read_table(tmp_path / "out")  # one schema: the folder reads as one table
    assert table.column_names[:3] == ["id", "text", "score"]
    assert sorted(table.column("id").to_pylist()) == list(range(12))
    scores = dict(
        zip(table.column("id").to_pylist(), table.column("score").to_pylist(), strict=True)
    )
    assert (scores[0], scores[8], scores[10], scores[1]) == ("{}", "0.5", '"high"', None)
    assert report(tmp_path / "out")["columns_as_json_text"] == ["score", "extra"]
    extra = dict(
        zip(table.column("id").to_pylist(), table.column("extra").to_pylist(), strict=True)
    )
    assert json.loads(extra[11]) == {"nested": [1, 2, {"deep": True}]} and extra[0] is None
    assert table.schema.field("when").type == "string"


def test_an_empty_file_gives_an_empty_finished_output(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert run(tmp_path / "empty.jsonl", tmp_path / "out") == 0
    assert (tmp_path / "out" / "_SUCCESS").exists()
    assert report(tmp_path / "out")["records"] == 0


def test_other_text_and_id_fields(tmp_path: Path) -> None:
    rows = [{"key": f"k{n}", "body": ARTICLE if n % 2 else "Plain text."} for n in range(6)]
    write_jsonl(tmp_path / "c.jsonl", rows, {})
    status = run(tmp_path / "c.jsonl", tmp_path / "out", "--text-field", "body",
                 "--id-field", "key", "--with-changes")  # fmt: skip
    assert status == 0
    written = records(tmp_path / "out")
    assert [sum(r[CHANGES].values()) > 0 for r in written] == [n % 2 == 1 for n in range(6)]
    as_written = written[1]["leaflet_changes_json"]
    plan = json.loads(as_written)["changes"]
    assert as_written == compact(json.loads(as_written))  # one line, no spaces
    assert len(plan) == sum(written[1][CHANGES].values()) and plan[0]["stage"]
    damaged = report(tmp_path / "out")["most_damaged"]
    assert {d["id"] for d in damaged} == {"k1", "k3", "k5"}
    assert {d["line"] for d in damaged} == {2, 4, 6}


def _pa_types() -> dict[str, Any]:
    """Arrow types by a short name, for the tables below (pyarrow is imported lazily)."""
    import pyarrow as pa

    string = pa.dictionary(pa.int32(), pa.string())
    return {
        "string": pa.string(),
        "large": pa.large_string(),
        "dict": string,
        "dict-large": pa.dictionary(pa.int8(), pa.large_string()),
        "int": pa.int64(),
        "struct-dict": pa.struct([("k", string)]),
        "struct": pa.struct([("k", pa.string())]),
    }


@pytest.mark.parametrize(
    ("first", "second", "unified", "as_json"),
    [
        # a dictionary-encoded column (a pandas Categorical) is its values' type
        ("string", "dict", "string", False),
        ("dict", "string", "string", False),
        ("large", "dict", "large", False),
        ("dict-large", "string", "large", False),
        ("dict", "dict", "string", False),
        ("struct-dict", "struct", "struct", False),
        # values of two types stay JSON text, encoded or not
        ("int", "dict", "string", True),
        ("string", "large", "large", False),
    ],
)  # fmt: skip
def test_dictionary_columns_unify_with_their_values_type(
    first: str, second: str, unified: str, as_json: bool
) -> None:
    import pyarrow as pa

    from pipeline.corpus.write import common_schema, conform

    kinds = _pa_types()
    values = {"int": [1], "struct-dict": [{"k": "a"}], "struct": [{"k": "a"}]}
    tables = [
        pa.table({"c": pa.array(values.get(name, ["a"])).cast(kinds[name])})
        for name in (first, second)
    ]
    schema, json_columns = common_schema([t.schema for t in tables])
    assert schema.field("c").type == kinds[unified]
    assert json_columns == (["c"] if as_json else [])
    if not as_json:
        assert [conform(t, schema, []).column("c").to_pylist() for t in tables] == [
            values.get(first, ["a"]), values.get(second, ["a"])
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second"),
    [("string", "dict"), ("dict", "dict"), ("large", "dict"), ("string", "string")],
)
def test_a_categorical_text_column_stays_plain_text(
    tmp_path: Path, first: str, second: str
) -> None:
    """A Parquet corpus whose text (and another column) is a Categorical in one file and
    plain text in another: every text stays text, never its JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = _pa_types()
    text = "Take one c\u0435l\u0435brat\u0435d tablet an’ rest."
    (tmp_path / "in").mkdir()
    for name, kind in (("a", first), ("b", second)):
        table = pa.table({"text": pa.array([text]).cast(kinds[kind]),
                          "tag": pa.array([name]).cast(kinds[kind])})  # fmt: skip
        pq.write_table(table, tmp_path / "in" / f"{name}.parquet")
    assert run(tmp_path / "in", tmp_path / "out") == 0
    table = pq.read_table(tmp_path / "out")
    cleaned = pipeline.clean(text).text
    assert table.column("text").to_pylist() == [cleaned, cleaned] != [text, text]
    assert table.column("tag").to_pylist() == ["a", "b"]
    assert report(tmp_path / "out")["columns_as_json_text"] == []


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    write_jsonl(path, rows, {})


def _parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path.with_suffix(".parquet"))


OWN = "which leaflet writes itself; rename or remove that field (leaflet's own output? " \
      "clean the corpus it was made from)"  # fmt: skip


@pytest.mark.parametrize(
    ("write", "rows", "extra", "status", "message", "kept"),
    [
        # a field leaflet writes itself, in the first record or a Parquet file's columns:
        # the run is refused before any work, naming the file and the field
        (_jsonl, [{"text": "a", "leaflet_error": "mine"}], [], 1,
         f"leaflet: c.jsonl: has a field 'leaflet_error', {OWN}\n", None),
        (_parquet, [{"text": "a", "leaflet_changes": 3}], [], 1,
         f"leaflet: c.parquet: has a field 'leaflet_changes', {OWN}\n", None),
        (_jsonl, [{"text": "a", "leaflet_changes_json": "[]"}], [], 1,
         f"leaflet: c.jsonl: has a field 'leaflet_changes_json', {OWN}\n", None),
        (_jsonl, [{"text": "a"}], ["--text-field", "leaflet_error"], 1,
         "leaflet: text field 'leaflet_error': is a field leaflet writes itself; name the "
         "field that holds the text\n", None),
        # in a later record: that line is skipped and reported, the others cleaned
        (_jsonl, [{"text": "a"}, {"text": "b", "leaflet_suspects": 9}], [], 1,
         f"skipped    c.jsonl:2: has a field 'leaflet_suspects', {OWN}\n", ["a"]),
        # names that are only like leaflet's are the corpus's own, kept as they are
        (_jsonl, [{"text": "a", "leaflet": 1, "leaflet_errors": "x"}], [], 0, None, ["a"]),
        (_parquet, [{"text": "a", "Leaflet_Error": "x"}], [], 0, None, ["a"]),
    ],
    ids=["first-record", "parquet-column", "changes-json", "text-field", "later-record",
         "similar-names", "similar-column"],
)  # fmt: skip
def test_fields_named_as_leaflets_own_are_never_written_over(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write: Any,
    rows: list[dict[str, Any]],
    extra: list[str],
    status: int,
    message: str | None,
    kept: list[str] | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "c.jsonl", rows)
    given = "c.parquet" if write is _parquet else "c.jsonl"
    assert run(given, tmp_path / "out", *extra) == status
    err = capsys.readouterr().err
    if kept is None:  # refused up front: one line, nothing written
        assert err == message and not (tmp_path / "out").exists()
        return
    assert message is None or message in err
    written = records(tmp_path / "out")
    assert [r["text"] for r in written] == kept
    assert [{k: v for k, v in r.items() if not k.startswith("leaflet_")} for r in written] == [
        {k: v for k, v in row.items() if not k.startswith("leaflet_")} for row in rows[:1]
    ]  # fmt: skip
    assert all(r[ERROR] is None for r in written)


@pytest.mark.parametrize(
    ("columns", "refused"),
    [(["text", "leaflet_error"], "leaflet_error"), (["leaflet_changes"], "leaflet_changes"),
     (["text", "leaflet"], None)],
)  # fmt: skip
def test_clean_frame_refuses_a_column_named_as_leaflets_own(
    columns: list[str], refused: str | None
) -> None:
    import pandas as pd

    from pipeline.errors import InputError

    frame = pd.DataFrame({name: ["an’ so"] for name in columns})
    if refused is None:
        assert pipeline.clean_frame(frame)["leaflet"].tolist() == ["an’ so"]
        return
    with pytest.raises(InputError, match=f"^the frame has a field '{refused}', which leaflet"):
        pipeline.clean_frame(frame)
