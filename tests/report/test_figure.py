from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from talkover.analysis import analyze_timeline
from talkover.errors import FormatError
from talkover.outputs import write_output
from talkover.report.figure import write_timeline_figure
from talkover.timeline import SpeakerTimeline
from tests.report.conftest import planted_timeline

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def analysis():
    return analyze_timeline(planted_timeline(), input_path="planted.rttm")


def test_png(analysis, tmp_path: Path) -> None:
    out = tmp_path / "timeline.png"
    write_output(analysis, out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == 12 * 150
    assert b"talkover" in data  # Software metadata


def test_svg_has_one_lane_per_speaker(analysis, tmp_path: Path) -> None:
    out = tmp_path / "timeline.svg"
    write_output(analysis, out)
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    lanes = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("lane-")]
    assert len(lanes) == len(analysis.speakers) == 3
    ordered = sorted(lanes, key=lambda g: g.get("id"))
    for lane, speaker in zip(ordered, analysis.speakers, strict=True):
        bars = list(lane.iter(f"{SVG}path"))
        assert len(bars) == sum(s.speaker == speaker.speaker for s in analysis.timeline)
    text = out.read_text(encoding="utf-8")
    for name in ("Ann", "Bob", "Cy", "interruption", "backchannel"):
        assert name in text


def test_empty_and_bad_extension(tmp_path: Path) -> None:
    empty = analyze_timeline(SpeakerTimeline())
    write_timeline_figure(empty, tmp_path / "empty.svg")
    ET.parse(tmp_path / "empty.svg")
    with pytest.raises(FormatError, match="expected .png or .svg"):
        write_timeline_figure(empty, tmp_path / "x.pdf")
