"""The app's parts without a server: sniffing by content, client names, the Host policy, the
page's data block."""

from __future__ import annotations

import json
import socket

import pytest

from talkover.analysis import analyze_timeline
from talkover.export.json import analysis_to_dict
from talkover.review import EventRef, Review, SetVerdict
from talkover.web.catalog import client_stem
from talkover.web.review_data import review_payload
from talkover.web.security import HostPolicy, is_loopback
from talkover.web.sniff import sniff_file
from tests.review.conftest import planted_timeline

SAMPLES = {
    "rttm": "SPEAKER call 1 0.0 2.5 <NA> <NA> A <NA> <NA>\n",
    "textgrid": 'File type = "ooTextFile"\nObject class = "TextGrid"\n',
    "eaf": '<?xml version="1.0"?>\n<ANNOTATION_DOCUMENT AUTHOR="" FORMAT="3.0">',
    "cha": "@UTF8\n@Begin\n@Participants:\tCHI Target_Child\n",
    "vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>hello\n",
    "srt": "1\n00:00:00,000 --> 00:00:01,000\nAnn: hello\n",
    "csv": "start_s,end_s,speaker\n0,1,A\n",
    "json": '{"segments": []}',
}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_annotations_are_told_by_their_content_not_their_name(tmp_path, fmt) -> None:
    path = tmp_path / "upload.wav"  # the name says audio: it is not read
    path.write_text(SAMPLES[fmt], encoding="utf-8")
    found = sniff_file(path)
    assert (found.kind, found.format) == ("annotation", fmt)
    assert found.extension == (".TextGrid" if fmt == "textgrid" else f".{fmt}")


def test_recordings_are_probed(tmp_path) -> None:
    from tests.report.conftest import write_tone_wav

    wav = write_tone_wav(planted_timeline(), tmp_path / "x.rttm")  # a WAV named .rttm
    found = sniff_file(wav)
    assert (found.kind, found.extension, found.playable, found.mime) == (
        "audio", ".wav", True, "audio/wav")
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(bytes(range(256)) * 40)
    assert (sniff_file(junk).kind, sniff_file(junk).extension) == ("audio", ".bin")
    text = tmp_path / "notes.txt"
    text.write_text("just some notes, not an annotation\n")
    assert sniff_file(text).kind == "audio"  # its job fails with the decoder's reason


@pytest.mark.parametrize(("name", "stem"), [
    ("call.wav", "call"), ("../../etc/passwd", "passwd"), ("..\\..\\x.rttm", "x"),
    ("a.b.c.flac", "a.b.c"), (".rttm", ".rttm"), ("/", ""),
])
def test_client_names_are_text(name, stem) -> None:
    assert client_stem(name) == stem


def test_host_policy() -> None:
    local = HostPolicy("127.0.0.1", 8765)
    assert local.allows("127.0.0.1:8765") and local.allows("localhost:8765")
    assert local.allows("[::1]:8765")
    assert not local.allows("evil.example:8765") and not local.allows("127.0.0.1:80")
    assert not local.allows(None) and not local.allows("127.0.0.1:notaport")
    assert not local.allows("192.168.1.5:8765")
    wide = HostPolicy("0.0.0.0", 8765, extra=["talkover.lab"])
    assert wide.allows("192.168.1.5:8765") and wide.allows("talkover.lab:8765")
    assert wide.allows(f"{socket.gethostname()}:8765")
    assert not wide.allows("evil.example:8765")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")


def test_the_page_data_is_the_json_plus_ids_verdicts_and_progress() -> None:
    review = Review(analyze_timeline(planted_timeline()))
    event = review.result.events[1]
    review.apply(SetVerdict(EventRef.of_event(event), "rejected"))
    data = review_payload(review, "call")
    doc = analysis_to_dict(review.result.corrected)
    for key in ("speakers", "matrix", "segments", "config", "groups"):
        assert data[key] == doc[key]
    assert len(data["events"]) == len(doc["events"]) + 1  # the rejected one is shown
    assert data["events"][1]["verdict"] == "rejected"
    assert data["events"][1]["id"] == EventRef.of_event(event).key
    assert data["review"]["reviewed"] == 1 and data["review"]["total"] == 7
    assert data["review"]["counts"]["interruption"] == [3, 2]
    assert data["title"] == "call"
    json.dumps(data)  # plain JSON


def test_the_page_shows_the_automatic_sensitivity_until_an_export_recomputes_it() -> None:
    from talkover.metrics.sensitivity import SensitivityGrid
    from talkover.review import MoveBoundary, SegmentRef

    grid = SensitivityGrid(min_pause_s=(0.3,), backchannel_max_s=(1.0,), grace_s=(0.3, 0.5))
    review = Review(analyze_timeline(planted_timeline(), sensitivity=grid))
    data = review_payload(review, "call")
    assert data["sensitivity"]["configs"] == 2 and data["sensitivity_of"] == "current"
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    data = review_payload(review, "call")
    assert data["sensitivity_of"] == "automatic"
    assert review.document()["sensitivity"]["configs"] == 2  # recomputed for the export
