"""``talkover analyze MEDIA``: events from audio carry a confidence, the summary says how far to
trust them, and the diarized timeline has no speech island under 0.2 s (talkover.cleanup)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from talkover.cleanup import MIN_ISLAND_S
from talkover.cli.main import main
from talkover.timeline import SpeakerTimeline

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


@pytest.mark.slow
def test_media_events_have_confidence_annotation_events_do_not(tmp_path, capsys):
    out = tmp_path / "call.json"
    assert main(["analyze", str(SAMPLE), "-o", str(out), "-q"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["events"], "the sample call has turn-taking events"
    assert all(0.0 <= e["confidence"] <= 1.0 for e in doc["events"])
    timeline = SpeakerTimeline.from_tuples(
        [(s["start_s"], s["end_s"], s["speaker"]) for s in doc["segments"]]
    )
    islands = [span for spk in timeline.speakers for span in timeline.speech_of(spk)]
    assert min(span.duration_s for span in islands) >= MIN_ISLAND_S

    capsys.readouterr()
    assert main(["analyze", str(out)]) == 0  # the same timeline, read back as an annotation
    summary = capsys.readouterr().out
    assert "counts from audio" not in summary
    assert main(["analyze", str(out), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in again["events"]] == [e["type"] for e in doc["events"]]
    assert all(e["confidence"] is None for e in again["events"])


@pytest.mark.slow
def test_media_summary_says_how_far_counts_can_be_trusted(capsys):
    assert main(["analyze", str(SAMPLE), "-q"]) == 0
    summary = capsys.readouterr().out
    assert "counts from audio are estimates: about " in summary
    assert re.search(r"\d+ ha(s|ve) confidence >= 0\.8", summary)
