"""``talkover`` command-line interface: parse, call the library, write.

Exit codes: 0 all went well, 1 some inputs failed (listed at the end), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from talkover._version import __version__
from talkover.analysis import Analysis, analyze_timeline
from talkover.config import EventConfig, load_event_config
from talkover.errors import InputError, TalkoverError
from talkover.formats import OUTPUT_WRITERS, read_annotation, write_output
from talkover.formats.json import format_json
from talkover.report import format_summary

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talkover",
        description="Who talks over whom: interruptions, backchannels and overlaps in a "
        "conversation.",
    )
    parser.add_argument("--version", action="version", version=f"talkover {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyze = commands.add_parser(
        "analyze",
        help="find turn-taking events in an annotation file",
        description="Analyse who talks over whom. INPUT is an annotation file (.rttm, .json). "
        "Without -o a readable summary goes to stdout.",
    )
    analyze.add_argument("input", metavar="INPUT", help="annotation file (.rttm or talkover .json)")
    analyze.add_argument(
        "-o", "--output", action="append", default=[], metavar="OUT",
        help=f"write a result; the extension picks the format ({', '.join(sorted(OUTPUT_WRITERS))}"
        "; .csv is the event list); may repeat",
    )
    analyze.add_argument("--json", action="store_true", help="print the JSON to stdout")
    analyze.add_argument("--config", metavar="TOML", help="read thresholds from an [events] table")
    add_threshold_flags(analyze)
    return parser


def add_threshold_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per :class:`EventConfig` field (defaults < --config file < flags)."""
    defaults = EventConfig()
    parser.add_argument(
        "--min-pause", type=float, dest="min_pause_s", metavar="S",
        help=f"pause that splits one speaker's speech into units (default {defaults.min_pause_s})",
    )
    parser.add_argument(
        "--backchannel-max", type=float, dest="backchannel_max_s", metavar="S",
        help="longest overlapping unit the floor holder outlasts that counts as a backchannel "
        f"(default {defaults.backchannel_max_s})",
    )
    parser.add_argument(
        "--grace", type=float, dest="grace_s", metavar="S",
        help="the floor holder stopping within this time of the newcomer's onset makes an "
        f"overlap, not an interruption (default {defaults.grace_s})",
    )


def config_from_args(args: argparse.Namespace) -> EventConfig:
    base = load_event_config(args.config) if args.config else EventConfig()
    return base.updated(
        min_pause_s=args.min_pause_s,
        backchannel_max_s=args.backchannel_max_s,
        grace_s=args.grace_s,
    )


def run_analyze(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    for out in args.output:
        if Path(out).suffix.lower() not in OUTPUT_WRITERS:
            known = ", ".join(sorted(OUTPUT_WRITERS))
            raise InputError(f"{out}: unknown output format {Path(out).suffix!r}; expected {known}")
    timeline = read_annotation(args.input)
    analysis: Analysis = analyze_timeline(timeline, config=config, input_path=args.input)
    for out in args.output:
        write_output(analysis, out)
    if args.json:
        sys.stdout.write(format_json(analysis))
    elif not args.output:
        sys.stdout.write(format_summary(analysis))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run_analyze(args)
    except InputError as exc:
        print(f"talkover: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TalkoverError as exc:
        print(f"talkover: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
