"""Voice enrollment on real recordings: enroll from one half, identify in the other."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from talkover.cli import main
from talkover.errors import FormatError, InputError
from talkover.formats import read_annotation
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.io import Waveform, decode_audio
from talkover.timeline import Segment, Span, SpeakerTimeline
from talkover.voices import (
    VoiceEmbedder,
    VoiceProfile,
    enroll_voice,
    identify_speakers,
    load_profiles,
    save_profiles,
    solo_speech,
)

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def clip(timeline: SpeakerTimeline, start_s: float, end_s: float) -> SpeakerTimeline:
    segments = [
        Segment(max(s.start_s, start_s), min(s.end_s, end_s), s.speaker)
        for s in timeline if s.end_s > start_s and s.start_s < end_s
    ]
    return SpeakerTimeline(tuple(segments), duration_s=timeline.duration_s, uri=timeline.uri)


def halves(shared_real: Path, case: str) -> tuple[Waveform, SpeakerTimeline, SpeakerTimeline]:
    folder = shared_real / case
    waveform = decode_audio(folder / f"{case}.wav")
    timeline = read_annotation(folder / f"{case}.rttm")
    half = waveform.duration_s / 2
    return waveform, clip(timeline, 0, half), clip(timeline, half, waveform.duration_s)


def write_solo_clip(
    path: Path, waveform: Waveform, timeline: SpeakerTimeline, speaker: str
) -> Path:
    """Write ``speaker``'s solo speech in ``timeline`` back to back as a 16 kHz WAV."""
    from scipy.io import wavfile

    pieces = [waveform.samples[int(s.start_s * 16000): int(s.end_s * 16000)]
              for s in solo_speech(timeline, speaker)]
    wavfile.write(path, 16000, np.concatenate(pieces))
    return path


@pytest.fixture(scope="module")
def embedder() -> VoiceEmbedder:
    return VoiceEmbedder()


@pytest.fixture(scope="module")
def sample_call() -> tuple[Path, Waveform, SpeakerTimeline]:
    """The bundled 30 s call, decoded, and its reference timeline."""
    media = SAMPLES / "pyannote_sample_call.flac"
    return media, decode_audio(media), read_annotation(SAMPLES / "pyannote_sample_call.rttm")


@pytest.fixture
def cam_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths CAM++ is loaded from during a test; the real loader still runs."""
    from talkover.diarize import embedding, pipeline
    from talkover.diarize.campplus import CAMPPlus

    real = embedding.load_embedding_model
    loads: list[Path] = []

    def counting(path: Path) -> CAMPPlus:
        loads.append(path)
        return real(path)

    monkeypatch.setattr(embedding, "load_embedding_model", counting)
    monkeypatch.setattr(pipeline, "load_embedding_model", counting)
    return loads


def test_solo_speech_cuts_out_others() -> None:
    tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (2, 3, "B"), (4.5, 8, "B")])
    assert solo_speech(tl, "A") == (Span(0, 2), Span(3, 4.5))
    assert solo_speech(tl, "B") == (Span(5, 8),)


@pytest.mark.parametrize("case", ["pyannote_sample_call", "ami_pyannote_debug_dev00"])
def test_enrolled_voices_are_found_in_held_out_half(
    shared_real: Path, embedder: VoiceEmbedder, case: str
) -> None:
    waveform, first, second = halves(shared_real, case)
    profiles = [
        enroll_voice(s, waveform, spans=solo_speech(first, s), embedder=embedder)
        for s in first.speakers
    ]
    # Hide the ids: identification must come from the voices alone.
    hidden = {s: f"SPEAKER_{i:02d}" for i, s in enumerate(reversed(second.speakers))}
    matches = identify_speakers(waveform, second.renamed(hidden), profiles, embedder=embedder)
    truth = {v: k for k, v in hidden.items()}
    assert [m.name for m in matches] == [truth[m.speaker] for m in matches]
    assert all(m.matched and m.similarity >= 0.45 for m in matches)


def test_a_voice_not_enrolled_stays_unmatched(shared_real: Path, embedder: VoiceEmbedder) -> None:
    waveform, first, second = halves(shared_real, "pyannote_sample_call")
    diane = enroll_voice("Diane", waveform, spans=solo_speech(first, "speaker90"),
                         embedder=embedder)
    matches = {m.speaker: m for m in identify_speakers(waveform, second, [diane],
                                                       embedder=embedder)}
    assert matches["speaker90"].name == "Diane"
    assert matches["speaker90"].reason == "matched"
    assert not matches["speaker91"].matched  # Sheila was never enrolled: keeps her id
    # ...and says why: one voice for two speakers, not "no solo speech" (she has seconds of it)
    assert matches["speaker91"].reason == "no_profile_left"
    assert matches["speaker91"].speech_s > 5


def test_the_summary_says_why_a_speaker_stayed_unmatched(sample_call, tmp_path: Path,
                                                         capsys) -> None:
    media, waveform, timeline = sample_call
    first = clip(timeline, 0, 15)
    diane = write_solo_clip(tmp_path / "diane.wav", waveform, first, "speaker90")
    rttm = SAMPLES / "pyannote_sample_call.rttm"
    assert main(["analyze", str(rttm), "--media", str(media), "--enroll", f"Diane={diane}"]) == 0
    out = capsys.readouterr().out
    assert "speaker90 is Diane" in out
    assert ("speaker91: unmatched, keeps its id (more speakers than enrolled voices: each "
            "voice went to a closer speaker)") in out


def test_enroll_refuses_a_clip_without_speech(tmp_path: Path, capsys) -> None:
    from scipy.io import wavfile

    silence = tmp_path / "silence.wav"
    wavfile.write(silence, 16000, np.zeros(48_000, np.float32))
    assert main(["enroll", f"Ann={silence}", "-o", str(tmp_path / "v.npz")]) == 2
    assert "no speech found for 'Ann'" in capsys.readouterr().err
    assert not (tmp_path / "v.npz").exists()


def test_profiles_round_trip_and_bad_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(2, 192)).astype(np.float32)
    profiles = [VoiceProfile("Ann", emb[0], 12.5, "ann.wav"), VoiceProfile("Bö", emb[1], 3.0)]
    save_profiles(tmp_path / "v.npz", profiles)
    back = load_profiles(tmp_path / "v.npz")
    assert [(p.name, p.speech_s, p.source) for p in back] == [("Ann", 12.5, "ann.wav"),
                                                              ("Bö", 3.0, None)]
    assert np.array_equal(back[0].embedding, emb[0])
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(FormatError, match="bad.npz: not a talkover voice profile"):
        load_profiles(tmp_path / "bad.npz")


def test_a_clip_without_speech_is_refused(embedder: VoiceEmbedder) -> None:
    silence = Waveform(np.zeros(48_000, np.float32), path="silence.wav")
    with pytest.raises(InputError, match="silence.wav: no speech found for 'Ann'; at least 1 s"):
        enroll_voice("Ann", silence, embedder=embedder)
    noise = Waveform(
        np.random.default_rng(0).normal(0, 0.1, 48_000).astype(np.float32), path="noise.wav"
    )
    with pytest.raises(InputError, match="noise.wav: (no speech|0.\\d s of speech) found"):
        enroll_voice("Ann", noise, embedder=embedder)


def test_too_short_a_clip_of_speech_is_refused(shared_real: Path, embedder: VoiceEmbedder) -> None:
    case = "pyannote_sample_call"
    waveform = decode_audio(shared_real / case / f"{case}.wav")
    speech = read_rttm(shared_real / case / f"{case}.rttm").speech_of("speaker90")[0]
    start = int(speech.start_s * 16_000)
    clip = Waveform(waveform.samples[start : start + 9_600], path="short.wav")  # 0.6 s
    with pytest.raises(InputError, match=r"short.wav: 0\.\d s of speech found for 'Ann'"):
        enroll_voice("Ann", clip, embedder=embedder)


def test_cli_enroll_then_analyze(shared_real: Path, tmp_path: Path, capsys) -> None:
    case = "pyannote_sample_call"
    waveform, first, second = halves(shared_real, case)
    clips = {
        name: write_solo_clip(tmp_path / f"{name}.wav", waveform, first, speaker)
        for speaker, name in (("speaker90", "Diane"), ("speaker91", "Sheila"))
    }
    # One voice from a saved profile, the other straight from its clip.
    assert main(["enroll", f"Diane={clips['Diane']}", "-o", str(tmp_path / "voices.npz")]) == 0
    write_rttm(second.renamed({"speaker90": "SPK_A", "speaker91": "SPK_B"}),
               tmp_path / "second.rttm")
    assert main(["analyze", str(tmp_path / "second.rttm"), "--json", "--media",
                 str(shared_real / case / f"{case}.wav"), "--enroll",
                 str(tmp_path / "voices.npz"), "--enroll", f"Sheila={clips['Sheila']}"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["name"] for s in doc["speakers"]} == {"SPK_A": "Diane", "SPK_B": "Sheila"}
    assert all(m["matched"] for m in doc["voice_matches"])
    assert main(["analyze", str(tmp_path / "second.rttm"), "--enroll",
                 str(tmp_path / "voices.npz")]) == 2
    assert "voice matching needs the recording: give the media file (--media FILE)" in (
        capsys.readouterr().err
    )


def test_analyze_media_with_enroll_loads_cam_once(
    sample_call: tuple[Path, Waveform, SpeakerTimeline], tmp_path: Path, capsys,
    cam_loads: list[Path],
) -> None:
    media, waveform, reference = sample_call
    clip = write_solo_clip(tmp_path / "Diane.wav", waveform, reference, "speaker90")
    assert main(["analyze", str(media), "--json", "-q", "--enroll", f"Diane={clip}"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "Diane" in [s["name"] for s in doc["speakers"]]
    assert len(cam_loads) == 1  # the diarizer's CAM++ embeds the voices too


def test_enroll_alone_loads_cam_once(
    sample_call: tuple[Path, Waveform, SpeakerTimeline], tmp_path: Path, cam_loads: list[Path]
) -> None:
    _, waveform, reference = sample_call
    voices = [
        f"{name}={write_solo_clip(tmp_path / f'{name}.wav', waveform, reference, speaker)}"
        for speaker, name in (("speaker90", "Diane"), ("speaker91", "Sheila"))
    ]
    assert main(["enroll", *voices, "-o", str(tmp_path / "voices.npz")]) == 0
    assert [p.name for p in load_profiles(tmp_path / "voices.npz")] == ["Diane", "Sheila"]
    assert len(cam_loads) == 1
