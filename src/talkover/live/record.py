"""The record a live session leaves: the audio, the full offline analysis of it, and how the
live counts compare with that analysis.

The offline analysis is what ``talkover analyze session.wav`` gives (the diarizer sees the
whole recording, past and future, so it is the better judge); the live decisions were made on
the audio so far. :func:`compare_counts` maps live speakers onto the offline ones (the
one-to-one mapping that best aligns their speech) and counts events per type and pair.

Files are written to temporary names in their folder and renamed into place
(:func:`talkover.files.write_atomically`), so each is whole or absent.
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from talkover.analysis import Analysis
from talkover.config import EventConfig
from talkover.events.types import SIMULTANEOUS_TYPES
from talkover.files import write_atomically
from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.live.session import SessionResult
from talkover.voices import VoiceProfile

if TYPE_CHECKING:
    from talkover.diarize import Diarizer

__all__ = [
    "CountRow",
    "Comparison",
    "analyze_recording",
    "compare_counts",
    "format_comparison",
    "save_wav",
    "write_analyses",
]

#: Event types the comparison counts.
COMPARED_TYPES = (*SIMULTANEOUS_TYPES, "switch")


def save_wav(samples: np.ndarray, path: str | Path) -> None:
    """Write 16-bit PCM ``(channels, num_samples)`` at 16 kHz as a WAV file, atomically
    (:func:`talkover.files.write_atomically`)."""
    write_atomically([(path, lambda tmp: _write_wav(samples, tmp))])


def _write_wav(samples: np.ndarray, path: Path) -> None:
    pcm = np.ascontiguousarray(np.atleast_2d(samples).T, dtype="<i2")  # interleaved
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(pcm.shape[1])
        fh.setsampwidth(2)
        fh.setframerate(SAMPLE_RATE_HZ)
        fh.writeframes(pcm.tobytes())


def analyze_recording(
    samples: np.ndarray,
    *,
    diarizer: Diarizer | None,
    config: EventConfig,
    profiles: Sequence[VoiceProfile] = (),
    channel_names: Sequence[str] | None = None,
    wav_path: str | None = None,
) -> Analysis:
    """The offline analysis of a session's audio: :func:`talkover.analyze` of the saved
    recording (or of the audio itself when it was not saved).

    Parameters
    ----------
    samples
        Float audio ``(channels, num_samples)`` at 16 kHz (what was saved to ``wav_path``).
    diarizer
        The live session's (its models are loaded already); ``None`` with ``channel_names``.
    profiles
        Enrolled voices: the diarized speakers they match are named after them.
    channel_names
        One name per channel (``--channels``): per-channel voice activity instead of
        diarization.
    wav_path
        The saved recording, when it was saved (the analysis names it, reports play it).
    """
    from talkover import Channels, analyze
    from talkover.io import Waveform

    if channel_names is not None:
        if wav_path is not None:
            return analyze(Channels(wav_path, tuple(channel_names)), config=config)
        from talkover.multichannel import diarize_channels

        waveforms = [Waveform(row, SAMPLE_RATE_HZ) for row in samples]
        return analyze(diarize_channels(waveforms, channel_names, uri="live"), config=config)
    source = wav_path if wav_path is not None else Waveform(
        samples.mean(axis=0).astype(np.float32), SAMPLE_RATE_HZ)
    return analyze(source, diarizer=diarizer, config=config, voices=tuple(profiles),
                   uri=None if wav_path is not None else "live")


@dataclass(frozen=True, slots=True)
class CountRow:
    """Events of ``type`` by ``by`` over ``of``: how many live, how many offline."""

    type: str
    by: str
    of: str
    live: int
    offline: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """Live counts against the offline analysis of the same recording.

    ``mapping``: live speaker -> offline speaker (a live speaker the mapping left out, as when
    live heard more speakers, is ``live:NAME``); ``rows`` per type and pair; ``totals`` per
    type as ``(live, offline)``.
    """

    mapping: tuple[tuple[str, str], ...]
    rows: tuple[CountRow, ...]
    totals: tuple[tuple[str, int, int], ...]

    def total(self, kind: str) -> tuple[int, int]:
        for name, live, offline in self.totals:
            if name == kind:
                return live, offline
        return 0, 0

    def to_dict(self) -> dict:
        return {
            "mapping": dict(self.mapping),
            "totals": {k: {"live": live, "offline": off} for k, live, off in self.totals},
            "pairs": [{"type": r.type, "by": r.by, "of": r.of, "live": r.live,
                       "offline": r.offline} for r in self.rows],
        }


def compare_counts(result: SessionResult, analysis: Analysis) -> Comparison:
    """Live event counts against ``analysis``'s, per type and per (by, of) pair."""
    from talkover.evaluation.diarization import optimal_mapping

    mapping = optimal_mapping(analysis.timeline, result.timeline) if len(analysis.timeline) \
        and len(result.timeline) else {}
    names = _offline_names(analysis)
    mapping = {live: names.get(off, off) for live, off in mapping.items()}
    for live in result.speakers:  # left unmapped: kept apart from offline names
        mapping.setdefault(live, f"live:{live}")
    live = _count((e.event.type, mapping.get(e.event.by, e.event.by),
                   mapping.get(e.event.of, e.event.of)) for e in result.events)
    offline = _count((e.type, names.get(e.by, e.by), names.get(e.of, e.of))
                     for e in analysis.events)
    keys = sorted(set(live) | set(offline), key=lambda k: (COMPARED_TYPES.index(k[0])
                                                           if k[0] in COMPARED_TYPES else 99, k))
    rows = tuple(CountRow(t, by, of, live.get((t, by, of), 0), offline.get((t, by, of), 0))
                 for t, by, of in keys)
    totals = tuple(
        (kind, sum(r.live for r in rows if r.type == kind),
         sum(r.offline for r in rows if r.type == kind))
        for kind in COMPARED_TYPES
    )
    return Comparison(tuple(sorted(mapping.items())), rows, totals)


def _offline_names(analysis: Analysis) -> dict[str, str]:
    """Offline speaker id -> the name the analysis gives it (enrolled voices), else the id."""
    return {s.speaker: (s.name or s.speaker) for s in analysis.speakers}


def _count(keys: Iterator[tuple[str, str, str]] | Sequence) -> dict[tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = {}
    for key in keys:
        out[key] = out.get(key, 0) + 1
    return out


def format_comparison(comparison: Comparison) -> str:
    """A few lines for the summary: totals per type, then the pairs that differ."""
    lines = ["live vs offline analysis of the same recording (events per type):"]
    for kind, live, offline in comparison.totals:
        if live or offline:
            diff = f"{(live - offline) / offline:+.0%}" if offline else "n/a"
            lines.append(f"  {kind:20s} live {live:3d}   offline {offline:3d}   ({diff})")
    differing = [r for r in comparison.rows if r.live != r.offline and r.type != "switch"]
    if differing:
        lines.append("  pairs that differ (type, by over of: live / offline):")
        lines += [f"    {r.type} {r.by} over {r.of}: {r.live} / {r.offline}" for r in differing]
    return "\n".join(lines) + "\n"


def write_analyses(
    analysis: Analysis, jobs: Sequence[tuple[str | Path, Callable[[Analysis, Path], None]]]
) -> None:
    """Write ``analysis`` through each ``(path, writer)``, all or nothing
    (:func:`talkover.files.write_atomically`)."""
    write_atomically([
        (path, lambda tmp, writer=writer: writer(analysis, tmp)) for path, writer in jobs
    ])
