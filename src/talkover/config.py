"""Frozen configuration of the turn-taking event engine.

Defaults < a TOML file (``[events]`` table) < CLI flags. Every threshold lives here so that the
JSON output can record exactly what produced it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from talkover.errors import ConfigError, FormatError
from talkover.files import read_toml

__all__ = ["EventConfig", "load_event_config"]


@dataclass(frozen=True, slots=True)
class EventConfig:
    """Thresholds of the event definitions, in seconds.

    Parameters
    ----------
    min_pause_s
        Speech of one speaker separated by a pause shorter than this is one inter-pausal unit.
    backchannel_max_s
        An overlapping unit that the floor holder outlasts is a backchannel when it lasts at
        most this long, else a failed interruption.
    grace_s
        When the newcomer outlasts the floor holder, the holder stopping within this time of the
        newcomer's onset makes an (end-of-turn) overlap, later makes an interruption.
    silent_gap_s
        With a transcript: a switch whose gap after an utterance that was cut off is at most
        this long is a silent interruption (see :mod:`talkover.events.words`).
    """

    min_pause_s: float = 0.3
    backchannel_max_s: float = 1.0
    grace_s: float = 0.5
    silent_gap_s: float = 0.2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"{f.name} must be a number of seconds, got {value!r}")
            if not 0.0 <= float(value) <= 3600.0:
                raise ConfigError(f"{f.name} must be between 0 and 3600 seconds, got {value}")
            object.__setattr__(self, f.name, float(value))

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> EventConfig:
        """Build from a mapping; unknown keys are an error naming the valid ones."""
        valid = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise ConfigError(
                f"{source}: unknown event setting(s) {', '.join(unknown)}; "
                f"valid: {', '.join(sorted(valid))}"
            )
        return replace(cls(), **data)

    def updated(self, **overrides: float | None) -> EventConfig:
        """A copy with the given non-``None`` values replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def load_event_config(path: str | Path) -> EventConfig:
    """Read the ``[events]`` table of a TOML file (an empty file: defaults).

    Raises
    ------
    FormatError
        The file cannot be read or is not TOML (:func:`talkover.files.read_toml`), it holds
        anything but an ``[events]`` table (a misspelt ``[event]``, settings outside the table:
        they would be ignored), ``events`` is not a table, or a setting in it is unknown or out
        of range (``path: what is wrong``).
    """
    document = read_toml(path)
    unknown = sorted(set(document) - {"events"})
    if unknown:
        keys = ", ".join(unknown)
        raise FormatError(path, f"unknown table or key(s) {keys}; expected an [events] table "
                          f"(with {', '.join(f.name for f in fields(EventConfig))})")
    table = document.get("events", {})
    if not isinstance(table, dict):
        raise FormatError(path, f"expected an [events] table, got {table!r}")
    try:
        return EventConfig.from_dict(table, source="[events]")
    except ConfigError as exc:
        raise FormatError(path, str(exc)) from None
