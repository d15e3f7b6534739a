"""``talkover analyze``: find turn-taking events and write the results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from talkover.analysis import analyze_timeline
from talkover.cli.cast_flags import add_cast_flags, cast_from_args
from talkover.cli.common import EXIT_OK, add_threshold_flags, config_from_args
from talkover.errors import InputError
from talkover.formats import OUTPUT_WRITERS, read_annotation, write_output
from talkover.formats.json import format_json
from talkover.report import format_summary

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "analyze",
        help="find interruptions, backchannels and overlaps",
        description="Analyse who talks over whom. INPUT is an annotation file (.rttm, .json). "
        "Without -o a readable summary goes to stdout.",
    )
    parser.add_argument("input", metavar="INPUT", help="annotation file (.rttm or talkover .json)")
    parser.add_argument(
        "-o", "--output", action="append", default=[], metavar="OUT",
        help=f"write a result; the extension picks the format ({', '.join(sorted(OUTPUT_WRITERS))}"
        "; .csv is the event list); may repeat",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON to stdout")
    add_threshold_flags(parser)
    add_cast_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    for out in args.output:
        if Path(out).suffix.lower() not in OUTPUT_WRITERS:
            known = ", ".join(sorted(OUTPUT_WRITERS))
            raise InputError(f"{out}: unknown output format {Path(out).suffix!r}; expected {known}")
    timeline = read_annotation(args.input)
    analysis = analyze_timeline(
        timeline, config=config, input_path=args.input, **cast_from_args(args, timeline)
    )
    for out in args.output:
        write_output(analysis, out)
    if args.json:
        sys.stdout.write(format_json(analysis))
    elif not args.output:
        sys.stdout.write(format_summary(analysis))
    return EXIT_OK
