"""``talkover analyze``: find turn-taking events and write the results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from talkover.analysis import Analysis
from talkover.cli.cast_flags import add_cast_flags, cast_from_args, grid_from_args, voices_from_args
from talkover.cli.common import EXIT_OK, add_threshold_flags, config_from_args, say
from talkover.cli.diarize import (
    add_diarization_flags,
    check_diarization_flags,
    progress_for,
    refuse_speaker_counts,
)
from talkover.cli.multichannel import (
    add_multichannel_flags,
    is_multichannel,
    multichannel_source_from_args,
)
from talkover.errors import InputError
from talkover.export.json import format_json
from talkover.files import check_output, path_kind
from talkover.formats import INPUT_FORMATS
from talkover.outputs import OUTPUT_WRITERS, write_outputs
from talkover.provenance import SourceKind
from talkover.report import format_summary
from talkover.sources import Channels, Tracks, analyze, source_kind

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "analyze",
        help="find interruptions, backchannels and overlaps",
        description="Analyse who talks over whom. INPUT is an annotation file (.rttm, .json, "
        ".TextGrid, .eaf, .cha, .vtt, .srt, .csv; see docs/formats.md) or an audio/video "
        "recording, which is diarized first. Without -o a readable summary goes to stdout.",
    )
    parser.add_argument(
        "input", metavar="INPUT", nargs="?",
        help="annotation file (see docs/formats.md) or audio/video file; with --channels a "
        "multichannel recording",
    )
    parser.add_argument(
        "-o", "--output", action="append", default=[], metavar="OUT",
        help=f"write a result; the extension picks the format ({', '.join(sorted(OUTPUT_WRITERS))}"
        "; .csv is the segments, *events.csv the event list); may repeat",
    )
    parser.add_argument(
        "--input-format", choices=sorted(INPUT_FORMATS), metavar="NAME",
        help=f"read INPUT as this format whatever its extension ({', '.join(INPUT_FORMATS)})",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON to stdout")
    parser.add_argument(
        "--media", metavar="FILE",
        help="the recording the annotation belongs to; an .html report plays it",
    )
    parser.add_argument(
        "--link-media", action="store_true",
        help="in an .html report, link the recording by relative path instead of embedding it",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true",
        help="no progress bar and no 'wrote FILE' lines on stderr",
    )
    add_multichannel_flags(parser)
    add_threshold_flags(parser)
    add_diarization_flags(
        parser.add_argument_group("diarization (only when INPUT is an audio or video recording)")
    )
    add_cast_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    kind = _kind_of(args)
    if kind == "multichannel":
        refuse_speaker_counts(
            args, "with --channels or --tracks each channel or track is a speaker"
        )
    elif kind == "annotation":
        refuse_speaker_counts(args, f"{args.input} is read as an annotation")
    else:
        check_diarization_flags(args)
    source = _source_from_args(args)
    config = config_from_args(args)
    inputs = [args.input, args.media, *(args.tracks or [])]
    for out in args.output:
        if Path(out).suffix.lower() not in OUTPUT_WRITERS:
            known = ", ".join(sorted(OUTPUT_WRITERS))
            raise InputError(f"{out}: unknown output format {Path(out).suffix!r}; expected {known}")
        check_output(out, inputs=inputs)
    media = path_kind(args.media) if args.media else None
    if media == "directory":
        raise InputError(f"{args.media}: is a directory, expected an audio or video file (--media)")
    if media == "missing":
        raise InputError(f"{args.media}: media file not found (--media)")
    cast = cast_from_args(args)
    voices = voices_from_args(args, cast)
    analysis = analyze(
        source, config=config, num_speakers=args.num_speakers, min_speakers=args.min_speakers,
        max_speakers=args.max_speakers, cast=cast, voices=voices,
        match_threshold=args.match_threshold, sensitivity=grid_from_args(args),
        progress=progress_for(args), input_format=args.input_format, media=args.media,
    )
    _write_outputs(analysis, args)
    if args.json:
        sys.stdout.write(format_json(analysis))
    elif not args.output:
        sys.stdout.write(format_summary(analysis))
    return EXIT_OK


def _kind_of(args: argparse.Namespace) -> SourceKind:
    """Which input was given (it decides which flags apply), before any of it is read."""
    if is_multichannel(args):
        return "multichannel"
    if args.input is None:
        raise InputError("analyze: give an INPUT file, or --tracks FILE... (see --help)")
    return source_kind(args.input, input_format=args.input_format)


def _source_from_args(args: argparse.Namespace) -> str | Tracks | Channels:
    """What to analyse: ``--channels``/``--tracks``, or INPUT (an annotation or a recording).

    Raises
    ------
    InputError
        No input at all, or multichannel flags that contradict each other.
    """
    if is_multichannel(args):
        return multichannel_source_from_args(args)
    if args.input is None:
        raise InputError("analyze: give an INPUT file, or --tracks FILE... (see --help)")
    return args.input


def _write_outputs(analysis: Analysis, args: argparse.Namespace) -> None:
    """Every ``-o``, all or none (``--link-media`` for .html), each said on stderr unless
    ``--quiet``."""
    write_outputs(analysis, args.output, link_media=args.link_media)
    if not args.quiet:
        for out in args.output:
            say(f"wrote {out}")
