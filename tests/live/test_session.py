"""Whole sessions, file-fed: the same path a microphone takes, on a simulated clock (fast,
deterministic) or the real one (paced)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from talkover.evaluation.diarization import optimal_mapping
from talkover.io import decode_audio
from talkover.live.channels import ChannelActivity
from talkover.live.session import run_session
from talkover.live.source import FileSource
from talkover.live.stream import StreamingDiarizer
from talkover.live.tracker import FloorTracker
from talkover.multichannel import MultichannelConfig
from talkover.multichannel.pipeline import _runs, speech_masks
from talkover.multichannel.vad import VAD_HOP_S
from talkover.testing.synth import EventMix, build_conversation
from talkover.testing.voices import VoiceBank
from talkover.voices import VoiceEmbedder, enroll_voice


def _session(diarizer, samples: np.ndarray, *, speed: float = 0.0, profiles=(), watch=None,
             stop=None):
    pipeline = StreamingDiarizer(diarizer, profiles=profiles)
    tracker = FloorTracker(smoothing=pipeline.smoothing, watch=watch)
    return run_session(FileSource(np.atleast_2d(samples), speed=speed), pipeline, tracker,
                       stop=stop)


@pytest.mark.slow
def test_simulated_replay_is_deterministic(diarizer, sample_call: Path) -> None:
    samples = decode_audio(sample_call).samples
    first, second = (_session(diarizer, samples) for _ in range(2))
    assert first.timeline == second.timeline and len(first.timeline) > 0
    assert first.events == second.events and first.floor_changes == second.floor_changes
    assert first.wall_s == pytest.approx(len(samples) / 16000)  # the simulated clock
    assert first.dropped_blocks == 0 and first.max_lag_s == 0.0
    assert first.duration_s == pytest.approx(30.0, abs=0.01)
    assert set(first.speakers) == {"SPEAKER_00", "SPEAKER_01"}  # the call has two people
    # nothing past the recording's end, spans ordered
    assert all(0 <= s.start_s < s.end_s <= first.duration_s for s in first.timeline)


@pytest.mark.slow
def test_real_time_pacing(diarizer, sample_call: Path) -> None:
    """Checked once, not a benchmark: 4 s of audio at --speed 1 take about 4 s of wall time,
    and processing keeps up (nothing dropped)."""
    samples = decode_audio(sample_call).samples[: 4 * 16000]
    start = time.monotonic()
    result = _session(diarizer, samples, speed=1.0)
    wall = time.monotonic() - start
    assert 4.0 <= wall <= 4.0 + 1.5
    assert result.wall_s == pytest.approx(wall, abs=0.3)
    assert result.dropped_blocks == 0
    assert result.max_lag_s < 1.0


def test_stop_ends_the_session_with_what_was_heard(diarizer, sample_call: Path) -> None:
    stop = threading.Event()
    samples = decode_audio(sample_call).samples
    pipeline = StreamingDiarizer(diarizer)
    tracker = FloorTracker(smoothing=pipeline.smoothing)

    class StopAfter:
        def on_update(self, update) -> None:
            if update.t_s >= 9.0:
                stop.set()

    result = run_session(FileSource(samples[None, :], speed=0), pipeline, tracker,
                         observers=[StopAfter()], stop=stop)
    assert result.stopped
    assert 9.0 <= result.duration_s <= 9.7
    assert all(s.end_s <= result.duration_s for s in result.timeline)


def test_channels_live_speech_equals_offline_voice_activity(sample_call: Path) -> None:
    """Per-channel streaming VAD gives what analyze --channels gives without bleed removal."""
    call = decode_audio(sample_call).samples
    samples = np.stack([call, np.roll(call, 5 * 16000) * 0.5])  # two different "mics"
    names = ["Ana", "Bo"]
    pipeline = ChannelActivity(names)
    tracker = FloorTracker(smoothing=pipeline.smoothing)
    result = run_session(FileSource(samples, speed=0, block_s=0.07), pipeline, tracker)
    masks = speech_masks(result.waveforms(), config=MultichannelConfig(), suppress_bleed=False)
    end = result.duration_s
    expected = sorted(
        (round(a * VAD_HOP_S, 3), min(end, round(b * VAD_HOP_S, 3)), name)
        for name, mask in zip(names, masks, strict=True) for a, b in _runs(mask)
    )
    got = sorted((s.start_s, s.end_s, s.speaker) for s in result.timeline)
    assert got == expected
    assert {s[2] for s in got} == {"Ana", "Bo"} and len(got) >= 3


def _mix() -> EventMix:
    return EventMix(overlap=0, failed_interruption=0, continuation=0, interruption=3)


@pytest.mark.slow
def test_planted_interruptions_alert_and_backchannels_do_not(
    diarizer, voice_bank: VoiceBank
) -> None:
    """The bar is the level measured on this conversation (benchmarks/live.py measures the
    rates over many, docs/live.md): a regression shows."""
    conv = build_conversation(voice_bank, seed=24, num_speakers=2, duration_s=45,
                              event_mix=_mix())
    result = _session(diarizer, conv.samples)
    mapping = optimal_mapping(conv.timeline, result.timeline)  # live -> planted speakers
    alerts = [(mapping.get(a.by), mapping.get(a.over), a.onset_s, a.t_s) for a in result.alerts]
    targets = [p for p in conv.planted if p.type == "interruption"]  # the newcomer talks on
    backchannels = [p for p in conv.planted if p.type == "backchannel"]
    assert len(targets) >= 3 and len(backchannels) >= 3

    def alerted(p) -> list[float]:
        return [t - p.start_s for by, over, onset, t in alerts
                if (by, over) == (p.by, p.of) and abs(onset - p.start_s) <= 1.0]

    found = [p for p in targets if alerted(p)]
    assert len(found) >= 0.75 * len(targets), f"alerted {len(found)} of {len(targets)}"
    assert not any(alerted(p) for p in backchannels)
    delays = [min(alerted(p)) for p in found]
    assert all(0.5 < d <= 2.0 for d in delays), delays  # ~1 s: past backchannel length


@pytest.mark.slow
def test_an_enrolled_voice_is_named_from_the_first_word(diarizer, voice_bank: VoiceBank) -> None:
    conv = build_conversation(voice_bank, seed=22, num_speakers=2, duration_s=30,
                              event_mix=_mix())
    embedder = VoiceEmbedder(diarizer.embedding_model)
    profiles = []
    for name in conv.timeline.speakers:  # enrolled from other clips of the same voices
        used = {p.clip.source for p in conv.placements}
        clips = [c for c in voice_bank.voice(name).clips if c.source not in used][-6:]
        clip = np.concatenate([c.samples for c in clips])
        from talkover.io import Waveform

        profiles.append(enroll_voice(name, Waveform(clip), embedder=embedder))
    me = conv.timeline.speakers[0]
    result = _session(diarizer, conv.samples, profiles=profiles, watch=me)
    first = conv.timeline.segments[0]
    assert result.floor_changes[0].by == first.speaker == me
    assert set(conv.timeline.speakers) <= set(result.speakers)
    assert result.alerts and all(me in (a.by, a.over) for a in result.alerts)
