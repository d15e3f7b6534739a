"""The JSON API against a real ``talkover serve`` (one server for the module).

The planted conversation (tests/review/conftest.py) is uploaded as RTTM with a tone recording:
backchannel Bob>Ann 2.1, interruption Bob>Ann 4.6, failed_interruption Ann>Bob 6.1, overlap
Cy>Bob 10.3 (Bob's segment 4.6-10.6), switch Ann>Cy 15.9, interruption Cy>Ann 19.1, backchannel
Bob>Cy 20.6, switch Bob>Cy 23.7, interruption Ann>Bob 27.5.
"""

from __future__ import annotations

import csv
import io
import json
import random
import threading
import time
from pathlib import Path

import httpx
import pytest

from talkover.formats import read_annotation
from tests.web.server import Server, wait_done


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("api") / "store"
    s = Server(store).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


def upload(client, path, *, name=None, media=None, **fields) -> httpx.Response:
    files = {"file": (name or path.name, path.read_bytes())}
    if media is not None:
        files["media"] = (media.name, media.read_bytes())
    return client.post("/api/recordings", files=files, data=fields)


@pytest.fixture(scope="module")
def call(client, planted_files) -> str:
    """The planted call, uploaded with its recording, analysed."""
    rttm, wav = planted_files
    res = upload(client, rttm, media=wav)
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["kind"] == "annotation" and body["format"] == "rttm"
    assert wait_done(client, body["id"])["status"] == "done"
    return body["id"]


def counts(payload) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in payload["events"]:
        if e["verdict"] != "rejected":
            out[e["type"]] = out.get(e["type"], 0) + 1
    return out


def find(payload, type, at):
    return next(e for e in payload["events"] if e["type"] == type and abs(e["start_s"] - at) < 1e-6)


# ------------------------------------------------------------------ recordings


def test_upload_status_list_and_analysis(client, call) -> None:
    status = client.get(f"/api/recordings/{call}").json()
    assert status["status"] == "done" and status["progress"] == 1.0 and status["error"] is None
    assert status["speakers"] == 3
    assert status["duration_s"] == pytest.approx(32.5)  # an RTTM's: the end of the last speech
    assert status["counts"]["interruption"] == 3
    listed = client.get("/api/recordings").json()
    assert call in [r["id"] for r in listed]
    assert client.get("/api/recordings", params={"q": "no-such"}).json() == []
    analysis = client.get(f"/api/recordings/{call}/analysis").json()
    assert [e["type"] for e in analysis["events"]].count("overlap") == 1
    assert analysis["matrix"]["interruption"]["Bob"]["Ann"] == 1
    assert client.get("/api/recordings/nope").status_code == 404
    assert client.get("/api/recordings/..%2F..%2Fetc").status_code == 404


def test_audio_answers_range_requests(client, call, planted_files) -> None:
    wav = planted_files[1].read_bytes()
    whole = client.get(f"/api/recordings/{call}/audio")
    assert whole.status_code == 200 and whole.content == wav
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(f"/api/recordings/{call}/audio", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == wav[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(wav)}"


def test_speaker_names_and_count_are_options(client, planted_files) -> None:
    res = upload(client, planted_files[0], name="named.rttm", speakers="Anna, Robert, Cyril")
    uri = res.json()["id"]
    assert wait_done(client, uri)["status"] == "done"
    names = [s["name"] for s in client.get(f"/api/recordings/{uri}/analysis").json()["speakers"]]
    assert names == ["Anna", "Robert", "Cyril"]
    bad = upload(client, planted_files[0], num_speakers="zero")
    assert bad.status_code == 422 and "num_speakers" in bad.json()["error"]
    bad = upload(client, planted_files[0], speakers="A,,B")
    assert bad.status_code == 422 and bad.json()["error"].startswith("speakers:")
    # a count for an annotation was ignored (the command line refuses it, so does the app)
    bad = upload(client, planted_files[0], num_speakers="2")
    assert bad.status_code == 422, bad.text
    assert bad.json()["error"] == ("num_speakers applies only to a recording that is diarized; "
                                   "'call.rttm' is an annotation (rttm): its speakers are the "
                                   "ones it names")
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_the_kind_is_decided_by_reading_the_file(client, planted_files) -> None:
    res = upload(client, planted_files[0], name="looks-like-audio.wav")
    assert res.status_code == 201 and res.json()["kind"] == "annotation"
    uri = res.json()["id"]
    assert wait_done(client, uri)["status"] == "done"
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_a_corrupt_upload_fails_its_job_with_the_decoders_reason(client) -> None:
    garbage = b"fLaC\x00\x00\x00\x22" + bytes(range(256)) * 8
    res = client.post("/api/recordings", files={"file": ("broken.flac", garbage)})
    assert res.status_code == 201 and res.json()["kind"] == "audio"
    status = wait_done(client, res.json()["id"])
    assert status["status"] == "failed"
    assert "not a readable audio or video file (corrupt" in status["error"], status
    assert client.get("/").status_code == 200  # still serving
    assert client.get(f"/recordings/{res.json()['id']}").status_code == 200  # a page says why
    assert client.delete(f"/api/recordings/{res.json()['id']}").status_code == 204


def test_text_in_no_format_is_refused_naming_the_formats(client, planted_files) -> None:
    """Text that is no annotation used to be queued as a recording and fail as "not a
    readable audio or video file"; a commented RTTM was taken for such text."""
    res = client.post("/api/recordings", files={"file": ("notes.txt", b"just my notes\n")})
    assert res.status_code == 422, res.text
    assert res.json()["error"].startswith("'notes.txt' is text in no format talkover reads")
    assert "RTTM" in res.json()["error"] and "TextGrid" in res.json()["error"]
    commented = b";; made by a tool\n" + planted_files[0].read_bytes()
    res = client.post("/api/recordings", files={"file": ("commented.rttm", commented)})
    assert res.status_code == 201 and res.json()["format"] == "rttm"
    assert wait_done(client, res.json()["id"])["status"] == "done"
    assert client.delete(f"/api/recordings/{res.json()['id']}").status_code == 204


def test_an_upload_without_a_file_or_of_the_wrong_kind_is_refused(client) -> None:
    res = client.post("/api/recordings", data={"speakers": "A"},
                      files={"other": ("x.txt", b"hello")})
    assert res.status_code == 400 and "unexpected file field 'other'" in res.json()["error"]
    res = client.post("/api/recordings", content=b"{}",
                      headers={"Content-Type": "application/json"})
    assert res.status_code == 415
    res = client.post("/api/recordings", data={"speakers": "A"})
    assert res.status_code in (415, 422)


def test_progress_reaches_the_page_as_server_sent_events(server, client, planted_files) -> None:
    messages: list[dict] = []
    ready = threading.Event()

    def listen() -> None:
        with server.client() as c, c.stream("GET", "/api/events") as stream:
            for line in stream.iter_lines():
                ready.set()
                if line.startswith("data: "):
                    messages.append(json.loads(line[6:]))
                    if messages[-1].get("status") in ("done", "failed"):
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(10)
    uri = upload(client, planted_files[0], name="sse.rttm").json()["id"]
    thread.join(60)
    mine = [m for m in messages if m["id"] == uri]
    assert mine and mine[-1]["status"] == "done" and mine[-1]["progress"] == 1.0
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_delete(client, planted_files, server) -> None:
    res = upload(client, planted_files[0], name="to-delete.rttm", media=planted_files[1])
    uri = res.json()["id"]
    wait_done(client, uri)
    assert client.get(f"/api/recordings/{uri}/review").status_code == 200
    assert client.delete(f"/api/recordings/{uri}").status_code == 204
    assert client.get(f"/api/recordings/{uri}").status_code == 404
    assert client.delete(f"/api/recordings/{uri}").status_code == 404
    leftovers = [p.name for p in server.store.rglob(f"{uri}*")]
    assert leftovers == []


def test_delete_stops_a_running_analysis(client, planted_files, server) -> None:
    """A recording being analysed (a real diarization) is deleted at once: its job stops,
    nothing of it is left, and the next upload is analysed by a new worker."""
    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"
    uri = upload(client, sample, name="long-call.flac").json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/recordings/{uri}").json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert client.delete(f"/api/recordings/{uri}").status_code == 204
    assert client.get(f"/api/recordings/{uri}").status_code == 404
    assert [p.name for p in server.store.rglob(f"{uri}*")] == []
    after = upload(client, planted_files[0], name="after-delete.rttm").json()["id"]
    assert wait_done(client, after)["status"] == "done"
    assert uri not in [r["id"] for r in client.get("/api/recordings").json()]
    assert client.delete(f"/api/recordings/{after}").status_code == 204


# ------------------------------------------------------------------ review


def test_reject_confirm_undo_redo_through_the_api(client, call) -> None:
    payload = client.get(f"/api/recordings/{call}/review").json()
    assert payload["review"]["reviewed"] == 0 and payload["review"]["total"] == 7
    event = find(payload, "interruption", 4.6)
    assert event["id"] == "interruption@4600:Bob>Ann" and event["verdict"] is None
    ref = {k: event[k] for k in ("type", "by", "of", "start_s")}
    res = client.post(f"/api/recordings/{call}/edits",
                      json={"op": "set_verdict", "event": ref, "verdict": "rejected"})
    assert res.status_code == 200, res.text
    assert "recompute;dur=" in res.headers["server-timing"]
    after = res.json()
    assert find(after, "interruption", 4.6)["verdict"] == "rejected"
    assert after["matrix"]["interruption"]["Bob"]["Ann"] == 0
    bob = next(s for s in after["speakers"] if s["id"] == "Bob")
    assert bob["interruptions_made"] == 0
    assert after["review"]["reviewed"] == 1 and after["review"]["can_undo"]
    assert client.get(f"/api/recordings/{call}/analysis").json()["matrix"]["interruption"][
        "Bob"]["Ann"] == 0  # the corrected version
    assert client.get(f"/api/recordings/{call}/analysis", params={"version": "automatic"}).json()[
        "matrix"]["interruption"]["Bob"]["Ann"] == 1
    undone = client.post(f"/api/recordings/{call}/edits", json={"op": "undo"}).json()
    assert undone["matrix"]["interruption"]["Bob"]["Ann"] == 1 and undone["review"]["can_redo"]
    redone = client.post(f"/api/recordings/{call}/edits", json={"op": "redo"}).json()
    assert redone["matrix"]["interruption"]["Bob"]["Ann"] == 0
    client.post(f"/api/recordings/{call}/edits", json={"op": "undo"})
    log = client.get(f"/api/recordings/{call}/edits").json()
    assert [e["op"] for e in log][-4:] == ["set_verdict", "undo", "redo", "undo"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))


def test_moving_a_boundary_turns_the_overlap_into_a_switch(client, call) -> None:
    before = client.get(f"/api/recordings/{call}/review").json()
    assert before["matrix"]["overlap"]["Cy"]["Bob"] == 1
    edit = {"op": "move_boundary", "edge": "end", "to_s": 10.2,
            "segment": {"speaker": "Bob", "start_s": 4.6, "end_s": 10.6}}
    after = client.post(f"/api/recordings/{call}/edits", json=edit).json()
    assert after["matrix"]["overlap"]["Cy"]["Bob"] == 0
    assert after["matrix"]["switch"]["Cy"]["Bob"] == 1
    stale = client.post(f"/api/recordings/{call}/edits", json=edit)  # that segment is gone
    assert stale.status_code == 409 and "no segment of 'Bob'" in stale.json()["error"]
    diff = client.get(f"/api/recordings/{call}/diff").json()
    assert diff["events_retyped"] == [
        {"from": {"type": "overlap", "start_s": 10.3, "by": "Cy", "of": "Bob"},
         "to": {"type": "switch", "start_s": 10.3, "by": "Cy", "of": "Bob"}}]
    assert diff["counts"]["overlap"] == {"automatic": 1, "corrected": 0}
    client.post(f"/api/recordings/{call}/edits", json={"op": "undo"})


@pytest.mark.parametrize("edit", [
    {"op": "teleport"},
    {"op": "move_boundary", "edge": "middle", "to_s": 1,
     "segment": {"speaker": "Bob", "start_s": 4.6, "end_s": 10.6}},
    {"op": "add_segment", "speaker": "Ann", "start_s": 30, "end_s": 99},
    {"op": "rename_speaker", "speaker": "Ann", "name": "Bob"},
])
def test_malformed_or_impossible_edits_are_422(client, call, edit) -> None:
    res = client.post(f"/api/recordings/{call}/edits", json=edit)
    assert res.status_code == 422 and res.json()["error"]


@pytest.mark.parametrize("fmt", ["json", "rttm", "eaf", "textgrid", "csv", "segments.csv"])
def test_exports_read_back(client, call, fmt, tmp_path) -> None:
    ann = {"op": "rename_speaker", "speaker": "Ann", "name": "Anna"}
    assert client.post(f"/api/recordings/{call}/edits", json=ann).status_code == 200
    res = client.get(f"/api/recordings/{call}/export/{fmt}")
    assert res.status_code == 200
    disposition = res.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f"{call}.corrected" in disposition
    name = disposition.split('filename="')[1].rstrip('"')
    path = tmp_path / name
    path.write_bytes(res.content)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.text)))
        assert len(rows) == 9 and {"type", "by", "of"} <= set(rows[0])
        assert "Anna" in {r["by"] for r in rows} | {r["of"] for r in rows}
    else:
        timeline = read_annotation(path)
        # the name given in review in every format with one label per speaker; the JSON
        # keeps the id beside the name
        expected = {"Ann", "Bob", "Cy"} if fmt == "json" else {"Anna", "Bob", "Cy"}
        assert len(timeline) == 10 and set(timeline.speakers) == expected
    if fmt == "json":
        doc = res.json()
        assert doc["speakers"][0]["name"] == "Anna" and doc["review"]["edits"] >= 1
    client.post(f"/api/recordings/{call}/edits", json={"op": "undo"})
    assert client.get(f"/api/recordings/{call}/export/pdf").status_code == 404


def test_pages_are_served(client, call) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "Drop recordings" in home.text
    assert "default-src 'self'" in home.headers["content-security-policy"]
    page = client.get(f"/recordings/{call}")
    assert page.status_code == 200 and 'id="review-bar"' in page.text
    assert f'src="/api/recordings/{call}/audio"' in page.text
    assert "https://" not in page.text and "http://" not in page.text


# ------------------------------------------------------------------ defects found in review


def test_long_non_ascii_names_get_short_unique_ids(client, planted_files) -> None:
    ids = []
    for name in ("é" * 120 + ".rttm", "中" * 85 + ".rttm", "中" * 85 + ".rttm"):
        res = upload(client, planted_files[0], name=name)
        assert res.status_code == 201, res.text
        uri = res.json()["id"]
        assert len(uri.encode("utf-8")) <= 100 and uri[:3] in ("ééé", "中中中")
        assert wait_done(client, uri, timeout_s=60)["status"] == "done"
        ids.append(uri)
    assert len(set(ids)) == 3
    for uri in ids:
        assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_an_export_of_a_non_latin1_id(client, planted_files) -> None:
    uri = upload(client, planted_files[0], name="Straße-ű-中.rttm").json()["id"]
    assert uri == "Straße-ű-中" and wait_done(client, uri)["status"] == "done"
    res = client.get(f"/api/recordings/{uri}/export/rttm")
    assert res.status_code == 200, res.text
    disposition = res.headers["content-disposition"]
    assert disposition.isascii() and 'filename="Stra_e-_-_.automatic.rttm"' in disposition
    assert "filename*=UTF-8''Stra%C3%9Fe-%C5%B1-%E4%B8%AD.automatic.rttm" in disposition
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_an_undecodable_recording_is_409_to_play_and_a_bad_media_part_422(
        client, server, planted_files) -> None:
    garbage = random.Random(7).randbytes(6000)
    uri = client.post("/api/recordings", files={"file": ("noise.bin", garbage)}).json()["id"]
    status = wait_done(client, uri)
    assert status["status"] == "failed"
    assert status["error"].startswith("noise.bin: not a readable audio or video file"), status
    assert str(server.store) not in status["error"]  # the upload's name, not a server path
    for _ in range(2):  # answered the same way again, from what the first attempt found
        res = client.get(f"/api/recordings/{uri}/audio")
        assert res.status_code == 409, res.text
        assert "noise.bin: not a readable audio or video file" in res.json()["error"]
        assert str(server.store) not in res.json()["error"]
    assert str(server.store) not in client.get(f"/api/recordings/{uri}/analysis").text
    assert client.delete(f"/api/recordings/{uri}").status_code == 204
    res = upload(client, planted_files[0], name="with-noise.rttm",
                 media=_file(planted_files[0].parent / "noise.bin", garbage))
    assert res.status_code == 422 and "'media'" in res.json()["error"], res.text
    assert [r for r in client.get("/api/recordings").json() if r["id"] == "with-noise"] == []


def _file(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("fields", "message"), [
    ({"num_speakers": "²"}, "num_speakers: expected a whole number from 1 to 64"),
    ({"num_speakers": "٣"}, "num_speakers: expected a whole number"),
    ({"speakers": "Ann, Ann"}, "speakers: each name once, got Ann twice"),
    ({"speakers": "A" * 201}, "speakers: a name is at most 200 characters"),
    # a misspelt option was ignored (the recording analysed without it)
    ({"num_speaker": "2"}, "'num_speaker' is not a field of the form; expected 'file', 'media'"),
    ({"media": "call.wav"}, "'media' must be a file (a part with a file name)"),
])
def test_form_options_are_checked_with_the_form_fields_names(client, planted_files, fields,
                                                              message) -> None:
    res = client.post("/api/recordings", data=fields,
                      files={"file": ("opts.rttm", planted_files[0].read_bytes())})
    assert res.status_code == 422 and res.json()["error"].startswith(message), res.text
    assert "--" not in res.json()["error"]  # no command-line flag in an API error


def test_two_files_in_the_file_field_are_refused_with_a_clear_reason(client, planted_files):
    data = planted_files[0].read_bytes()
    res = client.post("/api/recordings", files=[("file", ("a.rttm", data)),
                                                ("file", ("b.rttm", data))])
    assert res.status_code == 400
    assert "the field 'file' holds one file" in res.json()["error"]


def test_rows_always_list_speaker_names(client, planted_files) -> None:
    uri = upload(client, planted_files[0], name="names-soon.rttm").json()["id"]
    first = client.get(f"/api/recordings/{uri}").json()
    assert "speaker_names" in first and isinstance(first["speaker_names"], list)
    assert wait_done(client, uri)["status"] == "done"
    assert client.get(f"/api/recordings/{uri}").json()["speaker_names"] == ["Ann", "Bob", "Cy"]
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_the_page_and_the_api_never_show_server_paths(client, server, call) -> None:
    store = str(server.store.resolve())
    payload = client.get(f"/api/recordings/{call}/review").json()
    assert payload["input"]["path"] == f"{call}.rttm"
    assert payload["input"]["media_path"] in (None, f"{call}.wav")
    for text in (client.get(f"/recordings/{call}").text,
                 client.get(f"/api/recordings/{call}/analysis").text,
                 client.get(f"/api/recordings/{call}/analysis?version=automatic").text,
                 client.get(f"/api/recordings/{call}/export/json").text,
                 client.get(f"/api/recordings/{call}/export/json?version=automatic").text):
        assert store not in text


def test_edit_bodies_and_names_are_limited(client, call) -> None:
    huge = {"op": "rename_speaker", "speaker": "Ann", "name": "x" * 3_000_000}
    res = client.post(f"/api/recordings/{call}/edits", json=huge)
    assert res.status_code == 413 and "64 kB" in res.json()["error"]
    long = {"op": "rename_speaker", "speaker": "Ann", "name": "x" * 201}
    res = client.post(f"/api/recordings/{call}/edits", json=long)
    assert res.status_code == 422 and "at most 200 characters" in res.json()["error"]
    res = client.post(f"/api/recordings/{call}/edits", content=b"{not json",
                      headers={"Content-Type": "application/json"})
    assert res.status_code == 422
    assert client.get(f"/api/recordings/{call}/review").json()["speakers"][0]["name"] != "x" * 201
    for deep in (b"[" * 30_000 + b"]" * 30_000,  # within 64 kB, deeper than Python's recursion
                 b'{"op": "undo", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"):
        res = client.post(f"/api/recordings/{call}/edits", content=deep,
                          headers={"Content-Type": "application/json"})
        assert res.status_code == 422 and "nested too deeply" in res.json()["error"], res.text


def test_a_speaker_that_never_existed_is_422_not_a_stale_409(client, call) -> None:
    res = client.post(f"/api/recordings/{call}/edits",
                      json={"op": "rename_speaker", "speaker": "Nobody", "name": "N"})
    assert res.status_code == 422 and "unknown speaker 'Nobody'" in res.json()["error"]
    res = client.post(f"/api/recordings/{call}/edits", json={
        "op": "delete_segment", "segment": {"speaker": "Nobody", "start_s": 1, "end_s": 2}})
    assert res.status_code == 422 and "unknown speaker 'Nobody'" in res.json()["error"]


def test_new_speaker_ids_are_checked(client, planted_files) -> None:
    uri = upload(client, planted_files[0], name="new-speakers.rttm").json()["id"]
    assert wait_done(client, uri)["status"] == "done"
    edits = f"/api/recordings/{uri}/edits"
    segment = {"speaker": "Bob", "start_s": 4.6, "end_s": 10.6}
    assert client.post(edits, json={"op": "rename_speaker", "speaker": "Cy",
                                    "name": "Dee"}).status_code == 200
    for speaker, why in (("Dee", "is the name of speaker 'Cy'"), ("New Guy", "no spaces")):
        res = client.post(edits, json={"op": "reassign_segment", "segment": segment,
                                       "speaker": speaker})
        assert res.status_code == 422 and why in res.json()["error"], res.text
    res = client.post(edits, json={"op": "add_segment", "speaker": "Ed Smith", "start_s": 30,
                                   "end_s": 31})
    assert res.status_code == 422 and "no spaces" in res.json()["error"]
    res = client.post(edits, json={"op": "reassign_segment", "segment": segment,
                                   "speaker": "Ed"})
    assert res.status_code == 200
    assert sorted(s["id"] for s in res.json()["speakers"]) == ["Ann", "Bob", "Cy", "Ed"]
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_exports_agree_after_adding_speech_over_the_same_speakers(client, planted_files,
                                                                   tmp_path) -> None:
    uri = upload(client, planted_files[0], name="own-overlap.rttm").json()["id"]
    assert wait_done(client, uri)["status"] == "done"
    edits = f"/api/recordings/{uri}/edits"
    res = client.post(edits, json={"op": "add_segment", "speaker": "Bob", "start_s": 9.0,
                                   "end_s": 12.0})  # over Bob's own 4.6-10.6
    assert res.status_code == 200, res.text
    bob = [(s["start_s"], s["end_s"]) for s in res.json()["segments"] if s["speaker"] == "Bob"]
    assert (4.6, 12.0) in bob and (4.6, 10.6) not in bob
    res = client.post(edits, json={"op": "move_boundary", "edge": "end", "to_s": 21.5,
                                   "segment": {"speaker": "Bob", "start_s": 4.6,
                                               "end_s": 12.0}})  # over Bob's 20.6 backchannel
    assert res.status_code == 200, res.text
    res = client.post(edits, json={"op": "add_segment", "speaker": "Bob", "start_s": 5,
                                   "end_s": 6})  # inside his own speech: nothing to add
    assert res.status_code == 422 and "already speaks" in res.json()["error"]
    counts = {}
    for fmt, suffix in (("rttm", ".rttm"), ("eaf", ".eaf"), ("textgrid", ".TextGrid")):
        path = tmp_path / f"x{suffix}"
        path.write_bytes(client.get(f"/api/recordings/{uri}/export/{fmt}").content)
        counts[fmt] = sorted((s.speaker, s.start_s, s.end_s) for s in read_annotation(path))
    assert counts["rttm"] == counts["eaf"] == counts["textgrid"]
    assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_a_delete_while_edits_are_in_flight_leaves_nothing_behind(client, server,
                                                                  planted_files) -> None:
    """Edits racing a delete: none answers 500, nothing of the review is left, and a new
    upload under the same id starts with a clean review (no names, no edits, not
    'reviewed')."""
    statuses: list[int] = []
    for _ in range(8):
        uri = upload(client, planted_files[0], name="raced.rttm").json()["id"]
        assert uri == "raced" and wait_done(client, uri)["status"] == "done"
        stop = threading.Event()

        def edit(i: int, stop: threading.Event = stop) -> None:
            with server.client() as c:
                k = 0
                while not stop.is_set():
                    res = c.post("/api/recordings/raced/edits", json={
                        "op": "rename_speaker", "speaker": "Ann", "name": f"A{i}-{k}"})
                    statuses.append(res.status_code)
                    k += 1

        threads = [threading.Thread(target=edit, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.1)
        assert client.delete("/api/recordings/raced").status_code == 204
        time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(30)
        time.sleep(0.8)  # the background save's delay
        assert not (server.store / "reviews" / "raced").exists()
    assert 500 not in statuses and set(statuses) <= {200, 404}, statuses
    uri = upload(client, planted_files[0], name="raced.rttm").json()["id"]
    assert uri == "raced" and wait_done(client, uri)["status"] == "done"
    row = client.get("/api/recordings/raced").json()
    assert row["reviewed"] is False and row["speaker_names"] == ["Ann", "Bob", "Cy"]
    assert client.get("/api/recordings/raced/edits").json() == []
    assert client.delete("/api/recordings/raced").status_code == 204


def test_a_page_that_is_not_there_is_a_page(client) -> None:
    """A link to a recording deleted since opens a page saying so, with the way back (it
    was the API's JSON); the API and clients not asking for HTML keep the JSON."""
    res = client.get("/recordings/gone-since", headers={"Accept": "text/html,*/*"})
    assert res.status_code == 404 and res.headers["content-type"].startswith("text/html")
    assert "no recording &#x27;gone-since&#x27;" in res.text and 'href="/"' in res.text
    assert res.headers["content-security-policy"].startswith("default-src 'self'")
    res = client.get("/recordings/gone-since")
    assert res.status_code == 404 and res.json() == {"error": "no recording 'gone-since'"}
    res = client.get("/api/recordings/gone-since", headers={"Accept": "text/html"})
    assert res.status_code == 404 and res.json() == {"error": "no recording 'gone-since'"}


def test_the_same_file_uploaded_again_says_which_it_repeats(client, planted_files) -> None:
    """A second upload of a file gets an id of its own (options may differ); the history
    says it is the same file as the first (it looked like another recording)."""
    data = b";; once more\n" + planted_files[0].read_bytes()  # content no other test uploads
    first = client.post("/api/recordings", files={"file": ("again.rttm", data)}).json()["id"]
    second = client.post("/api/recordings", files={"file": ("again.rttm", data)}).json()["id"]
    assert second != first
    for uri in (first, second):
        wait_done(client, uri)
    assert client.get(f"/api/recordings/{first}").json()["same_file_as"] is None
    assert client.get(f"/api/recordings/{second}").json()["same_file_as"] == first
    listed = {r["id"]: r["same_file_as"] for r in client.get("/api/recordings").json()}
    assert listed[first] is None and listed[second] == first
    for uri in (first, second):
        assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_what_the_analysis_warns_of_is_listed_with_the_recording(client, server,
                                                                  planted_files) -> None:
    """A warning of the analysis (here a zero-length segment skipped) is in the recording's
    row, naming the file and not the server's folders; a clean one has none."""
    text = planted_files[0].read_text() + (
        "SPEAKER built 1 10.0000 0.0004 <NA> <NA> Ann <NA> <NA>\n")
    odd = planted_files[0].parent / "warned.rttm"
    odd.write_text(text)
    uri = upload(client, odd).json()["id"]
    row = wait_done(client, uri)
    assert row["status"] == "done", row["error"]
    assert row["warnings"] == [f"{uri}.rttm: skipped 1 zero-length segment(s) (shorter than 1 ms)"]
    assert str(server.store.resolve()) not in json.dumps(client.get("/api/recordings").json())
    clean = upload(client, planted_files[0], name="clean.rttm").json()["id"]
    assert wait_done(client, clean)["warnings"] == []
    for u in (uri, clean):
        assert client.delete(f"/api/recordings/{u}").status_code == 204
