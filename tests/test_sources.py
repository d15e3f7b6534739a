"""talkover.analyze(): every source kind, parity with the CLI, provenance, the checks made
before any slow work, and the fixes that come with the library entry."""

from __future__ import annotations

import json
import logging
import wave
from pathlib import Path

import numpy as np
import pytest

from talkover import (
    Cast,
    Channels,
    ConfigError,
    DecodeError,
    SpeakerTimeline,
    Tracks,
    Waveform,
    analyze,
    analyze_timeline,
    decode_audio,
    read_rttm,
)
from talkover.cli import main
from talkover.export.json import format_json
from talkover.formats.rttm import write_rttm
from talkover.provenance import Provenance

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
FLAC = SAMPLES / "pyannote_sample_call.flac"
RTTM = SAMPLES / "pyannote_sample_call.rttm"
WHISPERX = Path(__file__).resolve().parent / "formats" / "fixtures" / "whisperx.json"


@pytest.fixture(scope="module")
def diarizer():
    from talkover.diarize import Diarizer

    return Diarizer()


def _write_wav(path: Path, channels: np.ndarray) -> Path:
    """``(channels, samples)`` float32 at 16 kHz as 16-bit PCM."""
    pcm = (np.clip(channels.T, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels.shape[0])
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(pcm.tobytes())
    return path


@pytest.fixture(scope="module")
def tracks(tmp_path_factory) -> tuple[Path, Path]:
    """The sample call split into one track per speaker by its reference (the other speaker's
    speech silenced)."""
    folder = tmp_path_factory.mktemp("tracks")
    samples = decode_audio(FLAC).samples
    ref = read_rttm(RTTM)
    paths = []
    for speaker, name in zip(ref.speakers, ("Diane", "Sheila"), strict=True):
        track = np.zeros_like(samples)
        for span in ref.speech_of(speaker):
            a, b = int(span.start_s * 16_000), int(span.end_s * 16_000)
            track[a:b] = samples[a:b]
        paths.append(_write_wav(folder / f"{name}.wav", track[None, :]))
    return paths[0], paths[1]


def cli_json(args: list[str], capsys) -> str:
    assert main(["analyze", *args, "--json", "--quiet"]) == 0
    return capsys.readouterr().out


# --- every source kind, and the CLI gives byte-identical JSON ---------------------------------

@pytest.mark.parametrize("path", [RTTM, WHISPERX], ids=["rttm", "whisperx"])
def test_api_and_cli_give_the_same_json_for_annotations(path: Path, capsys) -> None:
    assert format_json(analyze(path)) == cli_json([str(path)], capsys)


@pytest.mark.slow
def test_api_and_cli_give_the_same_json_for_a_recording(diarizer, capsys) -> None:
    api = analyze(FLAC, diarizer=diarizer)
    assert format_json(api) == cli_json([str(FLAC)], capsys)
    assert api.provenance.kind == "audio"
    assert api.provenance.inputs[0].format == "flac"
    assert dict(api.provenance.models)  # the models' sha256
    assert all(e.confidence is not None for e in api.events)


@pytest.mark.slow
def test_api_and_cli_give_the_same_json_for_tracks(tracks, capsys) -> None:
    api = analyze(Tracks(tuple(str(p) for p in tracks)))
    assert format_json(api) == cli_json(["--tracks", *map(str, tracks)], capsys)
    assert api.provenance.kind == "multichannel"
    assert [f.name for f in api.provenance.inputs] == [str(p) for p in tracks]
    assert set(api.timeline.speakers) == {"Diane", "Sheila"}
    assert all(e.confidence is None for e in api.events)


@pytest.mark.slow
def test_channels_of_one_file(tracks, tmp_path: Path) -> None:
    both = np.stack([decode_audio(p).samples for p in tracks])
    stereo = _write_wav(tmp_path / "call.wav", both)
    analysis = analyze(Channels(str(stereo), ("Diane", "Sheila")))
    assert analysis.provenance.kind == "multichannel" and analysis.uri == "call"
    assert set(analysis.timeline.speakers) == {"Diane", "Sheila"}


@pytest.mark.slow
def test_a_waveform_and_a_timeline_are_sources_too(diarizer) -> None:
    waveform = decode_audio(FLAC)
    from_waveform = analyze(waveform, diarizer=diarizer)
    assert from_waveform.provenance.kind == "audio"
    again = analyze(from_waveform.timeline)  # the stamped timeline keeps its kind
    assert again.provenance == from_waveform.provenance
    assert again.events == from_waveform.events


def test_a_timeline_built_in_memory_is_taken_as_true() -> None:
    tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")], uri="mine")
    analysis = analyze(tl)
    assert analysis.provenance == Provenance("timeline", uri="mine")
    assert analysis.uri == "mine"
    assert [e.confidence for e in analysis.events] == [None]


def test_annotations_are_stamped_with_their_file() -> None:
    analysis = analyze(RTTM)
    stamp = analysis.provenance
    assert (stamp.kind, stamp.uri) == ("annotation", "pyannote_sample_call")
    import hashlib

    assert stamp.inputs[0].sha256 == hashlib.sha256(RTTM.read_bytes()).hexdigest()
    assert stamp.inputs[0].format == "rttm"
    assert analyze(WHISPERX).provenance.kind == "transcript"
    assert analyze(RTTM, uri="call-7").uri == "call-7"


def test_the_json_records_the_provenance(capsys) -> None:
    doc = json.loads(cli_json([str(RTTM)], capsys))
    assert doc["provenance"]["kind"] == "annotation"
    assert doc["provenance"]["inputs"][0]["format"] == "rttm"
    assert doc["units"] and all(isinstance(e["by_unit"], int) for e in doc["events"])


# --- checks before slow work -------------------------------------------------------------------

def test_speaker_counts_are_refused_for_annotations() -> None:
    with pytest.raises(ConfigError, match="speaker counts apply to recordings"):
        analyze(RTTM, num_speakers=2)


def test_names_that_contradict_the_speaker_count_are_refused_before_decoding() -> None:
    # the recording does not exist: a ConfigError (not a DecodeError) proves nothing was read
    with pytest.raises(ConfigError, match=r"3 speaker name\(s\) given .* num_speakers is 2"):
        analyze("missing.wav", cast=Cast.from_names("A,B,C"), num_speakers=2)
    with pytest.raises(DecodeError):
        analyze("missing.wav", cast=Cast.from_names("A,B,C"))


def test_the_cli_refuses_contradicting_names_before_decoding(capsys) -> None:
    assert main(["analyze", "missing.wav", "--speakers", "A,B", "--num-speakers", "3"]) == 2
    assert "2 speaker name(s) given (A, B) but num_speakers is 3" in capsys.readouterr().err


@pytest.mark.slow
def test_names_set_the_speaker_count_for_the_diarizer(diarizer, caplog) -> None:
    analysis = analyze(FLAC, diarizer=diarizer, cast=Cast.from_names("Ann,Bo"))
    assert dict(analysis.provenance.settings)["num_speakers"] == 2
    assert [s.name for s in analysis.speakers] == ["Ann", "Bo"]
    # a third name for this two-person call: the diarizer is asked for 3, and when clean-up
    # leaves 2 the last name is said to be unused instead of failing after the work
    with caplog.at_level(logging.WARNING, logger="talkover"):
        three = analyze(FLAC, diarizer=diarizer, cast=Cast.from_names("Ann,Bo,Cy"))
    assert dict(three.provenance.settings)["num_speakers"] == 3
    names = [s.name for s in three.speakers]
    assert names == ["Ann", "Bo", "Cy"][: len(names)]
    if len(names) < 3:
        assert "not used: Cy" in caplog.text


def test_voices_need_a_recording() -> None:
    from talkover.voices import VoiceClip

    with pytest.raises(ConfigError, match="voice matching needs the recording"):
        analyze(RTTM, voices=[VoiceClip("Ann", str(FLAC))])


# --- fixes a new user ran into -----------------------------------------------------------------

@pytest.mark.slow
def test_speakers_from_audio_are_numbered_in_order_of_first_speech(diarizer) -> None:
    speakers = analyze(FLAC, diarizer=diarizer).timeline.speakers
    assert speakers == tuple(f"SPEAKER_{i:02d}" for i in range(len(speakers)))


def test_number_speakers_follows_first_speech() -> None:
    from talkover.cleanup import number_speakers

    rows = [(0, 1, "SPEAKER_03"), (0.5, 2, "SPEAKER_01"), (3, 4, "SPEAKER_00")]
    tl = number_speakers(SpeakerTimeline.from_tuples(rows))
    assert [s.speaker for s in tl] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_02"]


@pytest.mark.slow
def test_a_recording_with_several_channels_gets_a_hint(tracks, tmp_path, diarizer, caplog,
                                                       capsys) -> None:
    both = np.stack([decode_audio(p).samples for p in tracks])
    stereo = _write_wav(tmp_path / "call.wav", both)
    with caplog.at_level(logging.WARNING, logger="talkover"):
        analyze(stereo, diarizer=diarizer)
    assert "2 audio channels, mixed to mono" in caplog.text
    assert "--channels" in caplog.text


def test_sub_millisecond_slivers_are_no_overlap(tmp_path: Path) -> None:
    rttm = tmp_path / "slivers.rttm"
    rttm.write_text(
        "SPEAKER s 1 20.000000 7.842940 <NA> <NA> A <NA> <NA>\n"
        "SPEAKER s 1 27.842935 3.000000 <NA> <NA> B <NA> <NA>\n", encoding="utf-8"
    )
    (event,) = analyze(rttm).events
    assert (event.type, event.gap_s, event.overlap_s) == ("switch", 0.0, 0.0)


def test_comparisons_are_made_at_one_millisecond() -> None:
    # 1.1 - 0.6 is 0.5000000000000001 in floats: at 1 ms it is the grace itself, an overlap
    tl = SpeakerTimeline.from_tuples([(0.0, 1.1, "A"), (0.6, 3.0, "B")])
    (event,) = analyze_timeline(tl).events
    assert event.type == "overlap" and event.overlap_s == 0.5


def test_event_numbers_are_plain_floats_to_the_millisecond() -> None:
    tl = SpeakerTimeline.from_tuples([(0.1234567, 2.3456789, "A"), (1.1, 5.0, "B")])
    for e in analyze_timeline(tl).events:
        for value in (e.start_s, e.end_s, e.overlap_s):
            assert type(value) is float and value == round(value, 3)


def test_output_lines_say_what_was_written(tmp_path: Path, capsys) -> None:
    out = tmp_path / "call.json"
    assert main(["analyze", str(RTTM), "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out}\n"
    assert main(["analyze", str(RTTM), "-o", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_an_output_the_system_refuses_is_refused_before_any_work(capsys) -> None:
    assert main(["analyze", str(RTTM), "-o", "/proc/x.html"]) == 2
    assert "/proc/x.html: cannot write in folder /proc" in capsys.readouterr().err


def test_no_speech_from_audio_is_hedged() -> None:
    from talkover.report.text import plain_language_summary

    empty = SpeakerTimeline((), duration_s=10.0).stamped(Provenance("audio"))
    (line,) = plain_language_summary(analyze_timeline(empty))
    assert line.startswith("The speech detector found no speech")
    assert plain_language_summary(analyze_timeline(SpeakerTimeline())) == ["No speech was found."]


@pytest.mark.slow
def test_silence_gives_a_valid_empty_analysis(diarizer) -> None:
    analysis = analyze(Waveform(np.zeros(16_000 * 3, np.float32)), diarizer=diarizer)
    assert analysis.events == () and analysis.duration_s == 3.0
    assert analysis.provenance.kind == "audio"


def test_speakers_csv_is_the_speakers_frame(tmp_path: Path, capsys) -> None:
    import csv

    out = tmp_path / "call.speakers.csv"
    assert main(["analyze", str(RTTM), "--speakers", "Diane,Sheila", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    frame = analyze(RTTM, cast=Cast.from_names("Diane,Sheila")).to_frames()["speakers"]
    assert [r["name"] for r in rows] == list(frame["name"]) == ["Diane", "Sheila"]
    assert list(rows[0]) == list(frame.columns)
    assert [int(r["interruptions_made"]) for r in rows] == list(frame["interruptions_made"])


def test_written_rttm_reads_back_with_its_stamp(tmp_path: Path) -> None:
    tl = read_rttm(RTTM)
    write_rttm(tl, tmp_path / "x.rttm")
    back = read_rttm(tmp_path / "x.rttm")
    assert back == tl and back.provenance.inputs[0].name == str(tmp_path / "x.rttm")
