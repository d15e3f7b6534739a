"""Corpus statistics: per speaker, per group or metadata value, over every done recording.

A *unit* is what figures are pooled by: a speaker (by name when the manifest or a cast names
them, so that one person is pooled across recordings; an unnamed speaker is ``uri:id``, one
recording's speaker), a group attribute's value (``group_gender`` = ``woman``) or a metadata
column's value (``site`` = ``Leeds``, every speaker of those recordings).

For each unit, summed over the recordings it appears in:

* talk time and **floor time** ``F`` (the summed turns its speakers held: docs/groups.md);
* events **received** per minute of its floor time: ``60 * n_received / F``; a speaker can only
  be interrupted while holding the floor;
* events **made** per minute of the floor time *others* held in the same recordings
  (``60 * n_made / (F_recording - F)`` summed): one can only interrupt someone who holds the
  floor;

for interruptions, backchannels and overlaps. Each rate has a 95% interval from a cluster
bootstrap that resamples whole recordings (:mod:`talkover.corpus.bootstrap`; 2000 draws, seed
0): events within one recording are not independent, recordings are taken to be. A unit seen
in one recording has no interval.

The pooled matrix counts, for each ordered pair of units, the interruptions, failed
interruptions, backchannels and overlaps the first made over the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from talkover.corpus.bootstrap import DRAWS, LEVEL, SEED, cluster_bootstrap
from talkover.store.manifest import RecordingRow

__all__ = ["CorpusRate", "UnitFigures", "Breakdown", "MatrixCell", "CorpusStatistics",
           "compute_statistics", "MEASURES", "speaker_labels"]

#: The rates of each unit: ``(measure, speakers-table column, exposure)``.
MEASURES = (
    ("interruptions_made", "interruptions_made", "_others_floor"),
    ("interruptions_received", "interruptions_received", "_floor"),
    ("backchannels_made", "backchannels_made", "_others_floor"),
    ("backchannels_received", "backchannels_received", "_floor"),
    ("overlaps_made", "overlaps_made", "_others_floor"),
    ("overlaps_received", "overlaps_received", "_floor"),
)
_MATRIX_TYPES = {"interruption": "interruptions", "failed_interruption": "failed_interruptions",
                 "backchannel": "backchannels", "overlap": "overlaps"}


@dataclass(frozen=True, slots=True)
class CorpusRate:
    """Events per minute of exposure, pooled over recordings, with a cluster-bootstrap
    interval (``None``: no exposure, or a unit seen in one recording)."""

    count: int
    exposure_s: float
    per_min: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One unit's pooled figures (see the module docstring)."""

    label: str
    recordings: int
    speakers: int
    talk_time_s: float
    floor_time_s: float
    interruptions_made: CorpusRate
    interruptions_received: CorpusRate
    backchannels_made: CorpusRate
    backchannels_received: CorpusRate
    overlaps_made: CorpusRate
    overlaps_received: CorpusRate


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The units of one grouping (``by``: ``speaker``, ``group_<attr>`` or a metadata column),
    by talk time, most first; ``unassigned`` counts the speakers (per recording) with no value."""

    by: str
    units: tuple[UnitFigures, ...]
    unassigned: int = 0


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Events ``by`` made over ``of``, pooled over the corpus."""

    by: str
    of: str
    interruptions: int
    failed_interruptions: int
    backchannels: int
    overlaps: int


@dataclass(frozen=True, slots=True)
class CorpusStatistics:
    """Everything ``talkover corpus`` reports.

    Attributes
    ----------
    store
        The store's path.
    recordings, done
        Recordings in the manifest, and those done (the figures cover these).
    failed
        ``(uri, error)`` of the failed recordings.
    pending
        Uris of the queued and running ones.
    speakers
        The per-speaker breakdown.
    breakdowns
        One per group attribute, or the one ``by`` asked for.
    matrix_by
        What the matrix's rows and columns are (``speaker`` or ``by``).
    matrix
        Non-empty cells of the pooled who-over-whom matrix.
    draws, seed, level
        The bootstrap's settings.
    reviewed
        Uris of the done recordings counted with a review's corrected version.
    """

    store: str
    recordings: int
    done: int
    failed: tuple[tuple[str, str], ...]
    pending: tuple[str, ...]
    speakers: Breakdown
    breakdowns: tuple[Breakdown, ...]
    matrix_by: str
    matrix: tuple[MatrixCell, ...]
    draws: int = DRAWS
    seed: int = SEED
    level: float = LEVEL
    reviewed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; floats rounded to 6 decimals."""
        return _rounded({
            "store": self.store,
            "recordings": self.recordings,
            "done": self.done,
            "failed": len(self.failed),
            "pending": len(self.pending),
            "failures": [{"uri": u, "error": e} for u, e in self.failed],
            "pending_recordings": list(self.pending),
            "reviewed": len(self.reviewed),
            "reviewed_recordings": list(self.reviewed),
            "bootstrap": {"draws": self.draws, "seed": self.seed, "level": self.level,
                          "resamples": "recordings"},
            "speakers": [asdict(u) for u in self.speakers.units],
            "breakdowns": {b.by: {"units": [asdict(u) for u in b.units],
                                  "unassigned": b.unassigned} for b in self.breakdowns},
            "matrix": {"by": self.matrix_by, "cells": [asdict(c) for c in self.matrix]},
        })


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return None if not np.isfinite(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def speaker_labels(speakers: Any) -> Any:
    """Each speakers-table row's speaker label: its name, else ``uri:id``."""
    names = speakers["name"].astype(object)
    return names.where(names.notna(), speakers["uri"].astype(str) + ":" + speakers["speaker"])


def compute_statistics(
    speakers: Any,
    turns: Any,
    events: Any,
    rows: Sequence[RecordingRow],
    *,
    store: str,
    reviewed: Sequence[str] = (),
    by: str | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
    level: float = LEVEL,
) -> CorpusStatistics:
    """The statistics of a corpus from its ``speakers``, ``turns`` and ``events`` tables
    (pandas) and its manifest rows.

    Raises
    ------
    KeyError
        ``by`` is not a column of the speakers table (the message lists the valid ones).
    """
    done = [r.uri for r in rows if r.status == "done"]
    table = _with_exposures(speakers, turns)
    table[_LABEL] = speaker_labels(table)
    settings = {"draws": draws, "seed": seed, "level": level}
    per_speaker = _breakdown(table, _LABEL, done, **settings)
    if by is not None:
        valid = sorted(c for c in speakers.columns if c not in _FIXED_COLUMNS)
        if by not in valid:
            raise KeyError(f"no column {by!r} to break down by; valid: "
                           f"{', '.join(valid) or 'none (give groups or metadata)'}")
        columns = [by]
    else:
        columns = sorted(c for c in table.columns if c.startswith("group_"))
    breakdowns = tuple(_breakdown(table, c, done, **settings) for c in columns)
    matrix_by = by or "speaker"
    return CorpusStatistics(
        store=store,
        recordings=len(rows),
        done=len(done),
        failed=tuple((r.uri, r.error or "") for r in rows if r.status == "failed"),
        pending=tuple(r.uri for r in rows if r.status in ("queued", "running")),
        speakers=per_speaker,
        breakdowns=breakdowns,
        matrix_by=matrix_by,
        matrix=_matrix(table, events, by or _LABEL),
        **settings,
        reviewed=tuple(reviewed),
    )


#: The column of a speaker's label (name, or ``uri:id``) in the working table.
_LABEL = "_speaker_label"
#: Speakers-table columns that are figures, not ways to group.
_FIXED_COLUMNS = frozenset({
    "uri", "speaker", "name", "talk_time_s", "talk_share", "turns", "longest_turn_s",
    "mean_response_gap_s", "switches_made",
    *(f"{c}_{d}" for c in ("interruptions", "failed_interruptions", "backchannels", "overlaps",
                           "silent_interruptions") for d in ("made", "received")),
})


def _with_exposures(speakers: Any, turns: Any) -> Any:
    """The speakers table with each speaker's floor time and the floor others held."""
    floor = turns.groupby(["uri", "speaker"])["duration_s"].sum().to_dict()
    table = speakers.copy()  # a dict lookup, not a join: empty Arrow-string keys cannot join
    table["_floor"] = [float(floor.get(key, 0.0))
                      for key in zip(speakers["uri"], speakers["speaker"], strict=True)]
    total = table.groupby("uri")["_floor"].transform("sum")
    table["_others_floor"] = (total - table["_floor"]).clip(lower=0.0)
    return table


def _breakdown(
    table: Any, column: str, done: list[str], *, draws: int, seed: int, level: float
) -> Breakdown:
    assigned = table[table[column].notna()]
    if assigned.empty:
        return Breakdown(column, (), int(len(table)))
    keyed = assigned.assign(_unit=assigned[column].astype(str))
    sums = keyed.groupby(["uri", "_unit"]).sum(numeric_only=True)
    units = sorted(keyed["_unit"].unique())
    uris = list(dict.fromkeys([*done, *sorted(set(keyed["uri"]))]))  # every recording resampled

    def grid(name: str) -> np.ndarray:  # (recordings, units)
        wide = sums[name].unstack("_unit").reindex(index=uris, columns=units)
        return wide.fillna(0.0).to_numpy(dtype=float)

    rates: dict[str, list[CorpusRate]] = {}
    for measure, count_column, exposure in MEASURES:
        counts, exposures = grid(count_column), grid(exposure)
        low, high = cluster_bootstrap(counts, exposures, draws=draws, seed=seed, level=level)
        rates[measure] = [
            _rate(counts[:, i].sum(), exposures[:, i].sum(), low[i], high[i])
            for i in range(len(units))
        ]
    talk, floor = grid("talk_time_s").sum(axis=0), grid("_floor").sum(axis=0)
    recordings = keyed.groupby("_unit")["uri"].nunique()
    people = keyed.groupby("_unit")[_LABEL].nunique()
    figures = [
        UnitFigures(
            label=unit, recordings=int(recordings[unit]), speakers=int(people[unit]),
            talk_time_s=float(talk[i]), floor_time_s=float(floor[i]),
            **{m: rates[m][i] for m, _, _ in MEASURES},
        )
        for i, unit in enumerate(units)
    ]
    figures.sort(key=lambda u: (-u.talk_time_s, u.label))
    by = "speaker" if column == _LABEL else column
    return Breakdown(by, tuple(figures), int(len(table) - len(assigned)))


def _rate(count: float, exposure_s: float, low: float, high: float) -> CorpusRate:
    count, exposure_s = float(count), float(exposure_s)
    per_min = 60.0 * count / exposure_s if exposure_s > 0 else None
    finite = per_min is not None and np.isfinite(low) and np.isfinite(high)
    return CorpusRate(int(round(count)), float(exposure_s), per_min,
                      60.0 * float(low) if finite else None,
                      60.0 * float(high) if finite else None)


def _matrix(table: Any, events: Any, column: str) -> tuple[MatrixCell, ...]:
    if events.empty:
        return ()
    label = {(u, i): v for u, i, v in zip(table["uri"], table["speaker"], table[column],
                                          strict=True)}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for uri, etype, by, of in zip(events["uri"], events["type"], events["by"], events["of"],
                                  strict=True):
        if etype not in _MATRIX_TYPES:
            continue
        a, b = label.get((uri, by)), label.get((uri, of))
        if a is None or b is None or a != a or b != b:  # unassigned (None or NaN)
            continue
        cell = counts.setdefault((str(a), str(b)), dict.fromkeys(_MATRIX_TYPES.values(), 0))
        cell[_MATRIX_TYPES[etype]] += 1
    return tuple(MatrixCell(a, b, **c) for (a, b), c in sorted(counts.items()))
