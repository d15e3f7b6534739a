"""Where live audio comes from: a microphone (sounddevice / PortAudio) or a file replayed at a
pace set by a clock. Both give the same thing, consecutive :class:`AudioBlock` s of 16 kHz
float32 audio, so a file goes through the very path a microphone does.

A source hands blocks over through a bounded queue, as an audio driver does: when the consumer
falls more than ``queue_s`` behind, blocks are dropped (counted in ``dropped_blocks``) and the
consumer is given silence in their place, so that stream time keeps matching the clock.

```
microphone  --callback-->  queue (queue_s)  --blocks()-->  session
file        --paced by clock (thread)-->  queue  --blocks()-->  session     (--speed > 0)
file        --blocks() directly, SimulatedClock-->  session                 (--speed 0)
```
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from talkover.errors import InputError
from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.live.clock import Clock, RealClock, SimulatedClock

__all__ = [
    "AudioBlock",
    "AudioSource",
    "FileSource",
    "MicrophoneSource",
    "InputDevice",
    "DeviceError",
    "list_input_devices",
    "BLOCK_S",
]

#: Length of the blocks a source delivers (seconds).
BLOCK_S = 0.1
#: How far the consumer may fall behind before blocks are dropped (seconds of audio): long
#: enough to ride out the machine being busy elsewhere for a few seconds (a 30-minute run at
#: --speed 1 on a shared 2-core machine once fell 3.1 s behind), 160 kB a channel.
QUEUE_S = 10.0


class DeviceError(InputError):
    """No usable audio input: PortAudio missing, no input device, a bad ``--device``, or the
    system refusing access to the microphone."""


@dataclass(frozen=True, slots=True, eq=False)
class AudioBlock:
    """``samples`` of shape ``(channels, n)``, float32 at 16 kHz, starting ``start_s`` seconds
    into the stream; ``dropped`` when the block is silence standing in for audio the source
    lost (the consumer was too slow)."""

    start_s: float
    samples: np.ndarray
    dropped: bool = False

    @property
    def end_s(self) -> float:
        return self.start_s + self.samples.shape[1] / SAMPLE_RATE_HZ


class AudioSource(Protocol):
    """What a live session reads."""

    num_channels: int
    clock: Clock

    @property
    def dropped_blocks(self) -> int:
        """Blocks lost so far because the consumer fell behind."""
        ...

    def blocks(self, stop: threading.Event) -> Iterator[AudioBlock]:
        """Consecutive blocks until the audio ends or ``stop`` is set."""
        ...


class _BlockQueue:
    """A bounded hand-over between a producer (thread or audio callback) and the consumer.

    Blocks that do not fit are dropped and counted; :meth:`drain` gives the consumer silence
    in their place, so stream time has no holes.
    """

    _END = "end"

    def __init__(self, *, num_channels: int, capacity: int) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max(1, capacity))
        self.num_channels = num_channels
        self.dropped = 0

    def put(self, block: AudioBlock) -> None:
        try:
            self._queue.put_nowait(block)
        except queue.Full:
            self.dropped += 1

    def end(self, stop: threading.Event, *, num_samples: int) -> None:
        """Tell the consumer the audio ended after ``num_samples`` (waits for room, unless
        ``stop`` is set)."""
        while not stop.is_set():
            try:
                self._queue.put((self._END, num_samples), timeout=0.1)
                return
            except queue.Full:
                continue

    def drain(self, stop: threading.Event) -> Iterator[AudioBlock]:
        expected_sample = 0
        while not stop.is_set():
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            ended = isinstance(item, tuple)
            first = item[1] if ended else round(item.start_s * SAMPLE_RATE_HZ)
            if first > expected_sample:  # blocks were dropped: silence in their place
                gap = np.zeros((self.num_channels, first - expected_sample), np.float32)
                yield AudioBlock(expected_sample / SAMPLE_RATE_HZ, gap, dropped=True)
            if ended:
                return
            expected_sample = first + item.samples.shape[1]
            yield item


class FileSource:
    """A recording replayed as if it were being recorded now.

    Parameters
    ----------
    samples
        Shape ``(channels, num_samples)``, float32 at 16 kHz.
    speed
        1: real time; X > 1: X times faster; 0: as fast as possible against a
        :class:`SimulatedClock` (deterministic, nothing dropped).
    block_s
        Block length in seconds.
    queue_s
        How much audio may wait for the consumer before blocks are dropped (``speed`` > 0).
    """

    def __init__(
        self,
        samples: np.ndarray,
        *,
        speed: float = 1.0,
        block_s: float = BLOCK_S,
        queue_s: float = QUEUE_S,
    ) -> None:
        if not (speed >= 0 and np.isfinite(speed)):
            raise ValueError(f"speed must be >= 0, got {speed}")
        self.samples = np.atleast_2d(np.asarray(samples, dtype=np.float32))
        self.num_channels = self.samples.shape[0]
        self.speed = float(speed)
        self.block_samples = max(1, round(block_s * SAMPLE_RATE_HZ))
        self.clock: Clock = SimulatedClock() if speed == 0 else RealClock(speed=speed)
        self._queue = _BlockQueue(
            num_channels=self.num_channels, capacity=round(queue_s / block_s)
        )

    @property
    def dropped_blocks(self) -> int:
        return self._queue.dropped

    def _paced(self) -> Iterator[AudioBlock]:
        """The blocks, each released once the clock reaches its end."""
        total = self.samples.shape[1]
        for first in range(0, total, self.block_samples):
            block = AudioBlock(first / SAMPLE_RATE_HZ,
                               self.samples[:, first : first + self.block_samples])
            self.clock.sleep_until(block.end_s)
            yield block

    def blocks(self, stop: threading.Event) -> Iterator[AudioBlock]:
        """The blocks, paced by a clock that starts now (not when the source was made: the
        models load in between)."""
        self.clock = SimulatedClock() if self.speed == 0 else RealClock(speed=self.speed)
        if self.speed == 0:
            for block in self._paced():
                if stop.is_set():
                    return
                yield block
            return

        left = threading.Event()  # the consumer stopped reading

        def produce() -> None:
            for block in self._paced():
                if stop.is_set() or left.is_set():
                    return
                self._queue.put(block)
            self._queue.end(left, num_samples=self.samples.shape[1])

        thread = threading.Thread(target=produce, name="talkover-file-source", daemon=True)
        thread.start()
        try:
            yield from self._queue.drain(stop)
        finally:
            left.set()
            thread.join(timeout=1.0)


# -- microphone ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class InputDevice:
    """An audio input PortAudio offers: its index, name, channels and default rate."""

    index: int
    name: str
    max_channels: int
    default_rate_hz: float
    is_default: bool

    def describe(self) -> str:
        mark = "*" if self.is_default else " "
        return (f"{mark} {self.index:3d}  {self.name}  ({self.max_channels} ch, "
                f"{self.default_rate_hz:.0f} Hz)")


def _sounddevice() -> Any:
    """The ``sounddevice`` module, or a :class:`DeviceError` saying how to get PortAudio."""
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio shared library is not installed
        raise DeviceError(
            f"cannot use the microphone: the PortAudio library was not found ({exc}); install "
            "it (Debian/Ubuntu: apt-get install libportaudio2; macOS: brew install portaudio), "
            "or replay a recording with --from FILE"
        ) from None
    return sounddevice


def list_input_devices() -> tuple[InputDevice, ...]:
    """Every input device PortAudio knows (none on a machine without audio hardware).

    Raises
    ------
    DeviceError
        PortAudio is not installed.
    """
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default = sd.default.device[0]
    except sd.PortAudioError:
        return ()
    return tuple(
        InputDevice(int(d["index"]), str(d["name"]), int(d["max_input_channels"]),
                    float(d["default_samplerate"]), int(d["index"]) == default)
        for d in devices if int(d["max_input_channels"]) > 0
    )


def _no_device_message() -> str:
    return ("no audio input device found (PortAudio lists none): connect a microphone and "
            "check that this session may use it, or replay a recording with --from FILE")


def resolve_device(device: str | None, *, num_channels: int) -> InputDevice:
    """The input device ``--device`` names (an index or part of a name; ``None``: the
    default), checked to have ``num_channels`` channels.

    Raises
    ------
    DeviceError
        No input device at all, no device matching ``device``, or too few channels; the
        message lists the devices there are.
    """
    devices = list_input_devices()
    if not devices:
        raise DeviceError(_no_device_message())
    listing = "; ".join(f"{d.index}: {d.name}" for d in devices)
    if device is None:
        chosen = next((d for d in devices if d.is_default), devices[0])
    elif device.strip().isdigit():
        chosen = next((d for d in devices if d.index == int(device)), None)
    else:
        matches = [d for d in devices if device.lower() in d.name.lower()]
        chosen = matches[0] if len(matches) == 1 else None
        if len(matches) > 1:
            raise DeviceError(f"--device {device!r} matches several inputs ({listing}); "
                              "give its index")
    if chosen is None:
        raise DeviceError(f"--device {device!r}: no such input device; inputs: {listing}")
    if chosen.max_channels < num_channels:
        raise DeviceError(f"{chosen.name} has {chosen.max_channels} input channel(s), "
                          f"{num_channels} needed")
    return chosen


class MicrophoneSource:
    """Audio from an input device, 16 kHz float32, ``num_channels`` channels.

    Parameters
    ----------
    device
        ``--device``: an index or part of a device name; ``None`` for the default input.
    num_channels
        1, or one per microphone (``--channels``).
    block_s, queue_s
        As :class:`FileSource`.

    Raises
    ------
    DeviceError
        At construction (before any model loads): from :func:`resolve_device`, or the device
        cannot be opened (rate, channels, permission).
    """

    def __init__(
        self,
        *,
        device: str | None = None,
        num_channels: int = 1,
        block_s: float = BLOCK_S,
        queue_s: float = QUEUE_S,
    ) -> None:
        self.device = resolve_device(device, num_channels=num_channels)
        self.num_channels = num_channels
        self.block_samples = max(1, round(block_s * SAMPLE_RATE_HZ))
        self.clock: Clock = RealClock()
        self.overflows = 0
        self._queue = _BlockQueue(num_channels=num_channels, capacity=round(queue_s / block_s))
        self._open().close()  # refused now (rate, channels, permission), before models load

    @property
    def dropped_blocks(self) -> int:
        return self._queue.dropped + self.overflows

    def _callback(self) -> Callable[..., None]:
        captured = [0]

        def callback(indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
            if status and status.input_overflow:
                self.overflows += 1
            block = np.ascontiguousarray(indata.T, dtype=np.float32)  # (channels, frames)
            self._queue.put(AudioBlock(captured[0] / SAMPLE_RATE_HZ, block))
            captured[0] += frames

        return callback

    def _open(self) -> Any:
        """An input stream on the device (not started).

        Raises
        ------
        DeviceError
            PortAudio refuses: the rate or channels are not supported, or the system does not
            let this program use the microphone.
        """
        sd = _sounddevice()
        try:
            return sd.InputStream(
                samplerate=SAMPLE_RATE_HZ, blocksize=self.block_samples,
                device=self.device.index, channels=self.num_channels, dtype="float32",
                callback=self._callback(),
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(
                f"cannot record from {self.device.name!r} at {SAMPLE_RATE_HZ} Hz, "
                f"{self.num_channels} channel(s): {exc}. Check that this program may use the "
                f"microphone (system privacy settings, the 'audio' group on Linux) and that no "
                f"other program holds it{_rate_hint(self.device)}"
            ) from None

    def blocks(self, stop: threading.Event) -> Iterator[AudioBlock]:
        stream = self._open()
        self.clock = RealClock()
        with stream:
            yield from self._queue.drain(stop)


def _rate_hint(device: InputDevice) -> str:
    if device.default_rate_hz and round(device.default_rate_hz) != SAMPLE_RATE_HZ:
        return (f" (its own rate is {device.default_rate_hz:.0f} Hz; on Linux the 'default' or "
                f"'pulse' device converts)")
    return ""
