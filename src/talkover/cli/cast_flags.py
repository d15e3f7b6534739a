"""The ``analyze`` flags that name speakers (by list, toml or enrolled voice), put them in
groups and ask for sensitivity."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from talkover.cast import Cast, load_cast, repeated
from talkover.errors import ConfigError
from talkover.files import check_file
from talkover.io.waveform import Waveform
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.timeline import SpeakerTimeline
from talkover.voices import MATCH_THRESHOLD, VoiceEmbedder, VoiceProfile

__all__ = ["Recording", "Enrollment", "add_cast_flags", "named_cast", "enrollment_from_args",
           "cast_from_args", "name_and_clip"]


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


@dataclass(frozen=True, slots=True)
class Enrollment:
    """The voices to match: profiles read from ``.npz`` files and clips still to embed.

    Attributes
    ----------
    profiles
        From ``--enroll PROFILE.npz``.
    clips
        ``(name, path)`` pairs from ``--enroll NAME=CLIP`` and the cast's ``voice = ...``.
    """

    profiles: tuple[VoiceProfile, ...]
    clips: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        """Every enrolled name, profiles first."""
        return [p.name for p in self.profiles] + [n for n, _ in self.clips]


def name_and_clip(value: str, *, where: str, expected: str) -> tuple[str, str] | None:
    """``NAME=CLIP`` as ``(name, clip)``, stripped; ``None`` when ``value`` has no ``=``.

    Raises
    ------
    ConfigError
        ``NAME`` or ``CLIP`` is empty: ``where: expected <expected>, got 'value'``.
    """
    name, eq, clip = (part.strip() for part in value.partition("="))
    if not eq:
        return None
    if not name or not clip:
        raise ConfigError(f"{where}: expected {expected}, got {value!r}")
    return name, clip


def enrollment_from_args(args: argparse.Namespace, cast: Cast | None) -> Enrollment | None:
    """The voices ``--enroll`` and the cast's ``voice = ...`` give (``None``: none given).

    Read before the timeline is made, so that a bad value or path fails before diarization:
    every path must be a file, profiles are loaded and no name may be enrolled twice.

    Raises
    ------
    ConfigError
        A malformed ``--enroll`` value, or a name given twice.
    FormatError
        A path that is missing or a directory, or a profile that cannot be read.
    """
    from talkover.voices import check_match_threshold, load_profiles

    check_match_threshold(args.match_threshold, name="--match-threshold")
    clips = [(m.name, m.voice) for m in (cast.members if cast else ()) if m.voice]
    profile_paths = []
    for value in args.enroll:
        pair = name_and_clip(value, where="--enroll", expected="NAME=CLIP or PROFILE.npz")
        if pair is None:
            profile_paths.append(value)
        else:
            clips.append(pair)
    if not clips and not profile_paths:
        return None
    for path in [*profile_paths, *(c for _, c in clips)]:
        check_file(path)
    profiles = tuple(p for path in profile_paths for p in load_profiles(path))
    enrollment = Enrollment(profiles, tuple(clips))
    if twice := repeated(enrollment.names):
        raise ConfigError(f"--enroll: voice(s) given twice: {', '.join(twice)}")
    return enrollment


def cast_from_args(
    args: argparse.Namespace,
    timeline: SpeakerTimeline,
    *,
    cast: Cast | None,
    enrollment: Enrollment | None,
    recording: Recording,
) -> dict[str, Any]:
    """``cast=`` and ``sensitivity=`` keyword arguments for :func:`analyze_timeline`.

    ``cast`` is :func:`named_cast`'s and ``enrollment`` :func:`enrollment_from_args`'s; voices
    are matched (in ``recording``: ``--media``, or INPUT itself when it is a recording that was
    diarized) and groups given here.
    """
    if enrollment is not None:
        cast = _match_voices(args, timeline, cast or Cast(), enrollment, recording)
    if args.groups:
        cast = (cast or Cast()).with_groups(args.groups)
    grid = SensitivityGrid() if args.sensitivity else None
    return {"cast": cast, "sensitivity": grid}


def _match_voices(
    args: argparse.Namespace,
    timeline: SpeakerTimeline,
    cast: Cast,
    enrollment: Enrollment,
    recording: Recording,
) -> Cast:
    from talkover.io import decode_audio
    from talkover.voices import enroll_voice, identify_speakers

    if not recording.path:
        raise ConfigError("--enroll and toml voices need the recording: give --media FILE")
    # decode first: a bad clip or recording is refused before CAM++ (and torch) loads
    clips = [(name, decode_audio(clip)) for name, clip in enrollment.clips]
    waveform = recording.waveform
    waveform = waveform if waveform is not None else decode_audio(recording.path)
    embedder = recording.embedder or VoiceEmbedder()
    profiles = [
        *enrollment.profiles,
        *(enroll_voice(name, clip, embedder=embedder) for name, clip in clips),
    ]
    matches = identify_speakers(
        waveform, timeline, profiles, threshold=args.match_threshold, embedder=embedder,
    )
    return cast.with_voice_matches(matches, enrolled=enrollment.names)
