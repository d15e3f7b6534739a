"""read_analysis(write(a)) == a: the talkover JSON reads back into the analysis it was written
from, for every analysis the synthetic builder can make (a property test), and from audio."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talkover import (
    Analysis,
    Cast,
    EventConfig,
    FormatError,
    SensitivityGrid,
    analyze,
    analyze_timeline,
    read_analysis,
)
from talkover.export.json import analysis_to_dict, format_json, write_json
from talkover.provenance import InputFile, Provenance
from talkover.testing import TimelineBuilder
from talkover.timeline import Segment, Word

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

MOVES = st.lists(
    st.tuples(
        st.sampled_from(["speak", "bc", "fail", "int", "ovl"]),
        st.integers(0, 3),  # who
        st.floats(0.05, 6.0, allow_nan=False),  # a duration or an offset
        st.floats(0.05, 2.0, allow_nan=False),
    ),
    min_size=0, max_size=25,
)
TEXTS = st.one_of(st.none(), st.sampled_from(["mm-hmm", "yeah.", "so what I wanted to", "Zoë?"]))


def _built(moves: list[tuple[str, int, float, float]], config: EventConfig) -> TimelineBuilder:
    b = TimelineBuilder(config=config)
    speakers = ["A", "B", "Ünal", "D 4"]
    b.speak("A", 3.0)
    for move, who, x, y in moves:
        by = speakers[who]
        try:
            if move == "speak":
                b.speak(by, x, gap_s=y)
            elif move == "bc":
                b.backchannel(by, at_s=y / 4, duration_s=min(x, config.backchannel_max_s) / 2)
            elif move == "fail":
                b.failed_interruption(by, at_s=y / 4, duration_s=config.backchannel_max_s + x)
            elif move == "int":
                b.interruption(by, overlap_s=config.grace_s + y, duration_s=config.grace_s + y + x)
            else:
                b.overlap(by, overlap_s=min(y, config.grace_s), duration_s=x + y)
        except ValueError:
            continue  # not a plant the builder can make unambiguously here
    return b


def _with_texts(analysis_timeline, texts: list[str | None]):
    segments = []
    for i, s in enumerate(analysis_timeline):
        text = texts[i % len(texts)] if texts else None
        words = (Word(s.start_s, min(s.end_s, s.start_s + 0.2), "w"),) if text else ()
        annotations = ("+/.",) if text == "so what I wanted to" else ()
        segments.append(Segment(s.start_s, s.end_s, s.speaker, text, words, annotations))
    return analysis_timeline.with_segments(segments)


def assert_same(back: Analysis, analysis: Analysis) -> None:
    assert back == analysis
    # what equality leaves out: the transcript riding on the segments, the stamp of the timeline
    assert [(s.text, s.words, s.annotations) for s in back.timeline] == [
        (s.text, s.words, s.annotations) for s in analysis.timeline
    ]
    assert back.timeline.provenance == analysis.timeline.provenance
    assert format_json(back) == format_json(analysis)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moves=MOVES,
    pause=st.sampled_from([0.2, 0.3, 0.5]),
    grace=st.sampled_from([0.3, 0.5, 0.8]),
    kind=st.sampled_from(["annotation", "transcript", "audio", "multichannel", "timeline"]),
    texts=st.lists(TEXTS, max_size=4),
    named=st.booleans(),
    grouped=st.booleans(),
    sensitivity=st.booleans(),
)
def test_every_built_analysis_reads_back(moves, pause, grace, kind, texts, named, grouped,
                                         sensitivity) -> None:
    config = EventConfig(min_pause_s=pause, grace_s=grace)
    timeline = _with_texts(_built(moves, config).timeline(), texts)
    stamp = Provenance(
        kind, uri="built", inputs=(InputFile("built.rttm", "ab" * 32, "rttm"),),
        settings=(("window_step_s", 5.0), ("num_speakers", None)),
        models=(("segmentation", "cd" * 32),),
    )
    cast = None
    speakers = timeline.speakers
    if named:
        cast = Cast.from_names(",".join(f"N{i}" for i in range(len(speakers))))
    if grouped and speakers:
        spec = ",".join(f"{s}={'x' if i % 2 else 'y'}" for i, s in enumerate(speakers))
        cast = (cast or Cast()).with_groups([f"team:{spec}"])
    analysis = analyze_timeline(
        timeline.stamped(stamp), config=config, cast=cast, input_path="built.rttm",
        sensitivity=SensitivityGrid() if sensitivity else None,
    )
    assert_same(read_analysis(analysis_to_dict(analysis)), analysis)
    assert_same(read_analysis(json.loads(format_json(analysis))), analysis)


def test_a_file_reads_back(tmp_path: Path) -> None:
    analysis = analyze(SAMPLES / "pyannote_sample_call.rttm", cast=Cast.from_names("Diane,Sheila"))
    write_json(analysis, tmp_path / "a.json")
    assert_same(read_analysis(tmp_path / "a.json"), analysis)
    assert_same(read_analysis(str(tmp_path / "a.json")), analysis)


@pytest.mark.slow
def test_an_analysis_of_audio_reads_back(tmp_path: Path) -> None:
    analysis = analyze(SAMPLES / "pyannote_sample_call.flac")
    assert analysis.provenance.kind == "audio" and analysis.events
    assert all(e.confidence is not None for e in analysis.events)
    write_json(analysis, tmp_path / "a.json")
    assert_same(read_analysis(tmp_path / "a.json"), analysis)


def test_a_document_from_before_provenance_and_units_reads(tmp_path: Path) -> None:
    analysis = analyze(SAMPLES / "pyannote_sample_call.rttm")
    doc = analysis_to_dict(analysis)
    for key in ("provenance", "units"):
        del doc[key]
    for event in doc["events"]:
        del event["by_unit"], event["of_unit"]
    back = read_analysis(doc)
    assert back.provenance.kind == "timeline"
    assert back.ipus == analysis.ipus
    assert [replace(e, by_unit=None, of_unit=None) for e in analysis.events] == list(back.events)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a talkover JSON object"),
        ({"segments": []}, None),
        ({"segments": [], "events": [{"type": "shout"}]}, "missing field|unknown event type"),
        ({"segments": [], "events": [{"type": "shout", "start_s": 0, "end_s": 0, "by": "A",
                                      "of": "B"}]}, "unknown event type 'shout'"),
        ({"segments": [], "config": {"grace": 1}}, "unknown event setting"),
        ({"segments": [], "units": [], "events": [{"type": "switch", "start_s": 0, "end_s": 0,
          "by": "A", "of": "B", "by_unit": 3}]}, "unit index 3"),
    ],
)
def test_bad_documents_are_format_errors_naming_what_is_wrong(doc, message) -> None:
    if message is None:
        assert read_analysis(doc).events == ()
        return
    with pytest.raises(FormatError, match=message):
        read_analysis(doc)


def test_a_bad_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"segments": [', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken.json:1: not valid JSON"):
        read_analysis(path)
