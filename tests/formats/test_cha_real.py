"""A real CHILDES transcript (TalkBank, MacWhinney family) from the shared benchmark data."""

from __future__ import annotations

from pathlib import Path

import pylangacq
import pytest

from talkover import analyze_timeline
from talkover.formats import read_annotation
from talkover.formats.cha import read_cha
from talkover.formats.rttm import read_rttm
from talkover.outputs import write_output
from tests.formats.helpers import rows

CASE = "talkbank_childes_macwhinney_family_18s"


@pytest.fixture
def real_cha(shared_real: Path) -> Path:
    found = sorted((shared_real / CASE / "original").glob("*.cha"))
    if not found:
        pytest.skip(f"no .cha in {shared_real / CASE / 'original'}")
    return found[0]


def test_segments_match_the_reference_rttm(real_cha: Path, shared_real: Path) -> None:
    timeline = read_cha(real_cha)
    reference = read_rttm(shared_real / CASE / f"{CASE}.rttm")
    assert [r[:3] for r in rows(timeline)] == [r[:3] for r in rows(reference)]


def test_utterances_agree_with_pylangacq(real_cha: Path) -> None:
    utterances = pylangacq.read_chat(str(real_cha)).utterances()
    timeline = read_cha(real_cha)
    assert [(u.participant, u.time_marks) for u in utterances] == [
        (s.speaker, (round(s.start_s * 1000), round(s.end_s * 1000))) for s in timeline
    ]


def test_codes_and_the_silent_interruption(real_cha: Path) -> None:
    timeline = read_cha(real_cha)
    cut = next(s for s in timeline if "+/." in s.annotations)
    assert (cut.speaker, cut.text, cut.annotations) == ("FAT", "that's the uh", ("[>]", "+/."))
    events = analyze_timeline(timeline).events
    silent = [e for e in events if e.type == "silent_interruption"]
    assert [(e.by, e.of, e.start_s, e.text_by) for e in silent] == [
        ("CHI", "FAT", 13.198, "what's that?")
    ]


def test_round_trip_through_chat_and_textgrid(real_cha: Path, tmp_path: Path) -> None:
    analysis = analyze_timeline(read_annotation(real_cha))
    for name in ("back.cha", "back.TextGrid", "back.eaf"):
        write_output(analysis, tmp_path / name)
        assert rows(read_annotation(tmp_path / name)) == rows(analysis.timeline)
    text = (tmp_path / "back.cha").read_text(encoding="utf-8")
    assert "*FAT:\tthat's the uh +/. \x1512249_13198\x15" in text
    assert "%com:\tsilent_interruption CHI>FAT" in text
