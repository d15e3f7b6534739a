"""The store's Parquet tables: the rows of one recording's analysis, with its uri and metadata.

Five tables, one Parquet file per recording each (``STORE/tables/<table>/<uri>.parquet``), so
that adding a recording never rewrites the others and ``pandas.read_parquet(STORE/tables/events)``
reads them all:

==========  ==================================================================================
segments    uri, start_s, end_s, speaker, speaker_name, text
events      uri, type, start_s, end_s, by, of, by_name, of_name, overlap_s, gap_s, confidence
speakers    uri, id, name, talk_time_s, talk_share, turns, longest_turn_s, mean_response_gap_s,
            the counts made/received of each event type, floor_time_s (summed turns)
turns       uri, speaker, speaker_name, start_s, end_s
matrix      uri, type, by, of, count (long form; only pairs with a count)
==========  ==================================================================================

Then every table has one string column per metadata column of the store's manifest CSVs (e.g.
``site``), and the tables with one speaker per row (segments, speakers, turns) one per group
attribute of the store's speakers (``groups.<attribute>``, e.g. ``groups.gender``; join events
and matrix with speakers on ``uri`` and the speaker id). The store keeps the union of those
names, so that every file of a table has the same columns (a recording without a value has
null). Values are strings, as in the CSV.

The tables are always derived from a recording's Analysis JSON (:func:`analysis_frames`), so they
can be rebuilt from it at any time.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["TABLES", "TABLE_COLUMNS", "GROUP_PREFIX", "analysis_frames", "to_parquet_bytes",
           "group_attributes", "reserved_columns", "table_extra_columns"]

#: The tables of a store, in the order they are written.
TABLES = ("segments", "events", "speakers", "turns", "matrix")

#: Prefix of the speaker group columns: ``groups.gender``.
GROUP_PREFIX = "groups."

_S, _F, _I = pa.string(), pa.float64(), pa.int64()
_COUNTS = (
    "interruptions", "failed_interruptions", "backchannels", "overlaps", "silent_interruptions"
)

#: The fixed columns of each table and their Arrow types.
TABLE_COLUMNS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "segments": (("uri", _S), ("start_s", _F), ("end_s", _F), ("speaker", _S),
                 ("speaker_name", _S), ("text", _S)),
    "events": (("uri", _S), ("type", _S), ("start_s", _F), ("end_s", _F), ("by", _S), ("of", _S),
               ("by_name", _S), ("of_name", _S), ("overlap_s", _F), ("gap_s", _F),
               ("confidence", _F)),
    "speakers": (("uri", _S), ("id", _S), ("name", _S), ("talk_time_s", _F), ("talk_share", _F),
                 ("turns", _I), ("longest_turn_s", _F), ("mean_response_gap_s", _F),
                 *((f"{c}_{d}", _I) for c in _COUNTS for d in ("made", "received")),
                 ("switches_made", _I), ("floor_time_s", _F)),
    "turns": (("uri", _S), ("speaker", _S), ("speaker_name", _S), ("start_s", _F),
              ("end_s", _F)),
    "matrix": (("uri", _S), ("type", _S), ("by", _S), ("of", _S), ("count", _I)),
}


def reserved_columns() -> set[str]:
    """Column names a metadata column may not take."""
    return {name for cols in TABLE_COLUMNS.values() for name, _ in cols}


def group_attributes(analysis: Mapping[str, Any]) -> list[str]:
    """The group attributes the speakers of an Analysis JSON have, sorted."""
    return sorted({a for s in analysis.get("speakers", []) for a in (s.get("groups") or {})})


def analysis_frames(
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
        The recording's uri, put in every row.
    metadata
        The recording's metadata values (by column name).
    extra_columns
        Every group (``groups.<attr>``) and metadata column the store's tables carry, in
        order; the recording's value, or null.
    """
    names = {s["id"]: s.get("name") for s in analysis.get("speakers", [])}
    groups = {s["id"]: s.get("groups") or {} for s in analysis.get("speakers", [])}
    floor: dict[str, float] = {}
    for t in analysis.get("turns", []):
        floor[t["speaker"]] = floor.get(t["speaker"], 0.0) + (t["end_s"] - t["start_s"])
    rows = {
        "segments": [
            {"start_s": s["start_s"], "end_s": s["end_s"], "speaker": s["speaker"],
             "speaker_name": names.get(s["speaker"]), "text": s.get("text")}
            for s in analysis.get("segments", [])
        ],
        "events": [
            {**{k: e.get(k) for k in ("type", "start_s", "end_s", "by", "of", "overlap_s",
                                      "gap_s", "confidence")},
             "by_name": names.get(e["by"]), "of_name": names.get(e["of"])}
            for e in analysis.get("events", [])
        ],
        "speakers": [
            {**s, "floor_time_s": round(floor.get(s["id"], 0.0), 3)}
            for s in analysis.get("speakers", [])
        ],
        "turns": [
            {**t, "speaker_name": names.get(t["speaker"])} for t in analysis.get("turns", [])
        ],
        "matrix": [
            {"type": t, "by": by, "of": of, "count": n}
            for t, table in analysis.get("matrix", {}).items()
            for by, row in table.items()
            for of, n in row.items()
            if n
        ],
    }
    return {
        name: _table(name, rows[name], uri=uri, metadata=metadata, groups=groups,
                     extra_columns=extra_columns)
        for name in TABLES
    }


def _table(
    name: str,
    rows: list[dict[str, Any]],
    *,
    uri: str,
    metadata: Mapping[str, str],
    groups: Mapping[str, Mapping[str, str]],
    extra_columns: Sequence[str],
) -> pa.Table:
    columns = TABLE_COLUMNS[name]
    data: dict[str, list[Any]] = {c: [r.get(c) for r in rows] for c, _ in columns}
    data["uri"] = [uri] * len(rows)
    speaker_key = {"speakers": "id", "segments": "speaker", "turns": "speaker"}.get(name)
    extra_columns = table_extra_columns(name, extra_columns)
    for column in extra_columns:
        if column.startswith(GROUP_PREFIX):
            attribute = column[len(GROUP_PREFIX):]
            data[column] = [groups.get(r.get(speaker_key), {}).get(attribute) for r in rows]
        else:
            data[column] = [metadata.get(column)] * len(rows)
    schema = pa.schema([*columns, *((c, _S) for c in extra_columns)])
    return pa.Table.from_pydict(data, schema=schema)


def table_extra_columns(name: str, extra_columns: Sequence[str]) -> list[str]:
    """The extra columns table ``name`` carries: metadata in every table, groups only in the
    tables with one speaker per row (speakers, segments, turns)."""
    if name in ("events", "matrix"):
        return [c for c in extra_columns if not c.startswith(GROUP_PREFIX)]
    return list(extra_columns)


def to_parquet_bytes(table: pa.Table) -> bytes:
    """The table as the bytes of a Parquet file."""
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
