"""``talkover analyze --channels`` / ``--tracks``: the multichannel flags of ``analyze``."""

from __future__ import annotations

import argparse
from pathlib import Path

from talkover.errors import InputError
from talkover.multichannel import MultichannelConfig
from talkover.multichannel.pipeline import check_names
from talkover.multichannel.sources import parse_names
from talkover.sources import Channels, Tracks

__all__ = ["add_multichannel_flags", "is_multichannel", "multichannel_source_from_args"]

# (flag, MultichannelConfig field, help)
_TUNING = (
    ("--vad-onset", "onset", "VAD probability that starts speech"),
    ("--vad-offset", "offset", "VAD probability below which speech ends"),
    ("--bleed-margin-db", "bleed_margin_db", "bleed: another channel is this many dB louder..."),
    ("--bleed-min-correlation", "bleed_min_correlation", "...and correlates at least this much"),
    ("--bleed-max-lag", "bleed_max_lag_s", "largest inter-microphone delay (s)"),
    ("--bleed-run-fraction", "bleed_run_fraction", "drop a VAD run this share bleed"),
    ("--min-burst", "min_burst_s", "drop VAD blips shorter than this before closing gaps (s)"),
    ("--vad-min-pause", "min_pause_s", "close pauses shorter than this within a speaker (s)"),
    ("--min-segment", "min_segment_s", "drop speech segments shorter than this (s)"),
    ("--speech-pad", "pad_s", "widen speech by this on each side (s)"),
)


def add_multichannel_flags(parser: argparse.ArgumentParser) -> None:
    """``--channels``, ``--tracks``, ``--track-names`` and one flag per MultichannelConfig field."""
    group = parser.add_argument_group(
        "multichannel recordings (one microphone per speaker; see docs/multichannel.md)"
    )
    group.add_argument(
        "--channels",
        metavar="NAMES",
        help='INPUT is audio with one channel per speaker, named in order: "Agent,Customer"',
    )
    group.add_argument(
        "--tracks", nargs="+", metavar="FILE", help="one audio file per speaker (no INPUT)"
    )
    group.add_argument(
        "--track-names", metavar="NAMES", help="speaker names for --tracks (default: file stems)"
    )
    defaults = MultichannelConfig()
    for flag, field, text in _TUNING:
        group.add_argument(
            flag,
            type=float,
            dest=f"mc_{field}",
            metavar="X",
            help=f"{text} (default {getattr(defaults, field)})",
        )
    # the flags' names before 0.2 (deprecated, kept for one release)
    group.add_argument("--min-speech", type=float, dest="mc_min_segment_s", help=argparse.SUPPRESS)
    group.add_argument("--min-gap", type=float, dest="mc_min_pause_s", help=argparse.SUPPRESS)


def is_multichannel(args: argparse.Namespace) -> bool:
    """Whether ``--channels`` or ``--tracks`` was given.

    Raises
    ------
    InputError
        ``--track-names`` without ``--tracks``.
    """
    if args.track_names is not None and args.tracks is None:
        raise InputError("--track-names needs --tracks")
    return args.channels is not None or args.tracks is not None


def multichannel_source_from_args(args: argparse.Namespace) -> Tracks | Channels:
    """The ``--channels``/``--tracks`` source (:func:`is_multichannel`), its names checked
    with messages that name the flag they came from (before anything is decoded)."""
    if args.channels is not None and args.tracks is not None:
        raise InputError("give either --channels (one file) or --tracks (several), not both")
    config = MultichannelConfig().updated(
        **{field: getattr(args, f"mc_{field}") for _, field, _ in _TUNING}
    )
    if args.tracks is not None:
        if args.input is not None:
            raise InputError(
                f"{args.input}: with --tracks give no INPUT; list every file after --tracks"
            )
        if not args.tracks:
            raise InputError("--tracks needs at least one audio file")
        if args.track_names is not None:
            names = parse_names(args.track_names, where="--track-names")
            check_names(names, len(args.tracks), per="track", kind="track",
                        where="--track-names")
        else:  # the file stems name the tracks
            names = tuple(Path(p).stem for p in args.tracks)
            check_names(names, len(args.tracks), per="track", kind="track", where="--tracks",
                        hint="name them with --track-names")
        return Tracks(tuple(args.tracks), names, config)
    if args.input is None:
        raise InputError("--channels needs INPUT, the multichannel recording")
    return Channels(args.input, parse_names(args.channels, where="--channels"), config)
