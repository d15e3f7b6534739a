"""Analysis.to_frames(): named DataFrames with a uri column that concatenate across recordings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talkover import Cast, SpeakerTimeline, analyze, analyze_timeline
from talkover.tables import FRAME_COLUMNS

RTTM = Path(__file__).resolve().parents[1] / "data" / "samples" / "pyannote_sample_call.rttm"


def test_frames_hold_the_analysis_with_its_uri() -> None:
    cast = Cast.from_names("Diane,Sheila").with_groups(["gender:Diane=woman,Sheila=woman"])
    analysis = analyze(RTTM, cast=cast)
    frames = analysis.to_frames()
    assert set(frames) == set(FRAME_COLUMNS)
    for name, frame in frames.items():
        assert list(frame.columns[: len(FRAME_COLUMNS[name])]) == list(FRAME_COLUMNS[name])
        assert set(frame["uri"]) <= {"pyannote_sample_call"}
    assert len(frames["segments"]) == len(analysis.timeline)
    assert len(frames["events"]) == len(analysis.events)
    assert len(frames["turns"]) == len(analysis.turns)
    speakers = frames["speakers"]
    assert list(speakers["name"]) == ["Diane", "Sheila"]
    assert list(speakers["group_gender"]) == ["woman", "woman"]
    assert speakers["talk_time_s"].tolist() == [s.talk_time_s for s in analysis.speakers]
    matrix = frames["matrix"]
    assert matrix["count"].sum() == len(analysis.events)
    square = matrix.pivot_table(index="by", columns="of", values="count", aggfunc="sum",
                                fill_value=0)
    assert square.to_numpy().sum() == len(analysis.events)
    events = frames["events"]
    assert events["start_s"].tolist() == [e.start_s for e in analysis.events]


def test_frames_of_many_recordings_concatenate() -> None:
    a = analyze(RTTM)
    b = analyze(RTTM, uri="second")
    both = pd.concat([a.to_frames()["events"], b.to_frames()["events"]], ignore_index=True)
    assert both.groupby("uri").size().to_dict() == {
        "pyannote_sample_call": len(a.events), "second": len(b.events)
    }


def test_an_empty_analysis_gives_empty_frames_with_their_columns() -> None:
    frames = analyze_timeline(SpeakerTimeline((), duration_s=5.0)).to_frames()
    for name, frame in frames.items():
        assert frame.empty and list(frame.columns) == list(FRAME_COLUMNS[name])
