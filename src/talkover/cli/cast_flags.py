"""The ``analyze`` flags that name speakers (by list, toml or enrolled voice), put them in
groups and ask for sensitivity."""

from __future__ import annotations

import argparse

from talkover.cast import Cast, build_cast, repeated
from talkover.errors import ConfigError
from talkover.files import check_file
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.voices import MATCH_THRESHOLD, VoiceClip, VoiceProfile

__all__ = ["add_cast_flags", "cast_from_args", "voices_from_args", "grid_from_args",
           "name_and_clip"]


def add_cast_flags(parser: argparse.ArgumentParser) -> None:
    """``--speakers``, ``--cast``, ``--groups`` (repeatable), ``--enroll`` and
    ``--sensitivity``."""
    parser.add_argument(
        "--speakers", metavar="NAMES",
        help='name the speakers in order of first speech, e.g. "Diane,Sheila" '
        "(one name per speaker; for a recording it also sets the number of speakers)",
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
        "--match-threshold", type=float, default=None, metavar="COS",
        help=f"least cosine similarity to accept a voice match (default {MATCH_THRESHOLD}); "
        "with --enroll or a --cast with voices",
    )
    parser.add_argument(
        "--sensitivity", action="store_true",
        help="recompute the headline numbers over a grid of thresholds (min_pause 0.2/0.3/0.5, "
        "backchannel_max 0.7/1.0/1.5, grace 0.3/0.5/0.8) and report their ranges",
    )


def cast_from_args(args: argparse.Namespace) -> Cast | None:
    """The cast ``--speakers`` or ``--cast`` names, with the ``--groups`` assignments
    (``None`` when none of them is given). Read before any slow work."""
    return build_cast(speakers=args.speakers, cast=args.cast, groups=args.groups or ())


def grid_from_args(args: argparse.Namespace) -> SensitivityGrid | None:
    return SensitivityGrid() if args.sensitivity else None


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


def voices_from_args(
    args: argparse.Namespace, cast: Cast | None
) -> list[VoiceProfile | VoiceClip]:
    """The voices ``--enroll`` gives: profiles read from ``.npz`` files, and clips to enroll.

    Read before any slow work: every path must be a file, profiles are loaded and no name may
    be enrolled twice (the cast's ``voice = ...`` clips included).

    Raises
    ------
    ConfigError
        A malformed ``--enroll`` value, or a name given twice.
    FormatError
        A path that is missing or a directory, or a profile that cannot be read.
    """
    from talkover.voices import check_match_threshold, load_profiles

    given = args.match_threshold is not None
    if not given:
        args.match_threshold = MATCH_THRESHOLD
    check_match_threshold(args.match_threshold, name="--match-threshold")
    voices: list[VoiceProfile | VoiceClip] = []
    for value in args.enroll:
        pair = name_and_clip(value, where="--enroll", expected="NAME=CLIP or PROFILE.npz")
        check_file(value if pair is None else pair[1])
        voices += load_profiles(value) if pair is None else [VoiceClip(*pair)]
    clips = [m for m in (cast.members if cast else ()) if m.voice]
    for member in clips:
        check_file(member.voice)
    if twice := repeated([v.name for v in voices] + [m.name for m in clips]):
        raise ConfigError(f"--enroll: voice(s) given twice: {', '.join(twice)}")
    if given and not voices and not clips:
        raise ConfigError("--match-threshold applies only when voices are matched: give "
                          "--enroll NAME=CLIP (or a --cast with voice = ...)")
    return voices
