"""Writing output parts: JSON Lines (optionally compressed) or Parquet, each atomically.

A part is written to a temporary file beside it and renamed into place
(:func:`pipeline.files.write_atomic`), so a part that exists is complete. Records come
as dicts (from JSON Lines) or Arrow tables (from Parquet); each writer takes both.

Parquet needs one type per column. A column whose values do not share one (a field that
is a number in one record and a string in the next), or that Parquet cannot store (an
empty object), is written as JSON text instead, and the part's result says which.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from pipeline.corpus.formats import Format
from pipeline.files import write_atomic

Rows = list[dict[str, Any]] | Any  # dicts, or a pyarrow Table


def write_part(path: Path, fmt: Format, batches: Iterable[Rows]) -> None:
    """Write ``batches`` to the part at ``path``."""
    if fmt.kind == "jsonl":
        write_atomic(path, lambda handle: _write_jsonl(handle, fmt, batches))
    else:
        write_atomic(path, lambda handle: _write_parquet(handle, batches))


def _write_jsonl(handle: IO[bytes], fmt: Format, batches: Iterable[Rows]) -> None:
    stream = _compressed(handle, fmt)
    for batch in batches:
        rows = batch if isinstance(batch, list) else batch.to_pylist()
        stream.write(b"".join(json_line(row) for row in rows))
    if stream is not handle:
        stream.close()


def _compressed(handle: IO[bytes], fmt: Format) -> IO[bytes]:
    if fmt.compression == "gzip":
        return cast(IO[bytes], gzip.GzipFile(filename="", fileobj=handle, mode="wb", mtime=0))
    if fmt.compression == "zstd":
        import zstandard

        writer: IO[bytes] = zstandard.ZstdCompressor().stream_writer(handle, closefd=False)
        return writer
    return handle


def json_line(row: dict[str, Any]) -> bytes:
    """One record as a line of JSON, in UTF-8 (escaped where UTF-8 cannot hold it).

    >>> json_line({"text": "café", "n": 1})
    b'{"text":"caf\\xc3\\xa9","n":1}\\n'
    """
    try:
        return _dumps(row, ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate, which JSON can escape and UTF-8 cannot
        return _dumps(row, ascii=True).encode("ascii") + b"\n"


def _dumps(value: Any, *, ascii: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    """Values Parquet holds and JSON does not: dates as ISO text, bytes as text (base64
    if they are not UTF-8), anything else as its string."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    return str(value)


def _write_parquet(handle: IO[bytes], batches: Iterable[Rows]) -> None:
    import pyarrow.parquet as pq

    tables = [b if not isinstance(b, list) else rows_to_table(b) for b in batches]
    pq.write_table(unify(tables)[0], handle)


JSON_TEXT = {b"leaflet": b"json"}  # field metadata of a column written as JSON text


def rows_to_table(rows: list[dict[str, Any]], known: dict[str, Any] | None = None) -> Any:
    """Records as an Arrow table: every field any record has, in order of appearance;
    the fields in ``known`` with the Arrow type given there."""
    import pyarrow as pa

    names = dict.fromkeys(name for row in rows for name in row)
    fields, arrays = [], []
    for name in names:
        values = [row.get(name) for row in rows]
        if known and name in known:
            array, is_json = pa.array(values, known[name]), False
        else:
            array, is_json = _column(values)
        fields.append(pa.field(name, array.type, metadata=JSON_TEXT if is_json else None))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _column(values: list[Any]) -> tuple[Any, bool]:
    """The values as an Arrow array, or as JSON text if they have no one storable type."""
    import pyarrow as pa

    try:
        array = pa.array(values)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return _json_array(values), True
    return (array, False) if _storable(array.type) else (_json_array(values), True)


def _json_array(values: list[Any]) -> Any:
    import pyarrow as pa

    return pa.array([None if v is None else _dumps(v, ascii=True) for v in values], pa.string())


def _storable(kind: Any) -> bool:
    """Whether Parquet can store a column of this Arrow type (not an empty struct)."""
    import pyarrow.types as types

    if types.is_struct(kind):
        return kind.num_fields > 0 and all(_storable(f.type) for f in kind)
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        return bool(_storable(kind.value_type))
    if types.is_map(kind):
        return _storable(kind.key_type) and _storable(kind.item_type)
    return True


def unify(tables: list[Any]) -> tuple[Any, list[str]]:
    """One table from a part's batches, and the columns written as JSON text."""
    import pyarrow as pa

    schema, as_json = common_schema([table.schema for table in tables])
    return pa.concat_tables([conform(table, schema, as_json) for table in tables]), as_json


def common_schema(schemas: list[Any]) -> tuple[Any, list[str]]:
    """One schema for tables of several: dictionary-encoded columns (a pandas Categorical)
    as their values' type (:func:`decoded_type`), then types promoted where they can be (a
    null column to any type, int64 to double, string to large_string, a struct to one with
    more fields); a column that is JSON
    text in one, or has types that cannot be promoted (a number in one, a string in
    another), is JSON text in all. Also returns those columns' names."""
    import pyarrow as pa

    schemas = [decoded_schema(schema) for schema in schemas]
    kinds: dict[str, set[Any]] = {}
    for schema in schemas:
        for column in schema:
            if not pa.types.is_null(column.type):
                kind = "json" if column.metadata == JSON_TEXT else column.type
                kinds.setdefault(column.name, set()).add(kind)
    as_json = [name for name, found in kinds.items() if "json" in found]
    try:
        return _unified(schemas, as_json), as_json
    except (pa.ArrowException, TypeError):
        as_json += [name for name, found in kinds.items() if len(found) > 1 and name not in as_json]
        return _unified(schemas, as_json), as_json


def decoded_type(kind: Any) -> Any:
    """An Arrow type with every dictionary encoding taken off: the type of its values, so
    a Categorical column is text like any other (nested in structs and lists too).

    >>> import pyarrow as pa
    >>> decoded_type(pa.dictionary(pa.int32(), pa.string()))
    DataType(string)
    >>> decoded_type(pa.list_(pa.dictionary(pa.int8(), pa.large_string())))
    ListType(list<item: large_string>)
    """
    import pyarrow as pa
    import pyarrow.types as types

    if types.is_dictionary(kind):
        return decoded_type(kind.value_type)
    if types.is_struct(kind):
        return pa.struct([f.with_type(decoded_type(f.type)) for f in kind])
    if types.is_list(kind):
        return pa.list_(kind.value_field.with_type(decoded_type(kind.value_type)))
    if types.is_large_list(kind):
        return pa.large_list(kind.value_field.with_type(decoded_type(kind.value_type)))
    return kind


def decoded_schema(schema: Any) -> Any:
    """``schema`` with each column's dictionary encoding taken off (:func:`decoded_type`)."""
    import pyarrow as pa

    fields = [f.with_type(decoded_type(f.type)) for f in schema]
    return pa.schema(fields, metadata=schema.metadata)


def decoded(table: Any) -> Any:
    """``table`` with its dictionary-encoded columns as plain ones (the same values)."""
    schema = decoded_schema(table.schema)
    return table if schema.equals(table.schema) else table.cast(schema)


def _unified(schemas: list[Any], as_json: list[str]) -> Any:
    import pyarrow as pa

    text = pa.field("", pa.string(), metadata=JSON_TEXT)
    adjusted = [
        pa.schema(
            [text.with_name(f.name) if f.name in as_json else f for f in schema],
            metadata=schema.metadata,
        )  # fmt: skip
        for schema in schemas
    ]
    return pa.unify_schemas(adjusted, promote_options="permissive")


def conform(table: Any, schema: Any, as_json: list[str]) -> Any:
    """``table`` with ``schema``'s columns in its order: missing ones null, the ``as_json``
    ones made JSON text, the rest cast to the promoted type."""
    import pyarrow as pa

    columns = []
    for column in schema:
        index = table.schema.get_field_index(column.name)
        if index < 0:
            columns.append(pa.nulls(table.num_rows, column.type))
            continue
        values = table.column(index)
        if column.name in as_json and table.schema.field(index).metadata != JSON_TEXT:
            values = _json_array(values.to_pylist())
        columns.append(values.cast(column.type))
    return pa.Table.from_arrays(columns, schema=schema)


def harmonise(folder: Path, parts: list[str]) -> list[str]:
    """Give every Parquet part in ``folder`` the same schema (:func:`common_schema`), so
    the folder reads as one table; only parts whose schema differs are rewritten. Returns
    the columns written as JSON text."""
    import pyarrow.parquet as pq

    if not parts:
        return []
    schemas = [pq.read_schema(folder / name) for name in parts]
    target, as_json = common_schema(schemas)
    for name, schema in zip(parts, schemas, strict=True):
        if _shape(schema) != _shape(target):
            table = conform(pq.read_table(folder / name), target, as_json)
            write_atomic(folder / name, partial(_write_table, table))
    return as_json


def _write_table(table: Any, handle: IO[bytes]) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, handle)


def _shape(schema: Any) -> list[tuple[str, Any, bool]]:
    return [(f.name, f.type, f.metadata == JSON_TEXT) for f in schema]
