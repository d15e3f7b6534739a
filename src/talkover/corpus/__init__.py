"""A corpus: the done recordings of a store, as tables and as pooled statistics.

A recording reviewed in the web app (``talkover serve``) counts with its corrected version
(``reviews/<uri>/corrected.json``: segments fixed, rejected events left out) unless
``version="automatic"`` is asked for.

>>> corpus = open_corpus("corpus-store")  # doctest: +SKIP
>>> events = corpus.frames()["events"]  # doctest: +SKIP
>>> stats = corpus.statistics(by="site")  # doctest: +SKIP

See :mod:`talkover.corpus.statistics` for what is computed and docs/batch.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

from talkover.corpus.statistics import (
    Breakdown,
    CorpusRate,
    CorpusStatistics,
    MatrixCell,
    UnitFigures,
    compute_statistics,
)
from talkover.errors import InputError
from talkover.store.manifest import RecordingRow

Version = Literal["corrected", "automatic"]
VERSIONS: tuple[Version, ...] = ("corrected", "automatic")

__all__ = ["Corpus", "open_corpus", "VERSIONS", "CorpusStatistics", "CorpusRate", "UnitFigures",
           "Breakdown", "MatrixCell"]


class Corpus:
    """What a store holds, read once (:func:`open_corpus`): its manifest rows and the tables
    of its done recordings (``reviewed``: the uris whose tables are their corrected
    version)."""

    def __init__(self, path: Path, rows: tuple[RecordingRow, ...], tables: dict[str, Any],
                 reviewed: tuple[str, ...] = ()):
        self.path = path
        self.rows = rows
        self.reviewed = reviewed
        self._tables = tables

    def frames(self) -> dict[str, Any]:
        """The tables (pandas DataFrames) of the done recordings: ``segments``, ``events``,
        ``speakers``, ``turns``, ``matrix``, and ``recordings`` (the manifest: one row per
        recording, every status, with its metadata columns, ``reviewed``: whether its
        tables are a review's corrected version, and ``warnings``: what its analysis warned
        of, one per line)."""
        return {**{k: v.copy() for k, v in self._tables.items()},
                "recordings": _recordings_frame(self.rows, set(self.reviewed))}

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
            store=str(self.path), reviewed=self.reviewed,
            by=by, draws=draws, seed=seed, level=level,
        )


def open_corpus(path: str | os.PathLike[str], *, version: Version = "corrected") -> Corpus:
    """Read the store at ``path`` (read-only: no lock, nothing written).

    ``version="corrected"`` (the default) takes each reviewed recording's corrected version
    in place of its automatic analysis; ``"automatic"`` takes the automatic analyses only.

    Raises
    ------
    StoreError
        ``path`` is not a store.
    InputError
        A reviewed recording's corrected version cannot be read (its path and why).
    ValueError
        ``version`` is not one of :data:`VERSIONS`.
    """
    from talkover.store import Store

    if version not in VERSIONS:
        raise ValueError(f"version must be one of {', '.join(VERSIONS)}, not {version!r}")
    with Store.open(path, readonly=True) as store:
        rows = store.recordings()
        corrected = {} if version == "automatic" else _corrected_versions(store, rows)
        return Corpus(Path(path), rows, store.frames(analyses=corrected), tuple(corrected))


def _corrected_versions(store: Any, rows: tuple[RecordingRow, ...]) -> dict[str, Any]:
    """The corrected version of each done recording with a review (the web app's
    ``reviews/<uri>/``: a corrected version counts beside the edit log it was made from).
    A version behind its log or its automatic analysis (a batch rerun re-derived it) is made
    again in memory: the automatic analysis with the log's edits."""
    from talkover import read_analysis
    from talkover.review.session import CORRECTED_NAME, LOG_NAME, Review, version_is_stale

    found = {}
    for row in rows:
        folder = store.reviews_dir / row.uri
        path = folder / CORRECTED_NAME
        if row.status != "done" or not (folder / LOG_NAME).is_file():
            continue
        base = store.analysis_path(row.uri)
        try:
            if version_is_stale(folder, base):
                found[row.uri] = Review(read_analysis(base), folder).document()
            elif path.is_file():
                found[row.uri] = json.loads(path.read_text(encoding="utf-8"))
        except InputError as exc:
            raise InputError(f"{exc}; the review of {row.uri!r} cannot be made again from it "
                             "(use --version automatic)") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{path}: cannot read the corrected version of {row.uri!r} "
                             f"({exc}); use the automatic analyses (version='automatic', "
                             "--version automatic) or repair the review") from None
    return found


def _recordings_frame(rows: tuple[RecordingRow, ...], reviewed: set[str]) -> Any:
    import pandas as pd

    columns = ("uri", "path", "kind", "status", "error", "duration_s", "decode_s", "diarize_s",
               "events_s", "total_s", "attempts", "talkover_version", "updated_at")
    records = [{**{c: getattr(r, c) for c in columns}, "reviewed": r.uri in reviewed,
                "warnings": "\n".join(r.warnings), **dict(r.metadata)} for r in rows]
    return pd.DataFrame.from_records(
        records, columns=None if records else [*columns, "reviewed", "warnings"])
