"""The store's Parquet tables: the frames of one recording's analysis, with its metadata.

Five tables, one Parquet file per recording each (``STORE/tables/<table>/<uri>.parquet``), so
that adding a recording never rewrites the others and ``pandas.read_parquet(STORE/tables/events)``
reads them all. Their rows are :meth:`talkover.analysis.Analysis.to_frames` of the recording's
Analysis JSON (read back with :func:`talkover.read_analysis`; :mod:`talkover.tables` lists the
columns), so the tables can be rebuilt from the JSON at any time.

Then every table has one string column per metadata column of the store's manifest CSVs (e.g.
``site``), and ``speakers`` one per group attribute of the store's speakers
(``group_<attribute>``, e.g. ``group_gender``). The store keeps the union of those names, so that
every file of a table has the same columns, with the same Arrow types (a recording without a
value has null); pandas, which reads a folder with its first file's schema, then sees them all.
Metadata values are strings, as in the CSV.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["TABLES", "GROUP_PREFIX", "analysis_tables", "to_parquet_bytes", "table_schema",
           "group_attributes", "reserved_columns", "WORKING_PREFIX", "table_extra_columns"]

#: The tables of a store, in the order they are written.
TABLES = ("segments", "events", "speakers", "turns", "matrix")

#: Prefix of the speaker group columns (``group_gender``), as :mod:`talkover.tables` names them.
GROUP_PREFIX = "group_"

_STRING_COLUMNS = frozenset({"uri", "speaker", "name", "type", "by", "of", "text", "text_by",
                             "text_of"})
_FLOAT_COLUMNS = frozenset({"confidence", "talk_share"})


def _arrow_type(column: str) -> pa.DataType:
    """The Arrow type of a frame column: by its name (seconds and ratios are floats, counts
    integers, names and text strings)."""
    if column in _STRING_COLUMNS or column.startswith(GROUP_PREFIX):
        return pa.string()
    if column.endswith("_s") or column in _FLOAT_COLUMNS:
        return pa.float64()
    return pa.int64()


#: Prefix of working columns (``_floor``): no metadata column may start with it.
WORKING_PREFIX = "_"


def reserved_columns() -> set[str]:
    """Column names a metadata column may not take: the tables' columns, and the manifest's
    (a corpus's ``recordings`` frame puts metadata beside them), ``reviewed`` included. Names
    starting with :data:`WORKING_PREFIX` are refused too."""
    from dataclasses import fields

    from talkover.store.manifest import RecordingRow
    from talkover.tables import FRAME_COLUMNS

    manifest = {f.name for f in fields(RecordingRow)} | {"reviewed"}
    return {c for columns in FRAME_COLUMNS.values() for c in columns} | manifest


def group_attributes(analysis: Mapping[str, Any]) -> list[str]:
    """The group attributes the speakers of an Analysis JSON have, sorted."""
    return sorted({a for s in analysis.get("speakers", []) for a in (s.get("groups") or {})})


def table_extra_columns(name: str, extra_columns: Sequence[str]) -> list[str]:
    """The extra columns table ``name`` carries: metadata in every table, groups in
    ``speakers`` only (join the others with it on ``uri`` and the speaker id)."""
    if name == "speakers":
        return list(extra_columns)
    return [c for c in extra_columns if not c.startswith(GROUP_PREFIX)]


def table_schema(name: str, extra_columns: Sequence[str]) -> pa.Schema:
    """The Arrow schema every file of table ``name`` has."""
    from talkover.tables import FRAME_COLUMNS

    fixed = [(c, _arrow_type(c)) for c in FRAME_COLUMNS[name]]
    extra = [(c, pa.string()) for c in table_extra_columns(name, extra_columns)]
    return pa.schema([*fixed, *extra])


def analysis_tables(
    analysis: Mapping[str, Any],
    *,
    uri: str,
    metadata: Mapping[str, str] = {},  # noqa: B006 - read only
    extra_columns: Sequence[str] = (),
) -> dict[str, pa.Table]:
    """The five tables of one recording from its Analysis JSON (as a dict).

    Parameters
    ----------
    uri
        The recording's uri in the store, the ``uri`` of every row (the analysis names itself
        the same way when the batch made it).
    metadata
        The recording's metadata values (by column name).
    extra_columns
        Every group (``group_<attr>``) and metadata column the store's tables carry, in order.
    """
    from talkover import read_analysis

    frames = read_analysis(analysis).to_frames()
    out = {}
    for name in TABLES:
        frame = frames[name]
        schema = table_schema(name, extra_columns)
        data = {}
        for field in schema:
            if field.name == "uri":
                data["uri"] = [uri] * len(frame)
            elif field.name in frame.columns:
                values = frame[field.name].astype(object)
                data[field.name] = [None if v != v else v for v in values]  # NaN -> null
            elif field.name.startswith(GROUP_PREFIX):
                data[field.name] = [None] * len(frame)
            else:
                data[field.name] = [metadata.get(field.name)] * len(frame)
        out[name] = pa.Table.from_pydict(data, schema=schema)
    return out


def to_parquet_bytes(table: pa.Table) -> bytes:
    """The table as the bytes of a Parquet file."""
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
