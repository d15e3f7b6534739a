"""``talkover.analyze()``: any source in, an :class:`~talkover.analysis.Analysis` out.

The one library entry every shell calls (the CLI, the batch runner, the web app, live mode's
record): a source becomes a speaker timeline by the producer it needs, then
:func:`~talkover.analysis.analyze_timeline` finds the events.

=================================  =========================================================
source                             producer (its stamp: ``Analysis.provenance.kind``)
=================================  =========================================================
annotation file (``.rttm`` ...)    its reader (``annotation``, or ``transcript`` with text)
recording (``.wav``, ``.mp4`` ...)  decoded, diarized, cleaned (``audio``)
:class:`~talkover.io.Waveform`      diarized, cleaned (``audio``)
:class:`Tracks`, :class:`Channels`  per-microphone voice activity (``multichannel``)
:class:`~talkover.timeline.SpeakerTimeline`  taken as it is (its own stamp, or ``timeline``)
=================================  =========================================================

>>> from talkover import analyze
>>> analysis = analyze("data/samples/pyannote_sample_call.rttm")  # doctest: +SKIP
>>> analysis.provenance.kind, len(analysis.events)  # doctest: +SKIP
('annotation', 9)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast, repeated
from talkover.config import EventConfig
from talkover.errors import ConfigError, InputError
from talkover.formats import is_annotation, read_annotation
from talkover.io import Waveform
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.multichannel import MultichannelConfig
from talkover.provenance import Provenance, SourceKind
from talkover.timeline import SpeakerTimeline
from talkover.voices import MATCH_THRESHOLD, VoiceClip, VoiceProfile

if TYPE_CHECKING:
    from talkover.diarize import Diarizer, ProgressCallback
    from talkover.voices import VoiceEmbedder

__all__ = ["Tracks", "Channels", "Source", "analyze", "source_kind"]

logger = logging.getLogger("talkover")


@dataclass(frozen=True, slots=True)
class Tracks:
    """One audio file per speaker (one microphone each).

    Attributes
    ----------
    paths
        The files, one per speaker.
    names
        The speakers' names, in the order of ``paths`` (default: the file stems).
    config
        Voice-activity settings (default :class:`~talkover.multichannel.MultichannelConfig`).
    """

    paths: tuple[str | os.PathLike[str], ...]
    names: tuple[str, ...] | None = None
    config: MultichannelConfig | None = None


@dataclass(frozen=True, slots=True)
class Channels:
    """One recording with one channel per speaker, named in channel order."""

    path: str | os.PathLike[str]
    names: tuple[str, ...]
    config: MultichannelConfig | None = None


#: What :func:`analyze` takes.
Source = Union[str, os.PathLike, Waveform, SpeakerTimeline, Tracks, Channels]  # noqa: UP007


def source_kind(source: Source, *, input_format: str | None = None) -> SourceKind:
    """The kind of timeline ``source`` gives (an annotation file with text gives
    ``transcript`` once read; this says ``annotation`` for every annotation file).

    >>> source_kind("call.rttm"), source_kind("call.mp4"), source_kind(Tracks(("a.wav",)))
    ('annotation', 'audio', 'multichannel')
    """
    if isinstance(source, SpeakerTimeline):
        return source.provenance.kind if source.provenance else "timeline"
    if isinstance(source, Waveform):
        return "audio"
    if isinstance(source, (Tracks, Channels)):
        return "multichannel"
    if input_format is not None or is_annotation(source):
        return "annotation"
    return "audio"


def analyze(
    source: Source,
    *,
    config: EventConfig | None = None,
    diarizer: Diarizer | None = None,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    cast: Cast | None = None,
    voices: Sequence[VoiceProfile | VoiceClip] = (),
    match_threshold: float = MATCH_THRESHOLD,
    sensitivity: SensitivityGrid | None = None,
    progress: ProgressCallback | None = None,
    input_format: str | None = None,
    media: str | os.PathLike[str] | None = None,
    uri: str | None = None,
) -> Analysis:
    """Analyse who talks over whom in ``source``.

    Parameters
    ----------
    source
        A recording or annotation file path, a decoded :class:`~talkover.io.Waveform`, a
        :class:`~talkover.timeline.SpeakerTimeline`, or :class:`Tracks` / :class:`Channels`
        for one microphone per speaker (see the module doc).
    config
        Event thresholds (default :class:`~talkover.config.EventConfig`).
    diarizer
        The :class:`~talkover.diarize.Diarizer` to use for recordings (and its CAM++ for voice
        matching); pass one to analyse many recordings with the models loaded once. Built on
        first need otherwise.
    num_speakers, min_speakers, max_speakers
        Speaker counts for the diarizer (recordings only). A ``cast`` that names the speakers
        in order (``Cast.from_names``) sets ``num_speakers`` to the number of names.
    cast
        Names and groups (:mod:`talkover.cast`); members with a ``voice`` clip are enrolled.
    voices
        Voice profiles (:func:`talkover.voices.load_profiles`) or clips
        (:class:`~talkover.voices.VoiceClip`) that name speakers by voice; needs the recording
        (the source itself, or ``media``).
    match_threshold
        Least cosine similarity to accept a voice match.
    sensitivity
        Recompute the headline numbers over this grid of thresholds.
    progress
        Called with (seconds done, seconds in all) while a recording is diarized.
    input_format
        Read an annotation file as this format whatever its extension
        (:data:`talkover.formats.INPUT_FORMATS`).
    media
        The recording an annotation belongs to (reports play it; voice matching listens to it).
    uri
        The recording's name (default: the file stem).

    Raises
    ------
    InputError
        The source cannot be read or decoded (:class:`~talkover.errors.FormatError`,
        :class:`~talkover.errors.DecodeError`), or options contradict each other
        (:class:`~talkover.errors.ConfigError`); every check that needs no model is made
        before any decoding or model loading.
    ModelError
        Packaged model weights are missing or corrupt.
    """
    kind = source_kind(source, input_format=input_format)
    num_speakers = _speaker_counts(kind, cast, voices, num_speakers, min_speakers, max_speakers)
    clips = _voice_clips(cast, voices)
    if media is not None:
        _check_media(media)
    if voices or clips:
        _check_voices(kind, source, media, voices, clips)
    timeline, waveform, diarizer = _timeline(
        source, kind, diarizer=diarizer, num_speakers=num_speakers, min_speakers=min_speakers,
        max_speakers=max_speakers, progress=progress, input_format=input_format,
    )
    if uri is not None:
        stamp = timeline.provenance or Provenance(kind)
        timeline = timeline.stamped(replace(stamp, uri=uri))
    if kind == "audio" and cast is not None and _names_in_order(cast, voices):
        cast = _fit_names(cast, timeline)
    if voices or clips:
        cast = _match_voices(
            timeline, cast or Cast(), [*voices, *clips], recording=waveform or media or source,
            diarizer=diarizer, threshold=match_threshold,
        )
    return analyze_timeline(
        timeline, config=config, input_path=_input_path(source),
        media_path=_media_path(source, kind, media), cast=cast, sensitivity=sensitivity,
    )


def _speaker_counts(
    kind: SourceKind,
    cast: Cast | None,
    voices: Sequence[VoiceProfile | VoiceClip],
    num_speakers: int | None,
    min_speakers: int | None,
    max_speakers: int | None,
) -> int | None:
    """``num_speakers`` for the diarizer: as given, or the number of names a cast gives in
    order of first speech.

    Raises
    ------
    ConfigError
        Speaker counts for a source that is not diarized; counts that contradict each other
        or the cast.
    """
    from talkover.diarize.clustering import check_speaker_counts

    given = any(n is not None for n in (num_speakers, min_speakers, max_speakers))
    if kind != "audio":
        if given:
            raise ConfigError(
                f"speaker counts apply to recordings that are diarized; this source is "
                f"{'an ' if kind[0] in 'aeiou' else 'a '}{kind} timeline"
            )
        return None
    check_speaker_counts(num_speakers, min_speakers, max_speakers)
    named = _names_in_order(cast, voices)
    if named is None:
        return num_speakers
    if num_speakers is not None and num_speakers != len(named):
        raise ConfigError(
            f"{len(named)} speaker name(s) given ({', '.join(named)}) but num_speakers is "
            f"{num_speakers}; give one name per speaker"
        )
    if not (min_speakers or 1) <= len(named) <= (max_speakers or len(named)):
        raise ConfigError(
            f"{len(named)} speaker name(s) given ({', '.join(named)}) but the speaker count "
            f"must be between {min_speakers or 1} and {max_speakers}"
        )
    return len(named)


def _names_in_order(
    cast: Cast | None, voices: Sequence[VoiceProfile | VoiceClip]
) -> list[str] | None:
    """The names a cast gives in order of first speech, when they fix the speaker count (no
    member matched by id, no voice enrollment)."""
    if cast is None or not cast.members or voices:
        return None
    if any(m.id is not None or m.voice is not None for m in cast.members):
        return None
    return [m.name for m in cast.members]


def _fit_names(cast: Cast, timeline: SpeakerTimeline) -> Cast:
    """The cast without the names the diarization left no speaker for (it was asked for one
    speaker per name, but clean-up can drop a speaker with only slivers of speech): they are
    said in a warning, and their group assignments dropped with them."""
    found = len(timeline.speakers)
    if found >= len(cast.members):
        return cast
    unused = [m.name for m in cast.members[found:]]
    logger.warning(
        "%d speaker name(s) given but the diarizer found %d speaker(s); not used: %s",
        len(cast.members), found, ", ".join(unused),
    )
    kept = tuple(a for a in cast.assignments if a.speaker not in unused)
    return replace(cast, members=cast.members[:found], assignments=kept)


def _voice_clips(cast: Cast | None, voices: Sequence[VoiceProfile | VoiceClip]) -> list[VoiceClip]:
    """The cast's ``voice = ...`` clips not already among ``voices``."""
    given = {v.name for v in voices}
    return [
        VoiceClip(m.name, m.voice)
        for m in (cast.members if cast else ())
        if m.voice is not None and m.name not in given
    ]


def _check_media(media: str | os.PathLike[str]) -> None:
    if Path(media).is_dir():
        raise InputError(f"{media}: is a directory, expected an audio or video file (media)")
    if not Path(media).is_file():
        raise InputError(f"{media}: media file not found")


def _check_voices(
    kind: SourceKind,
    source: Source,
    media: str | os.PathLike[str] | None,
    voices: Sequence[VoiceProfile | VoiceClip],
    clips: Sequence[VoiceClip],
) -> None:
    """Voice matching needs a recording, clips that exist and no name twice.

    Raises
    ------
    ConfigError
        No recording to match voices in, or a name enrolled twice.
    FormatError
        A clip that is missing or a folder.
    """
    from talkover.files import check_file

    in_memory = isinstance(source, SpeakerTimeline)
    if media is None and (in_memory or kind not in ("audio", "multichannel")):
        raise ConfigError(
            "voice matching needs the recording: give the media file (--media FILE)"
        )
    for clip in [*clips, *(v for v in voices if isinstance(v, VoiceClip))]:
        check_file(clip.path)
    if twice := repeated([v.name for v in [*voices, *clips]]):
        raise ConfigError(f"voice(s) given twice: {', '.join(twice)}")


def _timeline(
    source: Source,
    kind: SourceKind,
    *,
    diarizer: Diarizer | None,
    num_speakers: int | None,
    min_speakers: int | None,
    max_speakers: int | None,
    progress: ProgressCallback | None,
    input_format: str | None,
) -> tuple[SpeakerTimeline, Waveform | None, Diarizer | None]:
    """The source's timeline, its decoded recording when it was diarized (for voice matching,
    so that it is not decoded twice), and the diarizer that ran (its CAM++ matches voices)."""
    if isinstance(source, SpeakerTimeline):
        return source, None, diarizer
    if isinstance(source, (Tracks, Channels)):
        return _multichannel_timeline(source), None, diarizer
    if kind == "annotation":
        return read_annotation(source, input_format=input_format), None, diarizer
    from talkover.io import decode_audio

    # decoded before the models load: a bad file is refused without importing torch
    waveform = source if isinstance(source, Waveform) else decode_audio(source)
    from talkover.diarize import Diarizer
    from talkover.pipeline import diarize_waveform

    diarizer = diarizer or Diarizer()
    if waveform.source_channels > 1:
        logger.warning(
            "%s: %d audio channels, mixed to mono; if each is one speaker's microphone, analyse "
            "them as channels (--channels NAMES, or talkover.Channels)",
            waveform.path or "recording", waveform.source_channels,
        )
    timeline = diarize_waveform(
        waveform, diarizer=diarizer, num_speakers=num_speakers,
        min_speakers=min_speakers, max_speakers=max_speakers, progress=progress,
    )
    return timeline, waveform, diarizer


def _multichannel_timeline(source: Tracks | Channels) -> SpeakerTimeline:
    from talkover.multichannel import diarize_channels
    from talkover.multichannel.sources import load_channel_file, load_tracks

    if isinstance(source, Tracks):
        waveforms, names = load_tracks(list(source.paths), source.names, where="tracks")
        first = source.paths[0]
    else:
        names = tuple(source.names)
        waveforms = load_channel_file(source.path, names)
        first = source.path
    return diarize_channels(waveforms, names, config=source.config, uri=Path(first).stem)


def _match_voices(
    timeline: SpeakerTimeline,
    cast: Cast,
    voices: Sequence[VoiceProfile | VoiceClip],
    *,
    recording: Waveform | str | os.PathLike[str] | Source,
    diarizer: Diarizer | None,
    threshold: float,
) -> Cast:
    """The cast with the speakers that enrolled voices matched named."""
    from talkover.io import decode_audio
    from talkover.voices import enroll_voice, identify_speakers

    # every clip and the recording decoded before CAM++ loads: a bad file is refused first
    clips = [v if isinstance(v, VoiceProfile) else (v.name, decode_audio(v.path)) for v in voices]
    if isinstance(recording, (Tracks, Channels)):
        recording = recording.paths[0] if isinstance(recording, Tracks) else recording.path
    waveform = recording if isinstance(recording, Waveform) else decode_audio(recording)
    embedder = _embedder(diarizer)
    profiles = [
        v if isinstance(v, VoiceProfile) else enroll_voice(v[0], v[1], embedder=embedder)
        for v in clips
    ]
    matches = identify_speakers(
        waveform, timeline, profiles, threshold=threshold, embedder=embedder
    )
    return cast.with_voice_matches(matches, enrolled=[p.name for p in profiles])


def _embedder(diarizer: Diarizer | None) -> VoiceEmbedder:
    """CAM++ for voice matching: the diarizer's when one ran or was given (loaded once)."""
    from talkover.voices import VoiceEmbedder

    return VoiceEmbedder(diarizer.embedding_model if diarizer is not None else None)


def _input_path(source: Source) -> str | None:
    if isinstance(source, SpeakerTimeline):
        return None
    if isinstance(source, Waveform):
        return source.path
    if isinstance(source, Tracks):
        return str(source.paths[0])
    if isinstance(source, Channels):
        return str(source.path)
    return str(source)


def _media_path(
    source: Source, kind: SourceKind, media: str | os.PathLike[str] | None
) -> str | None:
    if media is not None:
        return str(media)
    if kind in ("audio", "multichannel"):
        return _input_path(source)
    return None
