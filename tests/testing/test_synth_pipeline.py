"""Planted events survive the whole audio pipeline: synthetic audio -> Diarizer -> clean-up ->
events, as talkover.pipeline runs it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from talkover import analyze_timeline
from talkover.cleanup import clean_timeline
from talkover.testing.synth import EventMix, build_conversation
from talkover.testing.voices import VoiceBank
from talkover.timeline import SpeakerTimeline

diarize = pytest.importorskip("talkover.diarize", reason="talkover.diarize not built yet")


def _mapping(hyp: SpeakerTimeline, ref: SpeakerTimeline) -> dict[str, str]:
    cost = np.array([[sum(max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))
                          for a in hyp.speech_of(h) for b in ref.speech_of(r))
                      for r in ref.speakers] for h in hyp.speakers])
    rows, cols = linear_sum_assignment(-cost)
    return {hyp.speakers[i]: ref.speakers[j] for i, j in zip(rows, cols, strict=True)}


@pytest.mark.slow
def test_planted_events_survive_diarization(voice_bank: VoiceBank) -> None:
    mix = EventMix(overlap=0, failed_interruption=0, continuation=0)
    conv = build_conversation(voice_bank, seed=4, num_speakers=2, duration_s=25, event_mix=mix)
    hyp = clean_timeline(diarize.Diarizer().diarize(conv.waveform, num_speakers=2))
    mapping = _mapping(hyp, conv.timeline)
    events = analyze_timeline(hyp, source="diarization").events
    found = {(e.type, mapping.get(e.by), mapping.get(e.of), e.start_s) for e in events}
    missed = [
        p for p in conv.planted
        if not any(t == p.type and (by, of) == (p.by, p.of) and abs(s - p.start_s) <= 0.5
                   for t, by, of, s in found)
    ]
    assert {p.type for p in conv.planted} >= {"interruption", "backchannel", "switch"}
    assert missed == [], f"planted {len(conv.planted)}, missed {missed}"
