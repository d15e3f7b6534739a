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
import threading

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
    else:
        timeline = read_annotation(path)
        assert len(timeline) == 10 and set(timeline.speakers) == {"Ann", "Bob", "Cy"}
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
