"""``talkover live``: who holds the floor now, alerts when someone talks over someone, and the
record (audio, offline analysis, live vs offline counts) when the session ends (Ctrl-C).

Everything that can be refused is refused before a model loads: flags, output paths, the
input device (no device, or no permission: exit 2 with a clear message).
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from talkover.cli.common import EXIT_OK, add_threshold_flags, config_from_args
from talkover.errors import ConfigError, InputError
from talkover.files import check_output

__all__ = ["register", "run"]

_VIEWS = ("auto", "rich", "plain", "none")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "live",
        help="live: who holds the floor, and alerts when someone talks over someone",
        description="Listen to a microphone (or replay a recording with --from) and show, as "
        "people talk, who holds the floor and who is talking over whom. Ctrl-C ends the "
        "session: the audio is saved (-o session.wav), analysed offline, and written with the "
        "other -o outputs, together with how the live counts compare. See docs/live.md.",
    )
    source = parser.add_argument_group("audio")
    source.add_argument("--device", metavar="DEV",
                        help="input device: an index or part of a name (default: the system's)")
    source.add_argument("--list-devices", action="store_true",
                        help="list the input devices and exit")
    source.add_argument("--channels", metavar="NAMES",
                        help='one microphone per person, one channel each, named in order: '
                        '"Ana,Bo" (per-channel voice activity instead of diarization)')
    source.add_argument("--from", dest="from_file", metavar="FILE",
                        help="replay a recording instead of listening (tests, demos)")
    source.add_argument("--speed", type=float, default=None, metavar="X",
                        help="with --from: 1 real time (default), 4 four times faster, 0 as "
                        "fast as possible on a simulated clock (deterministic)")
    people = parser.add_argument_group("people")
    people.add_argument("--enroll", action="append", default=[], metavar="VOICES.npz",
                        help="voice profiles (talkover enroll): their speakers are named "
                        "from the first word; repeatable")
    people.add_argument("--me", metavar="NAME",
                        help="alert only about NAME: 'you're talking over ...' and '... is "
                        "talking over you' (an enrolled voice, or a --channels name)")
    people.add_argument("--max-speakers", type=int, default=None, metavar="N",
                        help="most speakers tracked (default 8)")
    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", action="append", default=[], metavar="OUT",
                     help="when the session ends: .wav the audio; any format of "
                     "`talkover analyze -o` (.json, .csv, .html, .txt, ...) the offline "
                     "analysis; repeatable")
    out.add_argument("--log", metavar="EVENTS.jsonl",
                     help="every floor change, event and alert as it is decided, one JSON "
                     "object a line")
    out.add_argument("--view", choices=_VIEWS, default="auto",
                     help="rich: the terminal view; plain: one line per alert and floor "
                     "change; auto: rich on a terminal, else plain")
    out.add_argument("--bell", action="store_true", help="ring the terminal bell on alerts")
    out.add_argument("--no-offline", action="store_true",
                     help="skip the offline analysis at the end (no comparison; only .wav "
                     "outputs allowed)")
    tuning = parser.add_argument_group("live tuning (see docs/live.md)")
    tuning.add_argument("--alert-after", type=float, metavar="S",
                        help="how long the newcomer must have spoken over the floor holder "
                        "before an alert (default: --backchannel-max, so a backchannel never "
                        "alerts)")
    tuning.add_argument("--window", type=float, metavar="S",
                        help="audio the segmentation model reads at each step (default 5)")
    tuning.add_argument("--step", type=float, metavar="S",
                        help="audio between two decisions (default 0.5)")
    tuning.add_argument("--latency", type=float, metavar="S",
                        help="decide frames this far behind the newest audio (default 0)")
    add_threshold_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.list_devices:
        return _list_devices()
    config = config_from_args(args)
    names = _check_flags(args)
    for path in [*args.output, *([args.log] if args.log else [])]:
        check_output(path, inputs=[args.from_file, *args.enroll])
    profiles = _profiles(args)
    _check_me(args, names, profiles)
    source = _source(args, names)  # refuses a missing device before any model loads
    stream_config, alert_after = _stream_config(args)
    from talkover.live.record import format_comparison
    from talkover.live.session import run_session
    from talkover.live.tracker import FloorTracker

    diarizer, pipeline = _pipeline(args, names, profiles, stream_config)
    tracker = FloorTracker(config, smoothing=pipeline.smoothing, watch=args.me,
                           alert_after_s=alert_after)
    stop = threading.Event()
    with ExitStack() as stack:
        observers = _observers(args, stack)
        _on_interrupt(stop, stack)
        print("talkover live: listening" + (f" to {args.from_file}" if args.from_file else "")
              + " (Ctrl-C to stop)", file=sys.stderr, flush=True)
        result = run_session(source, pipeline, tracker, observers=observers, stop=stop)
        log = next((o for o in observers if hasattr(o, "write_record")), None)
        comparison = _record(args, result, diarizer, config, profiles, names)
        if log is not None:
            log.write_record(_summary_record(result, comparison))
    print(_session_line(result), file=sys.stderr)
    if comparison is not None:
        sys.stdout.write(format_comparison(comparison))
    return EXIT_OK


# -- flags --------------------------------------------------------------------------------------
def _list_devices() -> int:
    from talkover.live.source import DeviceError, list_input_devices

    devices = list_input_devices()
    if not devices:
        from talkover.live.source import _no_device_message

        raise DeviceError(_no_device_message())
    print("input devices (* the default):")
    for device in devices:
        print(device.describe())
    return EXIT_OK


def _check_flags(args: argparse.Namespace) -> tuple[str, ...] | None:
    """Refuse flag combinations that cannot work; return the --channels names."""
    from talkover.outputs import OUTPUT_WRITERS

    if args.speed is not None and args.from_file is None:
        raise ConfigError("--speed applies to --from FILE (a microphone runs in real time)")
    if args.speed is not None and not (math.isfinite(args.speed) and args.speed >= 0):
        raise ConfigError(f"--speed must be 0 (as fast as possible) or more, got {args.speed}")
    if args.from_file is not None and args.device is not None:
        raise ConfigError("give either --from FILE or --device, not both")
    if args.max_speakers is not None and args.max_speakers < 1:
        raise ConfigError(f"--max-speakers must be >= 1, got {args.max_speakers}")
    if args.alert_after is not None and not 0 <= args.alert_after <= 60:
        raise ConfigError(f"--alert-after must be between 0 and 60 s, got {args.alert_after}")
    for out in args.output:
        suffix = Path(out).suffix.lower()
        if suffix != ".wav" and suffix not in OUTPUT_WRITERS:
            known = ", ".join([".wav", *sorted(OUTPUT_WRITERS)])
            raise InputError(f"{out}: unknown output format {suffix!r}; expected {known}")
        if suffix != ".wav" and args.no_offline:
            raise ConfigError(f"{out}: --no-offline writes no analysis; only .wav outputs")
    if args.channels is None:
        return None
    from talkover.multichannel.sources import parse_names

    if args.enroll:
        raise ConfigError("--enroll names diarized speakers; with --channels the channel "
                          "names are the speakers")
    return parse_names(args.channels, where="--channels")


def _profiles(args: argparse.Namespace) -> tuple[Any, ...]:
    from talkover.voices import load_profiles

    profiles = tuple(p for path in args.enroll for p in load_profiles(path))
    seen: set[str] = set()
    for profile in profiles:
        if profile.name in seen:
            raise ConfigError(f"--enroll: voice {profile.name!r} given twice")
        seen.add(profile.name)
    return profiles


def _check_me(args: argparse.Namespace, names: tuple[str, ...] | None,
              profiles: tuple[Any, ...]) -> None:
    if args.me is None:
        return
    known = list(names) if names is not None else [p.name for p in profiles]
    if args.me not in known:
        where = "--channels" if names is not None else "--enroll"
        choices = ", ".join(known) if known else f"none (give {where})"
        raise ConfigError(f"--me {args.me!r}: not a speaker talkover can recognise; "
                          f"{where} names: {choices}")


def _stream_config(args: argparse.Namespace) -> tuple[Any, float | None]:
    from dataclasses import replace

    from talkover.live.speakers import TrackingConfig
    from talkover.live.stream import StreamConfig

    defaults = StreamConfig()
    tracking = TrackingConfig()
    if args.max_speakers is not None:
        tracking = replace(tracking, max_speakers=args.max_speakers)
    config = StreamConfig(
        window_s=args.window if args.window is not None else defaults.window_s,
        step_s=args.step if args.step is not None else defaults.step_s,
        latency_s=args.latency if args.latency is not None else defaults.latency_s,
        tracking=tracking,
    )
    return config, args.alert_after


# -- the session ----------------------------------------------------------------------------------
def _source(args: argparse.Namespace, names: tuple[str, ...] | None) -> Any:
    from talkover.live.source import FileSource, MicrophoneSource

    channels = len(names) if names is not None else 1
    if args.from_file is None:
        return MicrophoneSource(device=args.device, num_channels=channels)
    import numpy as np

    from talkover.io import decode_audio, decode_channels

    if names is not None:
        from talkover.multichannel.pipeline import check_names

        waveforms = decode_channels(args.from_file)
        check_names(names, len(waveforms), per="audio channel", where=args.from_file)
        samples = np.stack([w.samples for w in waveforms])
    else:
        samples = decode_audio(args.from_file).samples[None, :]
    return FileSource(samples, speed=1.0 if args.speed is None else args.speed)


def _pipeline(args: argparse.Namespace, names: tuple[str, ...] | None,
              profiles: tuple[Any, ...], config: Any) -> tuple[Any, Any]:
    if names is not None:
        from talkover.live.channels import ChannelActivity

        return None, ChannelActivity(names)
    from talkover.diarize import Diarizer
    from talkover.live.stream import StreamingDiarizer

    diarizer = Diarizer()
    return diarizer, StreamingDiarizer(diarizer, config=config, profiles=profiles)


def _observers(args: argparse.Namespace, stack: ExitStack) -> list[Any]:
    from talkover.live.log import JsonlLog
    from talkover.live.view import PlainView, TerminalView

    observers: list[Any] = []
    view = args.view
    if view == "auto":
        view = "rich" if sys.stdout.isatty() else "plain"
    if view == "rich":
        observers.append(stack.enter_context(TerminalView(bell=args.bell)))
    elif view == "plain":
        observers.append(PlainView(sys.stdout, watch=args.me, bell=args.bell))
    if args.log:
        from talkover.files import writing

        with writing(args.log):
            stream = stack.enter_context(open(args.log, "w", encoding="utf-8"))  # noqa: SIM115
        observers.append(_LogObserver(JsonlLog(stream)))
    return observers


class _LogObserver:
    """Writes each decision of an update to the JSONL log."""

    def __init__(self, log: Any) -> None:
        self.log = log

    def on_update(self, update: Any) -> None:
        for decision in update.decisions:
            self.log.write(decision, wall_s=update.wall_s)

    def write_record(self, record: dict) -> None:
        self.log.write_record(record)


def _on_interrupt(stop: threading.Event, stack: ExitStack) -> None:
    """The first Ctrl-C ends the session cleanly (the record is written); a second one
    aborts."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\ntalkover live: stopping; writing the record (Ctrl-C again to abort)",
              file=sys.stderr, flush=True)

    signal.signal(signal.SIGINT, handler)
    stack.callback(signal.signal, signal.SIGINT, previous)


def _record(args: argparse.Namespace, result: Any, diarizer: Any, config: Any,
            profiles: tuple[Any, ...], names: tuple[str, ...] | None) -> Any:
    """Save the audio, analyse it offline, write the outputs; the comparison (or None)."""
    from talkover.live.record import analyze_recording, compare_counts, save_wav, write_analyses
    from talkover.outputs import output_format

    wavs = [o for o in args.output if Path(o).suffix.lower() == ".wav"]
    for wav in wavs:
        save_wav(result.samples, wav)
    if args.no_offline or result.samples.shape[1] == 0:
        return None
    analysis = analyze_recording(
        result.waveforms(), diarizer=diarizer, config=config, profiles=profiles,
        channel_names=names, wav_path=wavs[0] if wavs else None,
    )
    comparison = compare_counts(result, analysis)
    write_analyses(analysis, [
        (out, _summary_writer(comparison) if Path(out).suffix.lower() == ".txt"
         else output_format(out))
        for out in args.output if Path(out).suffix.lower() != ".wav"
    ])
    return comparison


def _summary_writer(comparison: Any) -> Any:
    from talkover.live.record import format_comparison
    from talkover.report.text import format_summary

    def write(analysis: Any, path: Path) -> None:
        Path(path).write_text(format_summary(analysis) + "\n" + format_comparison(comparison),
                              encoding="utf-8")

    return write


def _summary_record(result: Any, comparison: Any) -> dict:
    return {
        "t_s": round(result.duration_s, 3), "type": "summary",
        "duration_s": round(result.duration_s, 3), "stopped": result.stopped,
        "dropped_blocks": result.dropped_blocks, "alerts": len(result.alerts),
        "compute_s": round(result.compute_s, 3), "max_lag_s": round(result.max_lag_s, 3),
        "comparison": None if comparison is None else comparison.to_dict(),
        "wall_s": round(result.wall_s, 3),
    }


def _session_line(result: Any) -> str:
    dropped = (f", {result.dropped_blocks} block(s) dropped (processing fell behind)"
               if result.dropped_blocks else "")
    return (f"talkover live: {result.duration_s:.1f} s of audio, {len(result.alerts)} "
            f"alert(s), {len(result.events)} event(s){dropped}")

