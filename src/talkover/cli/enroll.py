"""``talkover enroll``: save voice profiles, so later runs need not embed the clips again."""

from __future__ import annotations

import argparse
from functools import partial

from talkover.cast import repeated
from talkover.cli.cast_flags import name_and_clip
from talkover.cli.common import EXIT_OK
from talkover.errors import ConfigError
from talkover.files import check_file, check_output, write_atomically

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "enroll",
        help="save voice profiles from clips of each person speaking alone",
        description="Compute a CAM++ voice profile for each NAME=CLIP (a recording of that "
        "person speaking alone, ideally 10 s or more) and save them to one .npz file for "
        "`talkover analyze --enroll PROFILE.npz`. Only identity is stored; nothing about the "
        "person (gender, age...) is inferred.",
    )
    parser.add_argument("voices", nargs="+", metavar="NAME=CLIP", help="a name and its clip")
    parser.add_argument("-o", "--output", required=True, metavar="PROFILE.npz",
                        help="where to save the profiles")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from talkover.io import decode_audio
    from talkover.voices import VoiceEmbedder, enroll_voice, save_profiles

    pairs = []
    for value in args.voices:
        pair = name_and_clip(value, where="enroll", expected="NAME=CLIP")
        if pair is None:
            raise ConfigError(f"enroll: expected NAME=CLIP, got {value!r}")
        pairs.append(pair)
    if twice := repeated([n for n, _ in pairs]):
        raise ConfigError(f"enroll: name(s) given twice: {', '.join(twice)}")
    if not args.output.endswith(".npz"):
        raise ConfigError(f"enroll: the output must be a .npz file, got {args.output!r}")
    check_output(args.output, inputs=[clip for _, clip in pairs])  # before any work
    for _, clip in pairs:
        check_file(clip)
    waveforms = [(name, decode_audio(clip)) for name, clip in pairs]  # bad clips: before CAM++
    embedder = VoiceEmbedder()
    profiles = [enroll_voice(name, waveform, embedder=embedder) for name, waveform in waveforms]
    write_atomically([(args.output, partial(save_profiles, profiles=profiles))])
    return EXIT_OK
