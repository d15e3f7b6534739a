"""Pieces the CLI commands share: exit codes and the threshold flags."""

from __future__ import annotations

import argparse
import sys

from talkover.config import EventConfig, load_event_config

__all__ = [
    "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_INTERRUPTED", "add_threshold_flags",
    "config_from_args", "say",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: Ctrl-C: 128 + SIGINT, as shells report a process the signal ended.
EXIT_INTERRUPTED = 130


def add_threshold_flags(parser: argparse.ArgumentParser) -> None:
    """``--config`` and one flag per :class:`EventConfig` field (defaults < file < flags)."""
    defaults = EventConfig()
    parser.add_argument("--config", metavar="TOML", help="read thresholds from an [events] table")
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
    parser.add_argument(
        "--silent-gap", type=float, dest="silent_gap_s", metavar="S",
        help="with a transcript, a switch this soon after an utterance that was cut off is a "
        f"silent_interruption (default {defaults.silent_gap_s})",
    )


def config_from_args(args: argparse.Namespace) -> EventConfig:
    base = load_event_config(args.config) if args.config else EventConfig()
    return base.updated(
        min_pause_s=args.min_pause_s,
        backchannel_max_s=args.backchannel_max_s,
        grace_s=args.grace_s,
        silent_gap_s=args.silent_gap_s,
    )


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr (stdout holds results); control
    characters in it (a file name's) escaped."""
    from talkover.report.terminal import terminal_safe

    sys.stderr.write(f"{terminal_safe(message)}\n")
