"""Where multichannel audio comes from: one file's channels, or one file per speaker."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from talkover.errors import InputError
from talkover.io import Waveform, decode_audio, decode_channels

__all__ = ["parse_names", "load_channel_file", "load_tracks"]


def parse_names(text: str) -> tuple[str, ...]:
    """Speaker names from a comma-separated list (``"Agent, Customer"``).

    >>> parse_names("Agent, Customer")
    ('Agent', 'Customer')
    """
    names = tuple(n.strip() for n in text.split(","))
    if any(not n for n in names) or len(set(names)) != len(names):
        raise InputError(f"speaker names must be non-empty and unique, got {text!r}")
    return names


def load_channel_file(path: str | os.PathLike[str], names: Sequence[str]) -> tuple[Waveform, ...]:
    """Decode one recording with a channel per speaker; one name per channel.

    Raises
    ------
    InputError
        The file has a different number of channels than ``names``.
    DecodeError
        The file cannot be decoded.
    """
    channels = decode_channels(path)
    if len(channels) != len(names):
        raise InputError(
            f"{path}: has {len(channels)} audio channel(s) but {len(names)} speaker name(s) were "
            f"given ({', '.join(names)}); expected one name per channel"
        )
    return channels


def load_tracks(
    paths: Sequence[str | os.PathLike[str]], names: Sequence[str] | None = None
) -> tuple[tuple[Waveform, ...], tuple[str, ...]]:
    """Decode one file per speaker (mixed to mono, resampled to 16 kHz).

    Names default to the file stems. Returns the waveforms and the names.

    Raises
    ------
    InputError
        No paths, a names count that differs from the paths, or repeated names.
    DecodeError
        A file cannot be decoded.
    """
    if not paths:
        raise InputError("--tracks needs at least one audio file")
    names = tuple(names) if names is not None else tuple(Path(p).stem for p in paths)
    if len(names) != len(paths):
        raise InputError(
            f"{len(paths)} track(s) but {len(names)} track name(s) ({', '.join(names)}); "
            "expected one name per track"
        )
    if len(set(names)) != len(names):
        raise InputError(f"track names must be unique, got {', '.join(names)}")
    return tuple(decode_audio(p) for p in paths), names
