"""``talkover diarize``: who speaks when in a recording, written as RTTM."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from talkover.cli.common import EXIT_OK
from talkover.errors import ConfigError, InputError
from talkover.files import check_output, write_atomically
from talkover.formats import is_annotation
from talkover.formats.rttm import format_rttm, write_rttm

__all__ = [
    "register", "run", "add_diarization_flags", "check_diarization_flags",
    "refuse_speaker_counts", "progress_for",
]

_SPEAKER_COUNT_FLAGS = ("--num-speakers", "--min-speakers", "--max-speakers")

#: Recordings shorter than this (seconds) get no progress bar.
PROGRESS_MIN_S = 5.0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "diarize",
        help="who speaks when (overlaps kept), as RTTM",
        description="Diarize an audio or video file with talkover's overlap-aware diarizer. "
        "Without -o the RTTM goes to stdout.",
    )
    parser.add_argument("media", metavar="MEDIA", help="audio or video file")
    parser.add_argument("-o", "--output", metavar="OUT.rttm", help="write the RTTM here")
    add_diarization_flags(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(run=run)


def add_diarization_flags(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--num-speakers``, ``--min-speakers`` and ``--max-speakers``."""
    parser.add_argument("--num-speakers", type=int, metavar="N", help="exact number of speakers")
    parser.add_argument("--min-speakers", type=int, metavar="N", help="at least N speakers")
    parser.add_argument("--max-speakers", type=int, metavar="N", help="at most N speakers")


def check_diarization_flags(args: argparse.Namespace) -> None:
    """Refuse speaker counts no diarization can meet, before anything is decoded or loaded.

    Raises
    ------
    ConfigError
        As :func:`~talkover.diarize.clustering.check_speaker_counts`, naming the flags.
    """
    from talkover.diarize.clustering import check_speaker_counts

    check_speaker_counts(
        args.num_speakers, args.min_speakers, args.max_speakers, names=_SPEAKER_COUNT_FLAGS
    )


def refuse_speaker_counts(args: argparse.Namespace, why: str) -> None:
    """Refuse ``--num/min/max-speakers`` for input that is not diarized.

    Parameters
    ----------
    why
        Why the input is not diarized, for the message (``"call.rttm is an annotation"``).

    Raises
    ------
    ConfigError
        Naming the flags given.
    """
    given = [f for f in _SPEAKER_COUNT_FLAGS if getattr(args, f[2:].replace("-", "_")) is not None]
    if given:
        verb = "apply" if len(given) > 1 else "applies"
        raise ConfigError(
            f"{' and '.join(given)} {verb} only when INPUT is an audio or video recording "
            f"that is diarized; {why}"
        )


def progress_for(args: argparse.Namespace):  # noqa: ANN201 - a ProgressCallback or None
    """A stderr progress bar for long recordings when stderr is a terminal, else None."""
    if args.quiet or not sys.stderr.isatty():
        return None

    def show(done_s: float, total_s: float) -> None:
        if total_s < PROGRESS_MIN_S:
            return
        filled = int(30 * done_s / total_s)
        sys.stderr.write(
            f"\rdiarizing [{'#' * filled}{'.' * (30 - filled)}] {done_s:6.0f}/{total_s:.0f} s"
        )
        if done_s >= total_s:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def run(args: argparse.Namespace) -> int:
    from talkover.io import decode_audio

    check_diarization_flags(args)
    if is_annotation(args.media):
        raise InputError(
            f"{args.media}: is an annotation ({Path(args.media).suffix}), expected an audio or "
            f"video file to diarize; talkover analyze {args.media} reads it as it is"
        )
    if args.output and Path(args.output).suffix.lower() != ".rttm":
        raise InputError(f"{args.output}: diarize writes RTTM; give an .rttm output path")
    if args.output:
        check_output(args.output, inputs=[args.media])
    waveform = decode_audio(args.media)  # a bad file is refused before torch is imported
    from talkover.pipeline import diarize_waveform

    timeline = diarize_waveform(
        waveform, num_speakers=args.num_speakers, min_speakers=args.min_speakers,
        max_speakers=args.max_speakers, progress=progress_for(args),
    )
    if args.output:
        write_atomically([(args.output, partial(write_rttm, timeline))])
    else:
        sys.stdout.write(format_rttm(timeline))
    return EXIT_OK
