"""What travels between the batch driver and its workers: options, jobs, progress, results.

All are frozen dataclasses that pickle (local processes, Ray) and carry no open resource.

Two hashes decide what a rerun must redo (:func:`job_hashes`):

* the **diarization hash** covers what decides who speaks when: the input's content (sha256),
  its kind and ``--input-format``; for a recording also the speaker counts, ``--speakers`` and
  the cast file (names in order set the diarizer's speaker count), the diarizer's settings
  (:class:`~talkover.diarize.DiarizationConfig`, its thread count aside) and the sha256 of its
  model weights;
* the **events hash** covers what decides the events and figures from a timeline: the event
  thresholds, ``--speakers``, the cast file's content, ``--groups``, ``--sensitivity``, the
  input's path and uri (both are written in the Analysis JSON) and the talkover version.

Both unchanged: the recording is skipped. Only the events hash changed: a recording's events
are re-derived from the timeline of its kept Analysis JSON (no decoding, no model); an
annotation is read again (as cheap). The diarization hash changed: the recording is analysed
again from scratch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from talkover._version import __version__
from talkover.config import EventConfig
from talkover.store.manifest import Kind, Timings

__all__ = ["AnalysisOptions", "Job", "JobStarted", "JobProgress", "JobRetried", "JobResult",
           "Update", "Stage", "job_hashes", "error_message"]

#: ``full``: read or diarize the input, then find events; ``events``: re-derive the events of a
#: recording from its kept timeline.
Stage = Literal["full", "events"]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """The ``analyze`` options a batch applies to a recording.

    Attributes
    ----------
    config
        Event thresholds.
    num_speakers, min_speakers, max_speakers
        Speaker counts for the diarizer (recordings only; ignored for annotations).
    speakers
        Names in order of first speech, comma-separated (``--speakers``).
    cast
        Path of a ``speakers.toml`` (``--cast``).
    groups
        ``--groups`` values, in order (later ones win).
    sensitivity
        Recompute the headline numbers over the threshold grid (``--sensitivity``).
    input_format
        Read every input as this annotation format (``--input-format``).
    """

    config: EventConfig = field(default_factory=EventConfig)
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    speakers: str | None = None
    cast: str | None = None
    groups: tuple[str, ...] = ()
    sensitivity: bool = False
    input_format: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (what the manifest keeps to resume the job)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["config"] = self.config.to_dict()
        data["groups"] = list(self.groups)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisOptions:
        """The inverse of :meth:`to_dict` (unknown keys are ignored: newer stores)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["config"] = EventConfig.from_dict(values.get("config") or {})
        values["groups"] = tuple(values.get("groups") or ())
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Job:
    """One recording for a worker to analyse.

    Attributes
    ----------
    uri, path, kind
        The recording: its uri in the store, its file (as the Analysis JSON will name it) and
        whether it is a recording or an annotation.
    stage
        ``full`` or ``events`` (see :data:`Stage`).
    options
        How to analyse it.
    diarization_hash, events_hash
        What the result will have been made from (:func:`job_hashes`).
    analysis_json
        For ``stage="events"``: the kept Analysis JSON, whose timeline the events are
        re-derived from.
    content
        The file's bytes, when inputs are shipped to workers that cannot read ``path``
        (``--ray ADDRESS --ship-inputs``); ``None``: workers read ``path``.
    """

    uri: str
    path: str
    kind: Kind
    stage: Stage
    options: AnalysisOptions
    diarization_hash: str
    events_hash: str
    analysis_json: str | None = None
    content: bytes | None = None


@dataclass(frozen=True, slots=True)
class JobStarted:
    """A worker took the job of ``uri``."""

    uri: str
    worker: str


@dataclass(frozen=True, slots=True)
class JobProgress:
    """The job of ``uri`` is ``fraction`` (0..1) done."""

    uri: str
    fraction: float


@dataclass(frozen=True, slots=True)
class JobRetried:
    """The worker running ``uri`` died (``reason``); the job is queued again."""

    uri: str
    reason: str


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a worker made of a job: the analysis, or the error that stopped it.

    Attributes
    ----------
    analysis_json
        The Analysis JSON text (``None`` on error).
    error
        ``None``, or why the recording failed: an input error's own message
        (``call.wav: not a readable audio or video file ...``), or the type and message of an
        unexpected one.
    diarized
        Whether the input was diarized or read (False: events re-derived).
    warnings
        What talkover logged as a warning while analysing it (a truncated file, damaged
        packets, skipped segments), one message each, for the manifest.
    """

    uri: str
    diarization_hash: str
    events_hash: str
    analysis_json: str | None
    error: str | None
    diarized: bool
    duration_s: float | None
    timings: Timings
    worker: str
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


Update = JobStarted | JobProgress | JobRetried | JobResult


def error_message(exc: BaseException) -> str:
    """How a failed recording's error is written in the manifest and the CLI's list."""
    from talkover.errors import InputError

    if isinstance(exc, InputError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _diarizer_identity() -> dict[str, Any]:
    """The diarizer's settings (thread count aside) and model checksums."""
    from talkover.diarize import DiarizationConfig, weights

    settings = asdict(DiarizationConfig())
    settings.pop("num_workers")
    models = [w.sha256 for w in (weights.SEGMENTATION_CHECKPOINT, weights.SEGMENTATION_CONFIG,
                                 weights.EMBEDDING_CHECKPOINT)]
    return {"settings": settings, "models": models}


def _file_digest(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"


def job_hashes(
    *, kind: Kind, sha256: str, path: str, uri: str, options: AnalysisOptions
) -> tuple[str, str]:
    """``(diarization_hash, events_hash)`` of a job (see the module docstring)."""
    cast = _file_digest(options.cast)
    diarization: dict[str, Any] = {"sha256": sha256, "kind": kind,
                                   "input_format": options.input_format}
    if kind == "audio":
        diarization |= {
            "num_speakers": options.num_speakers, "min_speakers": options.min_speakers,
            "max_speakers": options.max_speakers, "speakers": options.speakers, "cast": cast,
            "diarizer": _diarizer_identity(),
        }
    events = {
        "config": options.config.to_dict(), "speakers": options.speakers, "cast": cast,
        "groups": list(options.groups), "sensitivity": options.sensitivity, "path": path,
        "uri": uri, "version": __version__,
    }
    return _digest(diarization), _digest(events)
