"""Synthetic conversations: deterministic, and the planted events are exactly the events."""

from __future__ import annotations

import wave
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from talkover import EventConfig, analyze_timeline, read_rttm
from talkover.testing import SHARED_REAL
from talkover.testing.synth import EventMix, SyntheticConversation, build_conversation
from talkover.testing.synth.__main__ import main as synth_main
from talkover.testing.voices import VoiceBank


def _events(conv: SyntheticConversation, config: EventConfig, rttm: Path | None = None):
    timeline = read_rttm(rttm) if rttm else conv.timeline
    found = analyze_timeline(timeline, config=config).events
    return (
        sorted((e.type, round(e.start_s, 3), e.by, e.of) for e in found),
        sorted((e.type, round(e.start_s, 3), e.by, e.of) for e in conv.planted),
    )


def test_same_seed_same_bytes(voice_bank: VoiceBank, tmp_path: Path) -> None:
    paths = [
        build_conversation(voice_bank, seed=7, num_speakers=3, duration_s=30).write(tmp_path / d)
        for d in ("a", "b")
    ]
    for first, second in zip(*paths, strict=True):
        assert first.read_bytes() == second.read_bytes()
    other = build_conversation(voice_bank, seed=8, num_speakers=3, duration_s=30)
    assert other.write(tmp_path / "c")[1].read_bytes() != paths[0][1].read_bytes()


@pytest.mark.parametrize("seed", range(40))
def test_planted_events_survive_the_written_rttm(
    voice_bank: VoiceBank, tmp_path: Path, seed: int
) -> None:
    conv = build_conversation(voice_bank, seed=seed, num_speakers=2 + seed % 3, duration_s=45)
    _, rttm, _ = conv.write(tmp_path)
    found, planted = _events(conv, conv.config, rttm)
    assert found == planted
    assert {e[0] for e in planted} - {"switch"}  # overlapping talk is planted every time


def test_event_mix_over_many_seeds(voice_bank: VoiceBank) -> None:
    counts: Counter[str] = Counter()
    for seed in range(12):
        counts.update(e.type for e in build_conversation(voice_bank, seed=seed).planted)
    # Every type is planted, interruptions and backchannels dozens of times.
    assert set(counts) == {"switch", "interruption", "failed_interruption", "backchannel",
                           "overlap"}
    assert counts["interruption"] >= 20 and counts["backchannel"] >= 20


def test_a_mix_of_switches_only(voice_bank: VoiceBank) -> None:
    mix = EventMix(interruption=0, overlap=0, backchannel=0, failed_interruption=0)
    conv = build_conversation(voice_bank, seed=3, event_mix=mix, duration_s=30)
    assert {e.type for e in conv.planted} == {"switch"}
    assert conv.timeline.overlap_spans() == ()


@pytest.mark.parametrize("seed", range(6))
def test_other_thresholds_are_respected(voice_bank: VoiceBank, seed: int) -> None:
    config = EventConfig(min_pause_s=0.5, backchannel_max_s=0.7, grace_s=0.3)
    conv = build_conversation(voice_bank, seed=seed, num_speakers=3, config=config)
    found, planted = _events(conv, config)
    assert found == planted


@pytest.mark.parametrize("num_speakers", [2, 3, 4])
def test_speakers_audio_length_and_levels(voice_bank: VoiceBank, num_speakers: int) -> None:
    conv = build_conversation(voice_bank, seed=11, num_speakers=num_speakers, duration_s=40)
    assert len(conv.timeline.speakers) == num_speakers
    assert conv.timeline.duration_s == pytest.approx(conv.duration_s)
    assert max(s.end_s for s in conv.timeline) < conv.duration_s
    assert 35 <= conv.duration_s <= 50
    x = conv.samples
    assert x.dtype == np.float32 and np.isfinite(x).all()
    assert np.abs(x).max() <= 0.9  # scaled below full scale, never clipped
    sr = 16_000
    speech = np.zeros(len(x), dtype=bool)
    for s in conv.timeline:
        speech[int((s.start_s - 0.1) * sr) : int((s.end_s + 0.1) * sr)] = True
    rms_db = lambda a: 10 * np.log10(np.mean(a.astype(np.float64) ** 2))  # noqa: E731
    assert -35 < rms_db(x[speech]) < -15
    if (~speech).sum() > sr // 10:
        assert rms_db(x[~speech]) < rms_db(x[speech]) - 20


def test_interrupted_voices_are_cut_off(voice_bank: VoiceBank) -> None:
    conv = build_conversation(voice_bank, seed=1, num_speakers=3)
    interruptions = [e for e in conv.planted if e.type == "interruption"]
    assert interruptions
    for event in interruptions:
        victim = max(
            (p for p in conv.placements if p.speaker == event.of and p.start_s < event.start_s),
            key=lambda p: p.start_s,
        )
        assert victim.truncated
        assert victim.end_s - event.start_s > conv.config.grace_s
        # The cut clip is silent after its end: the last 5 ms before the cut fade to 0.
        assert victim.kept_s < victim.clip.duration_s


def test_bad_arguments(voice_bank: VoiceBank) -> None:
    with pytest.raises(ValueError, match="num_speakers must be 2 to 4"):
        build_conversation(voice_bank, seed=0, num_speakers=5)
    with pytest.raises(ValueError, match="at least 10 s"):
        build_conversation(voice_bank, seed=0, duration_s=3)
    with pytest.raises(ValueError, match="EventMix"):
        EventMix(switch=0, interruption=0, overlap=0, continuation=0)


def test_module_entry_writes_a_set(tmp_path: Path, voice_bank: VoiceBank) -> None:
    out, bank = tmp_path / "set", tmp_path / "bank"
    bank.mkdir()
    for case in ("pyannote_seriously_ami_1min", "pyannote_sample_call"):
        (bank / case).symlink_to(SHARED_REAL / case)
    assert synth_main(["--bank", str(bank / "pyannote_sample_call"), "--out", str(out),
                       "--count", "1"]) == 2  # a case folder is not a folder of cases
    assert synth_main(["--bank", str(bank), "--out", str(out), "--count", "2",
                       "--seed", "5", "--duration", "20"]) == 0
    wavs = sorted(out.glob("*.wav"))
    assert [w.name for w in wavs] == ["synth_0005_2spk.wav", "synth_0006_3spk.wav"]
    with wave.open(str(wavs[0])) as fh:
        assert (fh.getframerate(), fh.getsampwidth(), fh.getnchannels()) == (16000, 2, 1)
        frames = fh.getnframes()
    assert read_rttm(out / "synth_0005_2spk.rttm").end_s < frames / 16000
    assert (out / "index.json").is_file()
