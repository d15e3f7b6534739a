"""The worker function: one :class:`~talkover.batch.jobs.Job` in, one
:class:`~talkover.batch.jobs.JobResult` out. Both executors (local processes, Ray actors) call
:func:`run_job`; it never writes the store (the driver does).

A worker keeps its :class:`Models` between jobs: the diarizer is loaded on the first recording
it diarizes and reused for every later one (annotations and re-derived events need no model).
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from talkover.analysis import Analysis, TimelineSource, analyze_timeline
from talkover.batch.jobs import AnalysisOptions, Job, JobResult, error_message
from talkover.store.manifest import Timings
from talkover.timeline import Segment, SpeakerTimeline

if TYPE_CHECKING:
    from talkover.cast import Cast
    from talkover.diarize import Diarizer

__all__ = ["Models", "run_job", "timeline_to_json", "timeline_from_json", "threads_per_worker"]

#: Called with how far the job is, 0..1.
ProgressReport = Callable[[float], None]


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Torch threads for each of ``workers`` so that workers x threads <= cores (at least 1).

    >>> threads_per_worker(2, 8), threads_per_worker(4, 2)
    (4, 1)
    """
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, workers))


class Models:
    """The models one worker loads once and keeps: the diarizer, built on first use with
    ``threads`` torch threads (the diarizer's own ``num_workers`` too)."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._diarizer: Diarizer | None = None

    @property
    def diarizer(self) -> Diarizer:
        if self._diarizer is None:
            import torch

            from talkover.diarize import DiarizationConfig, Diarizer

            torch.set_num_threads(self.threads)
            self._diarizer = Diarizer(DiarizationConfig(num_workers=self.threads))
        return self._diarizer


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job: Job, models: Models, report: ProgressReport | None = None) -> JobResult:
    """Analyse one recording; every error becomes a failed result (never raised).

    Errors from the input (:class:`~talkover.errors.InputError`: corrupt media, a malformed
    annotation, names that do not fit the speakers) keep their message; any other exception is
    written as ``Type: message``.
    """
    started = time.perf_counter()
    clock = _Clock()
    try:
        analysis, timeline_json, diarized = _analyze(job, models, clock, report)
        text = _format_json(analysis)
        error, duration_s = None, analysis.duration_s
    except Exception as exc:  # noqa: BLE001 - a failed recording must not stop the batch
        text = timeline_json = None
        error, duration_s, diarized = error_message(exc), None, job.stage == "full"
    timings = Timings(decode_s=clock.decode_s, diarize_s=clock.diarize_s,
                      events_s=clock.events_s, total_s=time.perf_counter() - started)
    return JobResult(
        uri=job.uri, diarization_hash=job.diarization_hash, events_hash=job.events_hash,
        analysis_json=text, timeline_json=timeline_json, error=error, diarized=diarized,
        duration_s=duration_s, timings=timings, worker=worker_name(),
    )


class _Clock:
    """Seconds spent decoding, diarizing (or reading) and finding events."""

    def __init__(self) -> None:
        self.decode_s: float | None = None
        self.diarize_s: float | None = None
        self.events_s: float | None = None


def _analyze(
    job: Job, models: Models, clock: _Clock, report: ProgressReport | None
) -> tuple[Analysis, str | None, bool]:
    """The analysis, the timeline JSON to keep (recordings diarized now) and whether the input
    was diarized or read."""
    options = job.options
    cast = _cast(options)
    if job.kind == "annotation":
        t = time.perf_counter()
        timeline = _read_annotation(job)
        clock.diarize_s = time.perf_counter() - t
        return _events(job, timeline, cast, "annotation", clock, media=False), None, True
    if job.stage == "events":
        if job.timeline_json is None:
            raise ValueError(f"{job.uri}: an events job needs the kept timeline")
        timeline = timeline_from_json(job.timeline_json)
        return _events(job, timeline, cast, "diarization", clock, media=True), None, False
    timeline = _diarize(job, models, clock, report)
    analysis = _events(job, timeline, cast, "diarization", clock, media=True)
    return analysis, timeline_to_json(timeline), True


def _events(
    job: Job, timeline: SpeakerTimeline, cast: Cast | None, source: TimelineSource,
    clock: _Clock, *, media: bool,
) -> Analysis:
    from talkover.metrics.sensitivity import SensitivityGrid

    t = time.perf_counter()
    analysis = analyze_timeline(
        timeline, config=job.options.config, input_path=job.path,
        media_path=job.path if media else None, source=source, cast=cast,
        sensitivity=SensitivityGrid() if job.options.sensitivity else None,
    )
    clock.events_s = time.perf_counter() - t
    return analysis


def _cast(options: AnalysisOptions) -> Cast | None:
    """The cast the options name (as ``analyze``'s ``--speakers``/``--cast``/``--groups``)."""
    from talkover.cast import Cast, load_cast
    from talkover.errors import ConfigError

    if options.speakers and options.cast:
        raise ConfigError("give either --speakers or --cast, not both")
    cast = None
    if options.cast:
        cast = load_cast(options.cast)
    elif options.speakers is not None:
        cast = Cast.from_names(options.speakers)
    if options.groups:
        cast = (cast or Cast()).with_groups(options.groups)
    return cast


def _read_annotation(job: Job) -> SpeakerTimeline:
    from talkover.formats import read_annotation

    with _local_copy(job) as path:
        return read_annotation(path, input_format=job.options.input_format)


def _diarize(
    job: Job, models: Models, clock: _Clock, report: ProgressReport | None
) -> SpeakerTimeline:
    from talkover.diarize.clustering import check_speaker_counts
    from talkover.io import decode_audio
    from talkover.pipeline import diarize_waveform

    o = job.options
    check_speaker_counts(o.num_speakers, o.min_speakers, o.max_speakers)
    t = time.perf_counter()
    with _local_copy(job) as path:
        waveform = decode_audio(path)
    clock.decode_s = time.perf_counter() - t
    diarizer = models.diarizer
    t = time.perf_counter()
    progress = (lambda done_s, total_s: report(done_s / total_s if total_s else 1.0)) \
        if report is not None else None
    timeline = diarize_waveform(
        waveform, diarizer=diarizer, num_speakers=o.num_speakers, min_speakers=o.min_speakers,
        max_speakers=o.max_speakers, progress=progress,
    )
    clock.diarize_s = time.perf_counter() - t
    return timeline


class _local_copy:  # noqa: N801 - used as a context manager, like open()
    """The job's input as a local path: ``job.path`` itself, or its shipped bytes written to a
    temporary folder under the same file name (so that names derived from it agree)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> str:
        if self.job.content is None:
            return self.job.path
        self._tmp = tempfile.TemporaryDirectory(prefix="talkover-job-")
        path = Path(self._tmp.name) / Path(self.job.path).name
        path.write_bytes(self.job.content)
        return str(path)

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def _format_json(analysis: Analysis) -> str:
    from talkover.export.json import format_json

    return format_json(analysis)


def timeline_to_json(timeline: SpeakerTimeline) -> str:
    """A diarizer's timeline at full float precision (``timelines/<uri>.json``)."""
    return json.dumps({
        "uri": timeline.uri,
        "duration_s": timeline.duration_s,
        "segments": [[s.start_s, s.end_s, s.speaker] for s in timeline],
    }) + "\n"


def timeline_from_json(text: str) -> SpeakerTimeline:
    """The inverse of :func:`timeline_to_json` (exactly the same timeline)."""
    data = json.loads(text)
    segments = tuple(Segment(float(a), float(b), str(s)) for a, b, s in data["segments"])
    return SpeakerTimeline(segments, duration_s=data["duration_s"], uri=data["uri"])
