"""A corpus: the done recordings of a store, as tables and as pooled statistics.

>>> corpus = open_corpus("corpus-store")  # doctest: +SKIP
>>> events = corpus.frames()["events"]  # doctest: +SKIP
>>> stats = corpus.statistics(by="site")  # doctest: +SKIP

See :mod:`talkover.corpus.statistics` for what is computed and docs/batch.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from talkover.corpus.statistics import (
    Breakdown,
    CorpusRate,
    CorpusStatistics,
    MatrixCell,
    UnitFigures,
    compute_statistics,
)
from talkover.store.manifest import RecordingRow

__all__ = ["Corpus", "open_corpus", "CorpusStatistics", "CorpusRate", "UnitFigures",
           "Breakdown", "MatrixCell"]


class Corpus:
    """What a store holds, read once (:func:`open_corpus`): its manifest rows and the tables
    of its done recordings."""

    def __init__(self, path: Path, rows: tuple[RecordingRow, ...], tables: dict[str, Any]):
        self.path = path
        self.rows = rows
        self._tables = tables

    def frames(self) -> dict[str, Any]:
        """The tables (pandas DataFrames) of the done recordings: ``segments``, ``events``,
        ``speakers``, ``turns``, ``matrix``, and ``recordings`` (the manifest: one row per
        recording, every status, with its metadata columns)."""
        return {**{k: v.copy() for k, v in self._tables.items()},
                "recordings": _recordings_frame(self.rows)}

    def statistics(
        self, *, by: str | None = None, draws: int = 2000, seed: int = 0, level: float = 0.95
    ) -> CorpusStatistics:
        """Pooled figures per speaker and per group (or per ``by``, a group attribute such as
        ``group_gender`` or a metadata column), with cluster-bootstrap intervals.

        Raises
        ------
        KeyError
            ``by`` is not a column of the speakers table.
        """
        return compute_statistics(
            self._tables["speakers"], self._tables["turns"], self._tables["events"], self.rows,
            store=str(self.path),
            by=by, draws=draws, seed=seed, level=level,
        )


def open_corpus(path: str | os.PathLike[str]) -> Corpus:
    """Read the store at ``path`` (read-only: no lock, nothing written).

    Raises
    ------
    StoreError
        ``path`` is not a store.
    """
    from talkover.store import Store

    with Store.open(path, readonly=True) as store:
        return Corpus(Path(path), store.recordings(), store.frames())


def _recordings_frame(rows: tuple[RecordingRow, ...]) -> Any:
    import pandas as pd

    columns = ("uri", "path", "kind", "status", "error", "duration_s", "decode_s", "diarize_s",
               "events_s", "total_s", "attempts", "talkover_version", "updated_at")
    records = [{**{c: getattr(r, c) for c in columns}, **dict(r.metadata)} for r in rows]
    return pd.DataFrame.from_records(records, columns=None if records else list(columns))
