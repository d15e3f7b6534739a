"""The ``analyze`` flags that name speakers (by list, toml or enrolled voice), put them in
groups and ask for sensitivity."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from talkover.cast import Cast, load_cast
from talkover.cli.common import repeated
from talkover.errors import ConfigError
from talkover.io.waveform import Waveform
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.timeline import SpeakerTimeline
from talkover.voices import MATCH_THRESHOLD, VoiceEmbedder, VoiceProfile

__all__ = ["Recording", "add_cast_flags", "named_cast", "cast_from_args"]


@dataclass(frozen=True, slots=True)
class Recording:
    """The recording voices are matched in, and what of it is at hand already.

    Attributes
    ----------
    path
        Its path (``None``: no recording was given).
    waveform
        It decoded, when it was (else it is decoded when voices are matched).
    embedder
        The CAM++ the diarizer loaded, when it ran (else it is loaded when voices are matched).
    """

    path: str | None
    waveform: Waveform | None = None
    embedder: VoiceEmbedder | None = None


def add_cast_flags(parser: argparse.ArgumentParser) -> None:
    """``--speakers``, ``--cast``, ``--groups`` (repeatable) and ``--sensitivity``."""
    parser.add_argument(
        "--speakers", metavar="NAMES",
        help='name the speakers in order of first speech, e.g. "Diane,Sheila" '
        "(one name per speaker)",
    )
    parser.add_argument(
        "--cast", metavar="TOML",
        help="a speakers.toml with [[speaker]] tables (name, id, groups, voice)",
    )
    parser.add_argument(
        "--groups", action="append", default=[], metavar="[ATTR:]NAME=VALUE,...",
        help='put speakers (by name or id) in groups, e.g. "gender:Diane=woman,Bob=man"; '
        'ATTR defaults to "group"; repeat for more attributes. Groups are never inferred '
        "from voices",
    )
    parser.add_argument(
        "--enroll", action="append", default=[], metavar="NAME=CLIP|PROFILE.npz",
        help="name speakers by voice: a clip of NAME speaking alone, or profiles saved by "
        "`talkover enroll`; repeatable (a --cast voice = ... enrolls too); needs --media",
    )
    parser.add_argument(
        "--match-threshold", type=float, default=MATCH_THRESHOLD, metavar="COS",
        help=f"least cosine similarity to accept a voice match (default {MATCH_THRESHOLD})",
    )
    parser.add_argument(
        "--sensitivity", action="store_true",
        help="recompute the headline numbers over a grid of thresholds (min_pause 0.2/0.3/0.5, "
        "backchannel_max 0.7/1.0/1.5, grace 0.3/0.5/0.8) and report their ranges",
    )


def named_cast(args: argparse.Namespace) -> Cast | None:
    """The cast ``--speakers`` or ``--cast`` names (``None`` when neither is given).

    Read before the timeline is made, so that a bad flag or file fails before diarization.
    """
    if args.speakers and args.cast:
        raise ConfigError("give either --speakers or --cast, not both")
    if args.cast:
        return load_cast(args.cast)
    if args.speakers is not None:
        return Cast.from_names(args.speakers)
    return None


def cast_from_args(
    args: argparse.Namespace,
    timeline: SpeakerTimeline,
    *,
    cast: Cast | None,
    recording: Recording,
) -> dict[str, Any]:
    """``cast=`` and ``sensitivity=`` keyword arguments for :func:`analyze_timeline`.

    ``cast`` is :func:`named_cast`'s; voices are matched (in ``recording``: ``--media``, or
    INPUT itself when it is a recording that was diarized) and groups given here.
    """
    voices = [m for m in (cast.members if cast else ()) if m.voice]
    if args.enroll or voices:
        cast = _match_voices(args, timeline, cast or Cast(), recording)
    if args.groups:
        cast = (cast or Cast()).with_groups(args.groups)
    grid = SensitivityGrid() if args.sensitivity else None
    return {"cast": cast, "sensitivity": grid}


def _match_voices(
    args: argparse.Namespace,
    timeline: SpeakerTimeline,
    cast: Cast,
    recording: Recording,
) -> Cast:
    from talkover.io import decode_audio
    from talkover.voices import enroll_voice, identify_speakers, load_profiles

    if not recording.path:
        raise ConfigError("--enroll and toml voices need the recording: give --media FILE")
    profiles: list[VoiceProfile] = []
    clips = [(m.name, m.voice) for m in cast.members if m.voice]
    for value in args.enroll:
        name, eq, clip = value.partition("=")
        if eq:
            if not name.strip() or not clip.strip():
                raise ConfigError(f"--enroll: expected NAME=CLIP or PROFILE.npz, got {value!r}")
            clips.append((name.strip(), clip.strip()))
        else:
            profiles += load_profiles(value)
    names = [p.name for p in profiles] + [n for n, _ in clips]
    if twice := repeated(names):  # before any clip is embedded
        raise ConfigError(f"--enroll: voice(s) given twice: {', '.join(twice)}")
    embedder = recording.embedder or VoiceEmbedder()
    profiles += [enroll_voice(n, decode_audio(c), embedder=embedder) for n, c in clips]
    waveform = recording.waveform
    matches = identify_speakers(
        waveform if waveform is not None else decode_audio(recording.path), timeline, profiles,
        threshold=args.match_threshold, embedder=embedder,
    )
    return cast.with_voice_matches(matches, enrolled=names)
