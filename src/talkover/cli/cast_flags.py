"""The ``analyze`` flags that name speakers, put them in groups and ask for sensitivity."""

from __future__ import annotations

import argparse
from typing import Any

from talkover.cast import Cast, load_cast
from talkover.errors import ConfigError
from talkover.metrics.sensitivity import SensitivityGrid

__all__ = ["add_cast_flags", "cast_from_args"]


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
        "--sensitivity", action="store_true",
        help="recompute the headline numbers over a grid of thresholds (min_pause 0.2/0.3/0.5, "
        "backchannel_max 0.7/1.0/1.5, grace 0.3/0.5/0.8) and report their ranges",
    )


def cast_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """``cast=`` and ``sensitivity=`` keyword arguments for :func:`analyze_timeline`."""
    if args.speakers and args.cast:
        raise ConfigError("give either --speakers or --cast, not both")
    cast = None
    if args.cast:
        cast = load_cast(args.cast)
    elif args.speakers is not None:
        cast = Cast.from_names(args.speakers)
    if args.groups:
        cast = (cast or Cast()).with_groups(args.groups)
    grid = SensitivityGrid() if args.sensitivity else None
    return {"cast": cast, "sensitivity": grid}
