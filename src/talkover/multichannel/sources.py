"""Where multichannel audio comes from: one file's channels, or one file per speaker."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from talkover.errors import InputError
from talkover.io import Waveform, decode_audio, decode_channels
from talkover.multichannel.pipeline import check_names

__all__ = ["parse_names", "load_channel_file", "load_tracks"]


def parse_names(text: str, *, where: str | None = None) -> tuple[str, ...]:
    """Speaker names from a comma-separated list (``"Agent, Customer"``).

    ``where`` (the flag or file the list comes from) starts the error messages.

    >>> parse_names("Agent, Customer")
    ('Agent', 'Customer')
    >>> parse_names("Agent,,Customer", where="--channels")
    Traceback (most recent call last):
    ...
    talkover.errors.InputError: --channels: speaker names must be non-empty and unique, got \
'Agent', '', 'Customer'
    """
    names = tuple(n.strip() for n in text.split(","))
    check_names(names, where=where)
    return names


def load_channel_file(path: str | os.PathLike[str], names: Sequence[str]) -> tuple[Waveform, ...]:
    """Decode one recording with a channel per speaker; one name per channel.

    Raises
    ------
    InputError
        The file has a different number of channels than ``names``, or names are empty or
        repeated (:func:`~talkover.multichannel.pipeline.check_names`).
    DecodeError
        The file cannot be decoded.
    """
    channels = decode_channels(path)
    check_names(names, len(channels), per="audio channel", where=path)
    return channels


def load_tracks(
    paths: Sequence[str | os.PathLike[str]],
    names: Sequence[str] | None = None,
    *,
    where: str | None = None,
    hint: str | None = None,
) -> tuple[tuple[Waveform, ...], tuple[str, ...]]:
    """Decode one file per speaker (mixed to mono, resampled to 16 kHz).

    Names default to the file stems. Returns the waveforms and the names. ``where`` and
    ``hint`` go into the messages of bad names, as for
    :func:`~talkover.multichannel.pipeline.check_names`.

    Raises
    ------
    InputError
        No paths, a names count that differs from the paths, or empty or repeated names
        (:func:`~talkover.multichannel.pipeline.check_names`).
    DecodeError
        A file cannot be decoded.
    """
    if not paths:
        raise InputError("--tracks needs at least one audio file")
    names = tuple(names) if names is not None else tuple(Path(p).stem for p in paths)
    check_names(names, len(paths), per="track", kind="track", where=where, hint=hint)
    return tuple(decode_audio(p) for p in paths), names
