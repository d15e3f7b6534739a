"""The app's parts without a server: sniffing by content, client names, the Host policy, the
page's data block."""

from __future__ import annotations

import json
import os
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
    assert (sniff_file(text).format, sniff_file(text).extension) == ("text", ".txt")  # refused


def test_an_rttm_starting_with_comments_is_an_rttm(tmp_path) -> None:
    """The RTTM reader skips `;;` and `#` lines; the sniffing did not, and a commented RTTM
    went to the decoder as a recording (and failed as "not a readable audio file")."""
    path = tmp_path / "upload"
    path.write_text(";; exported by a tool\n# and a note\n" + SAMPLES["rttm"], encoding="utf-8")
    assert (sniff_file(path).kind, sniff_file(path).format) == ("annotation", "rttm")


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


# ------------------------------------------------------------------ found in review


def test_upload_ids_stay_short_in_bytes() -> None:
    from talkover.web.catalog import MAX_ID_BYTES, upload_stem

    for name in ("é" * 120 + ".wav", "中" * 85 + ".rttm", "a" * 300 + ".flac", "中é" * 50):
        stem = upload_stem(name)
        assert stem and len(stem.encode("utf-8")) <= 80 < MAX_ID_BYTES
    assert upload_stem("call.wav") == "call"


def test_a_file_system_refusal_is_a_4xx_and_leaves_nothing(tmp_path) -> None:
    import errno

    from talkover.batch import AnalysisOptions
    from talkover.store import Store
    from talkover.web.catalog import NewRecording, add_recording
    from talkover.web.errors import ApiError
    from talkover.web.sniff import Sniffed

    class Refusing:  # the store cannot write a file named after the id
        def add(self, request) -> None:
            raise OSError(errno.ENAMETOOLONG, "File name too long", request.path)

    with Store.open(tmp_path / "store", create=True) as store:
        upload = store.media_dir / ".upload.tmp-1"
        upload.write_text("SPEAKER x 1 0 1 <NA> <NA> A <NA> <NA>\n")
        new = NewRecording(upload, Sniffed("annotation", ".rttm", "rttm"), "x.rttm",
                           AnalysisOptions())
        with pytest.raises(ApiError) as info:
            add_recording(store, Refusing(), new)
        assert info.value.status == 422 and "File name too long" in info.value.message
        assert str(tmp_path) not in info.value.message
        assert sorted(p.name for p in store.media_dir.iterdir()) == []


def test_error_texts_name_files_not_the_servers_folders(tmp_path) -> None:
    from talkover.web.catalog import public_text

    store = tmp_path / "store"
    text = f"{store}/media/call.bin: not a readable audio or video file ('{store}/x/y.wav')"
    assert public_text(text, store) == ("call.bin: not a readable audio or video file "
                                        "('y.wav')")
    assert public_text(None, store) is None
    assert public_text("/elsewhere/a.wav: missing", store) == "/elsewhere/a.wav: missing"


def test_an_undecodable_recording_is_decoded_once(tmp_path, monkeypatch) -> None:
    from talkover.errors import DecodeError
    from talkover.web import playback

    bad = tmp_path / "media" / "x.bin"
    bad.parent.mkdir()
    bad.write_bytes(b"\x00" * 100)
    calls = []

    def refuse(path, **kwargs):
        calls.append(path)
        raise DecodeError(path, "not a readable audio or video file")

    monkeypatch.setattr(playback, "decode_audio", refuse)
    class Row:  # what playback reads of a manifest row
        uri, kind, path = "x", "audio", str(bad)

    row = Row()
    for _ in range(3):
        with pytest.raises(playback.NotPlayable, match="not a readable"):
            playback.playable_audio(tmp_path / "media", row)
    assert len(calls) == 1


def test_host_policy_of_a_reverse_proxy() -> None:
    from talkover.errors import ConfigError
    from talkover.web.security import parse_allowed_host

    behind = HostPolicy("127.0.0.1", 8765, extra=["Proxy.Example", "other.example:8443"])
    assert behind.allows("proxy.example") and behind.allows("proxy.example:443")
    assert behind.allows("proxy.example:8765") and behind.allows("PROXY.example")
    assert behind.allows("other.example:8443") and not behind.allows("other.example")
    assert not behind.allows("evil.example") and not behind.allows("evil.example:8765")
    assert not behind.allows("localhost:3000") and behind.allows("localhost:8765")
    assert parse_allowed_host("[::1]:9000") == ("[::1]", 9000)
    with pytest.raises(ConfigError, match="--allow-host"):
        HostPolicy("127.0.0.1", 8765, extra=["a/b"])
    with pytest.raises(ConfigError, match="--allow-host"):
        parse_allowed_host("")


def test_content_disposition_has_an_ascii_name_and_the_exact_one() -> None:
    from talkover.web.routers.exports import content_disposition

    header = content_disposition("会议.corrected.rttm")
    header.encode("latin-1")  # a header Starlette can send
    assert header == ('attachment; filename="__.corrected.rttm"; '
                      "filename*=UTF-8''%E4%BC%9A%E8%AE%AE.corrected.rttm")
    assert content_disposition('a"b.rttm') == (
        "attachment; filename=\"a_b.rttm\"; filename*=UTF-8''a%22b.rttm")


# ------------------------------------------------------------------ the open reviews


def _store_with_review(tmp_path, analysis) -> tuple:
    from talkover.export.json import write_json

    store = tmp_path / "store"
    (store / "analyses").mkdir(parents=True)
    write_json(analysis, store / "analyses" / "call.json")
    return store, "sha"


def test_the_background_version_leaves_the_sensitivity_to_exports(tmp_path,
                                                                   monkeypatch) -> None:
    """The corrected version written after edits does not recompute the sensitivity grid
    (about a second on an hour, under the recording's lock, in the old code)."""
    import importlib

    from talkover.metrics.sensitivity import SensitivityGrid
    from talkover.review import MoveBoundary, SegmentRef

    recompute_module = importlib.import_module("talkover.review.recompute")
    from talkover.web.reviews import ReviewRegistry

    grid = SensitivityGrid(min_pause_s=(0.3,), backchannel_max_s=(1.0,), grace_s=(0.3, 0.5))
    store, sha = _store_with_review(tmp_path, analyze_timeline(planted_timeline(),
                                                               sensitivity=grid))
    registry = ReviewRegistry(store)
    try:
        with registry.open("call", sha) as review:
            review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))

        def refuse(*args, **kwargs):
            raise AssertionError("the sensitivity grid was recomputed by the background save")

        monkeypatch.setattr(recompute_module, "measure_sensitivity", refuse)
        registry.edited("call")
        registry._save_pending()
        doc = json.loads((store / "reviews" / "call" / "corrected.json").read_text())
        assert doc["sensitivity"] is None and "not recomputed" in doc["review"]["sensitivity"]
        monkeypatch.undo()
        with registry.open("call", sha) as review:
            assert review.document()["sensitivity"]["configs"] == 2  # exports recompute it
    finally:
        registry.close()


def test_a_save_racing_a_delete_writes_nothing(tmp_path, monkeypatch) -> None:
    import shutil

    from talkover.review import RenameSpeaker
    from talkover.review.session import Version
    from talkover.web.reviews import ReviewGone, ReviewRegistry

    store, sha = _store_with_review(tmp_path, analyze_timeline(planted_timeline()))
    registry = ReviewRegistry(store)
    folder = store / "reviews" / "call"
    try:
        with registry.open("call", sha) as review:
            review.apply(RenameSpeaker("Ann", "Anna"))
        document = Version.document

        def delete_meanwhile(version):  # the delete runs while the version is turned to JSON
            with registry.deleting("call"):
                (store / "analyses" / "call.json").unlink()
                shutil.rmtree(folder)
            return document(version)

        monkeypatch.setattr(Version, "document", delete_meanwhile)
        registry.edited("call")
        registry._save_pending()
        assert not folder.exists()
        with pytest.raises(ReviewGone), registry.open("call", sha):
            pass
        registry.edited("call")  # an edit answered just before the delete: nothing written
        registry._save_pending()
        assert not folder.exists()
    finally:
        registry.close()


def test_open_reviews_are_bounded_and_idle_ones_closed(tmp_path) -> None:
    from talkover.export.json import write_json
    from talkover.web.reviews import ReviewRegistry

    store = tmp_path / "store"
    (store / "analyses").mkdir(parents=True)
    analysis = analyze_timeline(planted_timeline())
    for i in range(6):
        write_json(analysis, store / "analyses" / f"r{i}.json")
    registry = ReviewRegistry(store, max_open=3, idle_s=60.0)
    try:
        for i in range(6):
            with registry.open(f"r{i}", "sha") as review:
                assert review.result.events
        assert registry.open_count == 3
        registry.idle_s = 0.0
        registry._evict(over_count=False)
        assert registry.open_count == 0
    finally:
        registry.close()


def test_the_history_trusts_a_corrected_version_only_with_its_log(tmp_path) -> None:
    from talkover.export.json import analysis_to_dict
    from talkover.store import Store
    from talkover.web.catalog import Summaries

    analysis = analyze_timeline(planted_timeline())
    with Store.open(tmp_path / "store", create=True) as store:
        store.analysis_path("call").write_text(json.dumps(analysis_to_dict(analysis)))
        folder = store.reviews_dir / "call"
        folder.mkdir()
        (folder / "corrected.json").write_text(json.dumps({"speakers": [{"id": "X"}]}))

        class Row:
            uri, status = "call", "done"

        assert Summaries().of(store, Row())["reviewed"] is False  # a stray corrected.json
        (folder / "edits.jsonl").write_text("")
        assert Summaries().of(store, Row())["reviewed"] is True


def test_an_export_recomputes_the_sensitivity_without_holding_the_review(tmp_path,
                                                                         monkeypatch) -> None:
    import importlib

    from talkover.metrics.sensitivity import SensitivityGrid
    from talkover.review import MoveBoundary, SegmentRef
    from talkover.web.reviews import ReviewRegistry
    from talkover.web.routers.exports import export

    recompute_module = importlib.import_module("talkover.review.recompute")
    grid = SensitivityGrid(min_pause_s=(0.3,), backchannel_max_s=(1.0,), grace_s=(0.3, 0.5))
    store, sha = _store_with_review(tmp_path, analyze_timeline(planted_timeline(),
                                                               sensitivity=grid))
    registry = ReviewRegistry(store)
    try:
        with registry.open("call", sha) as review:
            review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
        measure = recompute_module.measure_sensitivity
        held = []

        def measured(*args, **kwargs):
            lock = registry._lock("call")
            held.append(not lock.acquire(blocking=False))
            if not held[-1]:
                lock.release()
            return measure(*args, **kwargs)

        monkeypatch.setattr(recompute_module, "measure_sensitivity", measured)

        class Row:
            uri, status, analysis_sha256 = "call", "done", sha

        doc = json.loads(export(Row(), registry, "json", "corrected").body)
        assert doc["sensitivity"]["configs"] == 2 and held == [False]
    finally:
        registry.close()


def test_a_version_a_killed_server_did_not_write_is_written_again(tmp_path) -> None:
    """Edits logged, the server killed before the corrected version was written: the history
    kept the counts of before those edits, even after the review was opened again. Opening
    the review, and the server's start (resave_stale), write it again."""
    from talkover.review import RenameSpeaker, Review
    from talkover.web.reviews import ReviewRegistry, version_is_stale

    analysis = analyze_timeline(planted_timeline())
    store, sha = _store_with_review(tmp_path, analysis)
    folder = store / "reviews" / "call"
    Review(analysis, folder).apply(RenameSpeaker("Ann", "Anna"))  # logged, no version written
    assert version_is_stale(folder) and not (folder / "corrected.json").exists()

    class Row:
        status, analysis_sha256 = "done", sha

    registry = ReviewRegistry(store)
    try:
        assert registry.resave_stale(lambda uri: Row() if uri == "call" else None) == 1
        registry._save_pending()
        doc = json.loads((folder / "corrected.json").read_text())
        assert [s.get("name") for s in doc["speakers"]][:1] == ["Anna"]
        assert not version_is_stale(folder)
        Review(analysis, folder).apply(RenameSpeaker("Bob", "Robert"))  # killed again
        registry._reviews.clear()  # (a review opened afresh: the log replayed)
        with registry.open("call", sha):
            pass
        registry._save_pending()
        doc = json.loads((folder / "corrected.json").read_text())
        assert {"Anna", "Robert"} <= {s.get("name") for s in doc["speakers"]}
        # a batch rerun re-derives the automatic analysis: the version is behind it
        base = store / "analyses" / "call.json"
        assert not version_is_stale(folder, base)
        written = (folder / "corrected.json").stat().st_mtime_ns
        os.utime(base, ns=(written + 1000, written + 1000))  # just after the version
        assert version_is_stale(folder, base)
        registry._reviews.clear()  # (the server starting again after the batch)
        assert registry.resave_stale(lambda uri: Row() if uri == "call" else None) == 1
        registry._save_pending()
        assert not version_is_stale(folder, base)
    finally:
        registry.close()
