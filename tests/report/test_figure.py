from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
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


def test_hundreds_of_speakers_are_drawn_as_collections(tmp_path: Path) -> None:
    """300 speakers, 6,000 segments: one collection per lane, thinner lanes, the matrices
    capped to the 30 who spoke most (it took minutes with one artist per overlap and a
    number in each of 2 x 300 x 300 cells)."""
    import time

    from talkover.report.figure import MAX_MATRIX_SPEAKERS, MAX_TIMELINE_IN

    rng = np.random.default_rng(3)
    starts = np.cumsum(rng.uniform(0.2, 3.0, 6000))
    rows = [(t, t + d, f"S{s:03d}") for t, d, s in
            zip(starts, rng.uniform(0.3, 4.0, 6000), rng.integers(0, 300, 6000), strict=True)]
    analysis = analyze_timeline(SpeakerTimeline.from_tuples(rows))
    began = time.perf_counter()
    write_timeline_figure(analysis, tmp_path / "many.png")
    assert time.perf_counter() - began < 60
    data = (tmp_path / "many.png").read_bytes()
    height = int.from_bytes(data[20:24], "big")
    assert height <= (1.4 + MAX_TIMELINE_IN + 0.5 + 6.0) * 150 + 1
    write_timeline_figure(analysis, tmp_path / "many.svg")
    root = ET.parse(tmp_path / "many.svg").getroot()
    lanes = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("lane-")]
    assert len(lanes) == 300
    text = (tmp_path / "many.svg").read_text(encoding="utf-8")
    assert f"the {MAX_MATRIX_SPEAKERS} of 300 speakers who spoke most" in text
