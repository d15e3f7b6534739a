"""The worker function: one :class:`~talkover.batch.jobs.Job` in, one
:class:`~talkover.batch.jobs.JobResult` out. Both executors (local processes, Ray actors) call
:func:`run_job`; it never writes the store (the driver does).

A full job is :func:`talkover.analyze` of the input, exactly as ``talkover analyze`` runs it
(so the Analysis JSON is the same); an events job re-derives the events from the timeline of the
recording's kept Analysis JSON with :func:`~talkover.analysis.analyze_timeline` (no decoding, no
model). A worker keeps its :class:`Models` between jobs: the diarizer is loaded on the first
recording it diarizes and reused for every later one.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from talkover.analysis import Analysis, analyze_timeline
from talkover.batch.jobs import AnalysisOptions, Job, JobResult, error_message
from talkover.store.manifest import Timings

if TYPE_CHECKING:
    from talkover.cast import Cast
    from talkover.diarize import Diarizer

__all__ = ["Models", "run_job", "threads_per_worker", "worker_name", "prepare_worker_process"]

#: oneDNN primitives a worker keeps cached (its default, 1024, holds one set per input shape
#: CAM++ has seen: on a 10-minute recording 8 took 846 MiB of peak memory against 935-1058).
ONEDNN_CACHE = "8"
#: glibc malloc arenas of a worker (the default, 8 per core, lets each diarizer thread keep
#: its own fragmented heap: with 2, 948 MiB against 935-1058 on 10 minutes, and with the oneDNN
#: cache 747).
MALLOC_ARENAS = 2

#: Called with how far the job is, 0..1.
ProgressReport = Callable[[float], None]


def prepare_worker_process(threads: int) -> None:
    """Settings of a batch worker process, made before torch loads: ``threads`` OpenMP threads,
    a small oneDNN primitive cache and few malloc arenas (see :data:`ONEDNN_CACHE`,
    :data:`MALLOC_ARENAS`): they bound the memory of long recordings and leave results as they
    are."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", ONEDNN_CACHE)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, MALLOC_ARENAS)  # M_ARENA_MAX (glibc only)
    except (OSError, AttributeError):
        pass


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
    decoded: list[float] = []
    with _logged_warnings() as warned:
        try:
            analysis = (_events(job) if job.stage == "events"
                        else _full(job, models, report, decoded))
            text, error, duration_s = _format_json(analysis), None, analysis.duration_s
        except Exception as exc:  # noqa: BLE001 - a failed recording must not stop the batch
            text, error, duration_s = None, error_message(exc), None
    total_s = time.perf_counter() - started
    decode_s = decoded[0] if decoded else None
    timings = (
        Timings(events_s=total_s, total_s=total_s) if job.stage == "events"
        else Timings(decode_s=decode_s, diarize_s=total_s - (decode_s or 0.0), total_s=total_s)
    )
    return JobResult(
        uri=job.uri, diarization_hash=job.diarization_hash, events_hash=job.events_hash,
        analysis_json=text, error=error, diarized=job.stage == "full", duration_s=duration_s,
        timings=timings, worker=worker_name(), warnings=tuple(warned),
    )


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _logged_warnings() -> Iterator[list[str]]:
    """The warnings talkover logs while the block runs (``call.wav: decoded 9.4 s of the 30.0 s
    its header declares ...``), collected for the manifest rather than left on the worker's
    stderr, where a batch of many files loses them."""
    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("talkover")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _full(
    job: Job, models: Models, report: ProgressReport | None, decoded: list[float]
) -> Analysis:
    """:func:`talkover.analyze` of the job's input, as ``talkover analyze`` calls it (a
    recording decoded first, to time it: ``decoded`` gets the seconds)."""
    from talkover import analyze
    from talkover.io import decode_audio
    from talkover.metrics.sensitivity import SensitivityGrid

    o = job.options
    audio = job.kind == "audio"
    progress = None
    if report is not None and audio:
        def progress(done_s: float, total_s: float) -> None:
            report(done_s / total_s if total_s else 1.0)

    with _local_copy(job) as path:
        source = path
        if audio:
            started = time.perf_counter()
            source = decode_audio(path)
            decoded.append(time.perf_counter() - started)
        analysis = analyze(
            source, config=o.config, diarizer=models.diarizer if audio else None,
            num_speakers=o.num_speakers if audio else None,
            min_speakers=o.min_speakers if audio else None,
            max_speakers=o.max_speakers if audio else None,
            cast=_cast(o), sensitivity=SensitivityGrid() if o.sensitivity else None,
            progress=progress, input_format=o.input_format, uri=job.uri,
        )
    if path != job.path:
        analysis = _renamed(analysis, path, job.path)
    return analysis


def _events(job: Job) -> Analysis:
    """The events of the kept analysis's timeline, found again with the job's options."""
    from talkover import read_analysis
    from talkover.metrics.sensitivity import SensitivityGrid

    if job.analysis_json is None:
        raise ValueError(f"{job.uri}: an events job needs the kept analysis")
    import json

    kept = read_analysis(json.loads(job.analysis_json))
    o = job.options
    return analyze_timeline(
        kept.timeline, config=o.config, input_path=job.path, media_path=kept.media_path,
        cast=_cast(o), sensitivity=SensitivityGrid() if o.sensitivity else None,
    )


def _cast(options: AnalysisOptions) -> Cast | None:
    """The cast the options name (as ``analyze``'s ``--speakers``/``--cast``/``--groups``)."""
    from talkover.cast import build_cast

    return build_cast(speakers=options.speakers, cast=options.cast, groups=options.groups)


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


def _renamed(analysis: Analysis, local: str, original: str) -> Analysis:
    """An analysis of a shipped copy, naming the original file instead of the copy."""
    def name(path: str | None) -> str | None:
        return original if path == local else path

    stamp = analysis.provenance
    inputs = tuple(replace(f, name=name(f.name)) for f in stamp.inputs)
    provenance = replace(stamp, inputs=inputs)
    return replace(
        analysis, input_path=name(analysis.input_path), media_path=name(analysis.media_path),
        provenance=provenance, timeline=analysis.timeline.stamped(provenance),
    )


def _format_json(analysis: Analysis) -> str:
    from talkover.export.json import format_json

    return format_json(analysis)
