from __future__ import annotations

import json
import re
from pathlib import Path

from talkover.analysis import analyze_timeline
from talkover.cli import main
from talkover.export.json import analysis_to_dict
from talkover.provenance import Provenance
from talkover.report.html import write_html_report
from talkover.timeline import SpeakerTimeline
from tests.report.conftest import planted_timeline, write_tone_wav


def data_block(page: str) -> dict:
    pattern = r'<script type="application/json" id="talkover-data">(.*?)</script>'
    match = re.search(pattern, page, re.S)
    assert match
    return json.loads(match.group(1))


def test_page_carries_the_json_document_and_is_self_contained(planted_analysis, tmp_path) -> None:
    out = tmp_path / "r.html"
    write_html_report(planted_analysis, out)
    page = out.read_text(encoding="utf-8")
    data = data_block(page)
    doc = analysis_to_dict(planted_analysis)
    for key in ("events", "segments", "speakers", "matrix", "config", "talkover_version"):
        assert data[key] == doc[key]
    assert len(data["overlaps"]) == len(planted_analysis.timeline.overlap_spans())
    assert data["media"]["mode"] == "embedded"
    assert "Ann interrupted Bob once" in page  # the summary is in the HTML itself
    # nothing is fetched from anywhere: no external scripts, styles, images or fonts
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page


def test_speaker_names_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    evil = "</script><img src=x onerror=alert(1)>"
    tl = SpeakerTimeline.from_tuples([(0, 5, evil), (4, 8, "B & <b>")])
    out = tmp_path / "r.html"
    write_html_report(analyze_timeline(tl, input_path="<i>x</i>.rttm"), out)
    page = out.read_text(encoding="utf-8")
    assert evil not in page and "<i>x</i>" not in page
    assert data_block(page)["speakers"][0]["id"] == evil


def test_empty_analysis_gives_a_valid_page(tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    write_html_report(analyze_timeline(SpeakerTimeline()), out)
    data = data_block(out.read_text(encoding="utf-8"))
    assert data["events"] == [] and data["summary"] == ["No speech was found."]


def test_cli_media_and_link_media(tmp_path: Path) -> None:
    timeline = planted_timeline()
    wav = write_tone_wav(timeline, tmp_path / "call.wav")
    rttm = tmp_path / "call.rttm"
    rttm.write_text("".join(
        f"SPEAKER call 1 {s.start_s:.3f} {s.duration_s:.3f} <NA> <NA> {s.speaker} <NA> <NA>\n"
        for s in timeline
    ), encoding="utf-8")
    embedded, linked = tmp_path / "embedded.html", tmp_path / "out" / "linked.html"
    assert main(["analyze", str(rttm), "--media", str(wav), "-o", str(embedded)]) == 0
    assert 'src="data:audio/webm;base64,' in embedded.read_text(encoding="utf-8")
    assert main(["analyze", str(rttm), "--media", str(wav), "--link-media", "-o", str(linked)]) == 0
    page = linked.read_text(encoding="utf-8")
    assert '<source src="../call.wav">' in page
    assert data_block(page)["input"]["media_path"] == str(wav)


def test_cli_missing_media_is_a_usage_error_and_writes_nothing(tmp_path: Path, capsys) -> None:
    rttm = tmp_path / "call.rttm"
    rttm.write_text("SPEAKER call 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["analyze", str(rttm), "--media", str(tmp_path / "nope.wav"), "-o", str(out)]) == 2
    assert "nope.wav: media file not found" in capsys.readouterr().err
    assert not out.exists()


def test_summary_says_how_far_counts_from_audio_can_be_trusted(tmp_path) -> None:
    timeline = planted_timeline()
    from_audio = analyze_timeline(timeline.stamped(Provenance("audio")))
    annotated = analyze_timeline(timeline)
    for analysis, name in ((from_audio, "audio.html"), (annotated, "annotation.html")):
        write_html_report(analysis, tmp_path / name)
    audio_summary = data_block((tmp_path / "audio.html").read_text(encoding="utf-8"))["summary"]
    plain = data_block((tmp_path / "annotation.html").read_text(encoding="utf-8"))["summary"]
    assert audio_summary[:-1] == plain
    expected = round(sum(e.confidence for e in from_audio.events))
    assert audio_summary[-1].startswith(
        f"Counts from audio are estimates: about {expected} of these {len(from_audio.events)}"
    )
    assert not any("estimates" in line for line in plain)
