"""Sources: a file replayed block by block (simulated or real clock), blocks dropped when the
consumer falls behind (and silence in their place), and the microphone's errors."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from talkover.errors import InputError
from talkover.live.source import DeviceError, FileSource, MicrophoneSource, list_input_devices

SR = 16000


def _tone(seconds: float, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return np.stack([np.sin(2 * np.pi * 220 * (c + 1) * t) for c in range(channels)]).astype(
        np.float32) * 0.1


def test_simulated_replay_gives_every_sample_in_order() -> None:
    audio = _tone(1.234, channels=2)
    source = FileSource(audio, speed=0)
    blocks = list(source.blocks(threading.Event()))
    assert np.array_equal(np.concatenate([b.samples for b in blocks], axis=1), audio)
    assert [b.start_s for b in blocks] == pytest.approx([0.1 * i for i in range(len(blocks))])
    assert source.clock.now_s() == pytest.approx(1.234)
    assert source.dropped_blocks == 0 and not any(b.dropped for b in blocks)


def test_replay_at_four_times_real_time() -> None:
    source = FileSource(_tone(1.2), speed=4)
    start = time.monotonic()
    blocks = list(source.blocks(threading.Event()))
    wall = time.monotonic() - start
    assert sum(b.samples.shape[1] for b in blocks) == int(1.2 * SR)
    assert 0.3 - 0.02 <= wall <= 0.3 + 0.25


def test_a_slow_consumer_loses_blocks_but_not_stream_time() -> None:
    audio = _tone(1.5)
    source = FileSource(audio, speed=5, queue_s=0.2)  # 2 blocks of room
    received = []
    for block in source.blocks(threading.Event()):
        received.append(block)
        if len(received) == 1:
            time.sleep(0.25)  # ~1.25 s of stream time at speed 5: the queue overflows
    assert source.dropped_blocks > 0
    assert sum(b.dropped for b in received) > 0
    starts = [round(b.start_s * SR) for b in received]
    ends = [s + b.samples.shape[1] for s, b in zip(starts, received, strict=True)]
    assert starts[1:] == ends[:-1]  # contiguous: silence stands in for what was lost
    assert ends[-1] == audio.shape[1]
    assert all(not b.samples.any() for b in received if b.dropped)


def test_stop_ends_the_replay() -> None:
    stop = threading.Event()
    source = FileSource(_tone(30.0), speed=1)
    got = 0
    for _ in source.blocks(stop):
        got += 1
        if got == 3:
            stop.set()
    assert got <= 4


def test_speed_must_be_a_number_of_times() -> None:
    with pytest.raises(ValueError):
        FileSource(_tone(0.1), speed=-1)


def _has_device() -> bool:
    try:
        return bool(list_input_devices())
    except DeviceError:  # PortAudio itself is missing: the error says so
        return False


@pytest.mark.skipif(_has_device(), reason="this machine has an audio input")
def test_no_input_device_is_a_clear_error() -> None:
    with pytest.raises(DeviceError, match="no audio input device found") as info:
        MicrophoneSource()
    assert isinstance(info.value, InputError)  # the CLI's exit 2
    assert "--from FILE" in str(info.value)


class _FakePortAudio:
    """Stands in for the sounddevice module where no audio hardware exists (this sandbox): an
    input device, and a stream whose callback a thread calls with a tone, as PortAudio would."""

    class PortAudioError(Exception):
        pass

    class _Flags:
        input_overflow = False

    default = type("Default", (), {"device": (0, 0)})()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def query_devices(self):
        return [{"index": 0, "name": "Fake USB mic", "max_input_channels": 2,
                 "default_samplerate": 16000.0}]

    def InputStream(self, *, samplerate, blocksize, device, channels, dtype, callback):  # noqa: N802
        seconds = self.seconds

        class Stream:
            def __enter__(self):
                def run() -> None:
                    tone = _tone(seconds, channels).T.copy()  # (frames, channels)
                    for first in range(0, len(tone), blocksize):
                        callback(tone[first : first + blocksize], blocksize, None,
                                 _FakePortAudio._Flags())
                        time.sleep(blocksize / samplerate / 10)

                self.thread = threading.Thread(target=run, daemon=True)
                self.thread.start()
                return self

            def __exit__(self, *exc) -> None:
                self.thread.join()

            def close(self) -> None:
                pass

        return Stream()


def test_microphone_blocks_through_the_callback(monkeypatch) -> None:
    """The capture path from PortAudio's callback to the session's blocks (the real capture
    needs an audio device; a stand-in calls the callback)."""
    import sys

    monkeypatch.setitem(sys.modules, "sounddevice", _FakePortAudio(1.0))
    source = MicrophoneSource(device="usb", num_channels=2)
    assert source.device.name == "Fake USB mic"
    stop = threading.Event()
    got = []
    for block in source.blocks(stop):
        got.append(block)
        if sum(b.samples.shape[1] for b in got) >= SR:
            stop.set()
    audio = np.concatenate([b.samples for b in got], axis=1)
    assert audio.shape == (2, SR) and np.allclose(audio, _tone(1.0, 2))
    with pytest.raises(DeviceError, match="no such input device"):
        MicrophoneSource(device="Bluetooth")
    with pytest.raises(DeviceError, match="2 input channel"):
        MicrophoneSource(num_channels=3)
