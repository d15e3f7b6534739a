"""The stamp every annotation reader puts on the timeline it read: the file (name, sha256,
format) and whether it carries what was said (see :mod:`talkover.provenance`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec

from talkover.errors import FormatError
from talkover.files import sha256_file
from talkover.provenance import InputFile, Provenance
from talkover.timeline import SpeakerTimeline

__all__ = ["stamp_annotation", "stamps"]

P = ParamSpec("P")


def stamp_annotation(timeline: SpeakerTimeline, path: str | Path, format: str) -> SpeakerTimeline:
    """``timeline`` stamped as read from ``path`` in ``format``: a ``transcript`` when any
    segment carries text, else an ``annotation``.

    Raises
    ------
    FormatError
        The file cannot be read to hash it.
    """
    try:
        digest = sha256_file(path)
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror or exc})") from None
    kind = "transcript" if timeline.has_text else "annotation"
    return timeline.stamped(
        Provenance(kind, uri=timeline.uri, inputs=(InputFile(str(path), digest, format),))
    )


def stamps(
    format: str,
) -> Callable[[Callable[P, SpeakerTimeline]], Callable[P, SpeakerTimeline]]:
    """Decorate a reader ``read(path, ...) -> SpeakerTimeline`` so that its result is
    stamped (:func:`stamp_annotation`) with ``format``."""

    def decorate(reader: Callable[P, SpeakerTimeline]) -> Callable[P, SpeakerTimeline]:
        @functools.wraps(reader)
        def read(*args: P.args, **kwargs: P.kwargs) -> SpeakerTimeline:
            path: Any = args[0] if args else kwargs["path"]
            return stamp_annotation(reader(*args, **kwargs), path, format)

        return read

    return decorate
