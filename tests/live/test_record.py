"""The record: the audio saved whole or not at all, and live counts against the offline ones."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from talkover import analyze_timeline
from talkover.io import decode_channels
from talkover.live.record import compare_counts, format_comparison, save_wav, write_analyses
from talkover.live.session import SessionResult, to_int16
from talkover.live.tracker import LiveEvent
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline


def test_wav_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    samples = to_int16(rng.uniform(-0.5, 0.5, (2, 16000)).astype(np.float32))
    path = tmp_path / "out" / "session.wav"
    save_wav(samples, path)
    with wave.open(str(path)) as fh:
        assert (fh.getnchannels(), fh.getframerate(), fh.getnframes()) == (2, 16000, 16000)
    back = decode_channels(path)
    assert np.allclose(back[1].samples, samples[1] / 32768, atol=1e-4)
    assert list(path.parent.iterdir()) == [path]


def test_nothing_half_written(tmp_path: Path) -> None:
    path, other = tmp_path / "report.json", tmp_path / "session.txt"
    path.write_text("old")
    analysis = analyze_timeline(SpeakerTimeline.from_tuples([(0, 1, "A")]))

    def fails(analysis, tmp: Path) -> None:
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_analyses(analysis, [(other, lambda a, tmp: tmp.write_text("whole")),
                                  (path, fails)])
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]  # neither half a file nor half the outputs


def _result(timeline: SpeakerTimeline) -> SessionResult:
    events = analyze_timeline(timeline).events
    return SessionResult(
        samples=np.zeros((1, 16000), np.int16),
        events=tuple(LiveEvent(e.start_s, e) for e in events),
        alerts=(), floor_changes=(), timeline=timeline, speakers=timeline.speakers,
        dropped_blocks=0, stopped=False, compute_s=0.0, wall_s=1.0, max_lag_s=0.0,
    )


def test_counts_compared_per_pair_after_mapping_the_speakers() -> None:
    truth = (TimelineBuilder().speak("A", 5.0).interruption("B", overlap_s=1.5, duration_s=4.0)
             .backchannel("A", at_s=2.0, duration_s=0.5).interruption("A", overlap_s=1.0)
             .timeline())
    offline = analyze_timeline(truth.renamed({"A": "SPEAKER_00", "B": "SPEAKER_01"}))
    # live called them the other way round, and missed the backchannel
    live_timeline = SpeakerTimeline(
        tuple(s for s in truth.renamed({"A": "SPEAKER_01", "B": "SPEAKER_00"})
              if not (s.speaker == "SPEAKER_01" and s.duration_s < 1)), duration_s=None)
    comparison = compare_counts(_result(live_timeline), offline)
    assert dict(comparison.mapping) == {"SPEAKER_00": "SPEAKER_01", "SPEAKER_01": "SPEAKER_00"}
    assert comparison.total("interruption") == (2, 2)
    assert comparison.total("backchannel") == (0, 1)
    rows = {(r.type, r.by, r.of): (r.live, r.offline) for r in comparison.rows}
    assert rows[("interruption", "SPEAKER_01", "SPEAKER_00")] == (1, 1)
    assert rows[("backchannel", "SPEAKER_00", "SPEAKER_01")] == (0, 1)
    text = format_comparison(comparison)
    assert "interruption         live   2   offline   2   (+0%)" in text
    assert "backchannel SPEAKER_00 over SPEAKER_01: 0 / 1" in text
    assert comparison.to_dict()["totals"]["interruption"] == {"live": 2, "offline": 2}
