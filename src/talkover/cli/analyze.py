"""``talkover analyze``: find turn-taking events and write the results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from talkover.analysis import TimelineSource, analyze_timeline
from talkover.cli.cast_flags import (
    Recording,
    add_cast_flags,
    cast_from_args,
    enrollment_from_args,
    named_cast,
)
from talkover.cli.common import EXIT_OK, add_threshold_flags, config_from_args
from talkover.cli.diarize import (
    add_diarization_flags,
    check_diarization_flags,
    progress_for,
    refuse_speaker_counts,
)
from talkover.cli.multichannel import (
    add_multichannel_flags,
    is_multichannel,
    multichannel_timeline_from_args,
)
from talkover.errors import InputError
from talkover.export.json import format_json
from talkover.files import check_output, path_kind
from talkover.formats import INPUT_FORMATS, is_annotation, read_annotation
from talkover.outputs import OUTPUT_WRITERS, write_outputs
from talkover.report import format_summary
from talkover.timeline import SpeakerTimeline
from talkover.voices import VoiceEmbedder

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
    add_multichannel_flags(parser)
    add_threshold_flags(parser)
    add_diarization_flags(
        parser.add_argument_group("diarization (only when INPUT is an audio or video recording)")
    )
    add_cast_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    source = _source_of(args)
    if source == "channels":
        refuse_speaker_counts(
            args, "with --channels or --tracks each channel or track is a speaker"
        )
    elif source == "annotation":
        refuse_speaker_counts(args, f"{args.input} is read as an annotation")
    else:
        check_diarization_flags(args)
    config = config_from_args(args)
    for out in args.output:
        if Path(out).suffix.lower() not in OUTPUT_WRITERS:
            known = ", ".join(sorted(OUTPUT_WRITERS))
            raise InputError(f"{out}: unknown output format {Path(out).suffix!r}; expected {known}")
        check_output(out, inputs=[args.input, args.media, *(args.tracks or [])])
    media = path_kind(args.media) if args.media else None
    if media == "directory":
        raise InputError(f"{args.media}: is a directory, expected an audio or video file (--media)")
    if media == "missing":
        raise InputError(f"{args.media}: media file not found (--media)")
    cast = named_cast(args)
    enrollment = enrollment_from_args(args, cast)
    timeline, input_path, recording = _timeline_from_args(args, source)
    cast_and_grid = cast_from_args(
        args, timeline, cast=cast, enrollment=enrollment, recording=recording
    )
    media_path = recording.path
    del recording  # the decoded recording and the models are not needed past voice matching
    analysis = analyze_timeline(
        timeline, config=config, input_path=input_path, media_path=media_path,
        source=source, **cast_and_grid,
    )
    write_outputs(analysis, args.output, link_media=args.link_media)  # all or none
    if args.json:
        sys.stdout.write(format_json(analysis))
    elif not args.output:
        sys.stdout.write(format_summary(analysis))
    return EXIT_OK


def _source_of(args: argparse.Namespace) -> TimelineSource:
    """Which input was given: ``--channels``/``--tracks``, an annotation file, or a recording
    to diarize (it decides which flags apply and the events' confidence).

    Raises
    ------
    InputError
        No input at all.
    """
    if is_multichannel(args):
        return "channels"
    if args.input is None:
        raise InputError("analyze: give an INPUT file, or --tracks FILE... (see --help)")
    if args.input_format is not None or is_annotation(args.input):
        return "annotation"
    return "diarization"


def _timeline_from_args(
    args: argparse.Namespace, source: TimelineSource
) -> tuple[SpeakerTimeline, str, Recording]:
    """Who speaks when, from the input :func:`_source_of` found; also the input's path, and the
    recording, with what diarizing it left at hand (so that voice matching need neither decode
    it nor load CAM++ again)."""
    if source == "channels":
        timeline, path = multichannel_timeline_from_args(args)
        return timeline, path, Recording(args.media or path)
    if source == "annotation":
        timeline = read_annotation(args.input, input_format=args.input_format)
        return timeline, args.input, Recording(args.media)
    from talkover.io import decode_audio

    waveform = decode_audio(args.input)  # a bad file is refused before torch is imported
    from talkover.diarize import Diarizer
    from talkover.pipeline import diarize_waveform

    diarizer = Diarizer()
    timeline = diarize_waveform(
        waveform, diarizer=diarizer, num_speakers=args.num_speakers,
        min_speakers=args.min_speakers, max_speakers=args.max_speakers,
        progress=progress_for(args),
    )
    media_path = args.media or args.input
    recording = Recording(
        media_path, waveform if media_path == args.input else None,
        VoiceEmbedder(diarizer.embedding_model),
    )
    return timeline, args.input, recording
