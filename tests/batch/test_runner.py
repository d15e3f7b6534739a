"""The runner with real worker processes, on annotation inputs (fast) and one real recording."""

from __future__ import annotations

import csv
import json
import os
import signal
from pathlib import Path

import pytest

from talkover.batch import (
    AnalysisOptions,
    JobRetried,
    JobStarted,
    LocalExecutor,
    Request,
    Runner,
    find_requests,
)
from talkover.config import EventConfig
from talkover.errors import FormatError, InputError
from talkover.store import TABLES, Store
from tests.batch.conversations import write_conversations

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


def batch(store_path: Path, inputs, options=None, *, workers: int = 2, retry_failed=False):
    """Run one batch; the plan and every row of the store afterwards."""
    with Store.open(store_path, create=True) as store, LocalExecutor(workers=workers) as pool:
        runner = Runner(store, pool, retry_failed=retry_failed)
        plan = runner.plan(find_requests([str(i) for i in inputs], options or AnalysisOptions()))
        runner.start(plan)
        runner.run()
        return plan, {r.uri: r for r in store.recordings()}


def test_batch_then_rerun_skips_then_new_threshold_redoes(tmp_path: Path) -> None:
    write_conversations(tmp_path / "in", 6)
    plan, rows = batch(tmp_path / "s", [tmp_path / "in"])
    assert plan.count("full") == 6
    assert {r.status for r in rows.values()} == {"done"}
    assert sorted(rows) == [f"conv_{i:03d}" for i in range(6)]
    plan, again = batch(tmp_path / "s", [tmp_path / "in"])
    assert plan.count("skip") == 6
    assert {u: r.attempts for u, r in again.items()} == {u: 1 for u in rows}
    options = AnalysisOptions(config=EventConfig(grace_s=0.3))
    plan, third = batch(tmp_path / "s", [tmp_path / "in"], options)
    assert plan.count("full") == 6  # annotations are simply read again
    assert all(json.loads(
        (tmp_path / "s" / "analyses" / f"{u}.json").read_text())["config"]["grace_s"] == 0.3
        for u in third)


def test_a_bad_file_fails_alone(tmp_path: Path) -> None:
    write_conversations(tmp_path / "in", 3)
    (tmp_path / "in" / "broken.rttm").write_text("SPEAKER x 1 zero 1 <NA> <NA> A <NA> <NA>\n")
    (tmp_path / "in" / "noise.wav").write_bytes(os.urandom(4000))
    (tmp_path / "in" / "empty.flac").write_bytes(b"")
    _, rows = batch(tmp_path / "s", [tmp_path / "in"])
    failed = {u: r.error for u, r in rows.items() if r.status == "failed"}
    assert set(failed) == {"broken", "noise", "empty"}
    assert failed["broken"].endswith("broken.rttm:1: expected a number for onset, got 'zero'") \
        or "broken.rttm:1:" in failed["broken"]
    assert "noise.wav: not a readable audio or video file" in failed["noise"]
    assert "empty.flac: file is empty" in failed["empty"]
    assert sum(r.status == "done" for r in rows.values()) == 3
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert set(store.frames(["events"])["events"]["uri"]) == {
            "conv_000", "conv_001", "conv_002"}


def test_failed_recordings_wait_for_retry_failed_or_a_change(tmp_path: Path) -> None:
    paths = write_conversations(tmp_path / "in", 2)
    good = paths[0].read_text()
    paths[0].write_text("garbage\n")
    _, rows = batch(tmp_path / "s", paths)
    assert rows["conv_000"].status == "failed"
    plan, _ = batch(tmp_path / "s", paths)
    assert plan.count("failed") == 1 and plan.count("skip") == 1
    plan, rows = batch(tmp_path / "s", paths, retry_failed=True)
    assert plan.count("full") == 1 and rows["conv_000"].attempts == 2
    paths[0].write_text(good)  # fixed: the content changed, so it runs without the flag
    plan, rows = batch(tmp_path / "s", paths)
    assert plan.count("full") == 1 and rows["conv_000"].status == "done"


def test_manifest_csv_names_uris_speakers_groups_and_metadata(tmp_path: Path) -> None:
    paths = write_conversations(tmp_path / "in", 3)
    manifest = tmp_path / "corpus.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "uri", "speakers", "groups", "site", "year"])
        w.writerow([f"in/{paths[0].name}", "meeting-1", "Ann,Bo,Cy",
                    "gender:Ann=woman,Bo=man,Cy=man;role:Ann=chair", "Leeds", "2021"])
        w.writerow([str(paths[1]), "meeting-2", "", "", "York", ""])
        w.writerow([f"in/{paths[0].name}", "meeting-1-again", "", "", "Leeds", "2022"])
        w.writerow(["in/missing.rttm", "gone", "", "", "", ""])
    _, rows = batch(tmp_path / "s", [manifest])
    assert rows["meeting-1"].metadata == (("site", "Leeds"), ("year", "2021"))
    assert rows["meeting-2"].metadata == (("site", "York"),)
    assert rows["gone"].status == "failed" and rows["gone"].error.endswith("no such file")
    with Store.open(tmp_path / "s", readonly=True) as store:
        frames = store.frames()
    speakers = frames["speakers"].set_index(["uri", "speaker"])
    assert speakers.loc[("meeting-1", "A"), "name"] == "Ann"
    assert speakers.loc[("meeting-1", "B"), "group_gender"] == "man"
    assert speakers.loc[("meeting-1", "A"), "group_role"] == "chair"
    events = frames["events"]
    assert set(events["uri"]) == {"meeting-1", "meeting-2", "meeting-1-again"}
    assert set(events.loc[events.uri == "meeting-1-again", "year"]) == {"2022"}
    assert events.loc[events.uri == "meeting-2", "year"].isna().all()
    # only the metadata changed: the tables are rewritten, nothing is analysed again
    text = manifest.read_text(encoding="utf-8").replace("York", "Hull")
    manifest.write_text(text, encoding="utf-8")
    plan, again = batch(tmp_path / "s", [manifest])
    assert plan.count("retable") == 1 and again["meeting-2"].attempts == 1
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert set(store.frames(["events"])["events"]["site"]) == {"Leeds", "Hull"}


@pytest.mark.parametrize(("row", "message"), [
    (["a.rttm", "../evil", "", ""], "not a valid recording uri"),
    (["a.rttm", "", "x", ""], "num_speakers must be a whole number >= 1, got 'x'"),
    (["a.rttm", "", "", "gender:Ann"], "--groups: expected [ATTR:]NAME=VALUE"),
])
def test_a_malformed_manifest_is_refused_with_its_line(tmp_path: Path, row, message) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,uri,num_speakers,groups\n" + ",".join(row) + "\n")
    with pytest.raises(FormatError) as info:
        find_requests([str(manifest)], AnalysisOptions())
    assert str(info.value).startswith(f"{manifest}:2: ") and message in str(info.value)


def test_inputs_files_folders_globs(tmp_path: Path) -> None:
    write_conversations(tmp_path / "a", 2)
    write_conversations(tmp_path / "b" / "deep", 1, first_seed=5)
    (tmp_path / "a" / "notes.txt").write_text("not an input")
    (tmp_path / "a" / ".hidden.rttm").write_text("")
    found = find_requests([str(tmp_path / "a"), str(tmp_path / "b" / "**" / "*.rttm")],
                          AnalysisOptions())
    assert [Path(r.path).name for r in found] == ["conv_000.rttm", "conv_001.rttm",
                                                  "conv_005.rttm"]
    assert {r.kind for r in found} == {"annotation"}
    with pytest.raises(InputError, match="no such file or folder"):
        find_requests([str(tmp_path / "nope.wav")], AnalysisOptions())
    with pytest.raises(InputError, match="no file matches"):
        find_requests([str(tmp_path / "*.mp3")], AnalysisOptions())
    assert find_requests([str(SAMPLE)], AnalysisOptions())[0].kind == "audio"


def test_same_stem_in_two_folders_gets_two_stable_uris(tmp_path: Path) -> None:
    write_conversations(tmp_path / "x", 1)
    write_conversations(tmp_path / "y", 1)
    _, rows = batch(tmp_path / "s", [tmp_path / "x", tmp_path / "y"])
    assert sorted(rows)[0] == "conv_000" and sorted(rows)[1].startswith("conv_000")
    assert len(rows) == 2
    plan, again = batch(tmp_path / "s", [tmp_path / "y", tmp_path / "x"])
    assert plan.count("skip") == 2 and sorted(again) == sorted(rows)


def test_a_killed_worker_has_its_recording_retried(tmp_path: Path) -> None:
    killed = []

    def kill_first(update) -> None:
        if isinstance(update, JobStarted) and not killed:
            pid = int(update.worker.split(":")[1])
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with Store.open(tmp_path / "s", create=True) as store, LocalExecutor(workers=1) as pool:
        seen = []
        runner = Runner(store, pool, on_update=lambda u: (seen.append(u), kill_first(u)))
        runner.add(Request(str(SAMPLE), "audio", AnalysisOptions(), uri="call"))
        runner.run()
        row = store.get("call")
    assert any(isinstance(u, JobRetried) and "SIGKILL" in u.reason for u in seen)
    assert (row.status, row.attempts, row.diarizations) == ("done", 2, 1)


def test_a_worker_that_always_dies_fails_the_recording(tmp_path: Path) -> None:
    def kill_all(update) -> None:
        if isinstance(update, JobStarted):
            os.kill(int(update.worker.split(":")[1]), signal.SIGKILL)

    with Store.open(tmp_path / "s", create=True) as store, \
            LocalExecutor(workers=1, max_attempts=2) as pool:
        runner = Runner(store, pool, on_update=kill_all)
        runner.add(Request(str(SAMPLE), "audio", AnalysisOptions(), uri="call"))
        runner.run()
        row = store.get("call")
    assert row.status == "failed" and "killed by SIGKILL), 2 time(s)" in row.error
    assert not any(store.table_path(t, "call").exists() for t in TABLES)


def test_a_result_that_cannot_be_stored_fails_its_recording_alone(tmp_path: Path) -> None:
    """The store refuses one result (here a folder sits where its analysis goes): that recording
    is failed with the reason, the others are done and the batch ends."""
    write_conversations(tmp_path / "in", 3)

    def block(update) -> None:
        if isinstance(update, JobStarted) and update.uri == "conv_001":
            (tmp_path / "s" / "analyses" / "conv_001.json").mkdir()

    with Store.open(tmp_path / "s", create=True) as store, LocalExecutor(workers=1) as pool:
        runner = Runner(store, pool, on_update=block)
        runner.start(runner.plan(find_requests([str(tmp_path / "in")], AnalysisOptions())))
        runner.run()
        rows = {r.uri: r for r in store.recordings()}
    assert {u: r.status for u, r in rows.items()} == {
        "conv_000": "done", "conv_001": "failed", "conv_002": "done"}
    assert rows["conv_001"].error.startswith("could not store the result: ")
    assert not any((tmp_path / "s" / "tables" / t / "conv_001.parquet").exists() for t in TABLES)


def test_a_given_uri_may_not_differ_only_in_case_from_a_stored_one(tmp_path: Path) -> None:
    write_conversations(tmp_path / "in", 2)
    batch(tmp_path / "s", [tmp_path / "in" / "conv_000.rttm"])
    with Store.open(tmp_path / "s") as store, LocalExecutor(workers=1) as pool:
        runner = Runner(store, pool)
        other = find_requests([str(tmp_path / "in" / "conv_001.rttm")], AnalysisOptions())[0]
        with pytest.raises(InputError, match="'CONV_000'.*differs only in case.*'conv_000'"):
            runner.plan([Request(other.path, other.kind, other.options, "CONV_000")])
        assert [r.uri for r in store.recordings()] == ["conv_000"]


def test_what_the_analysis_warns_of_is_kept_in_the_manifest(tmp_path: Path) -> None:
    """A warning logged in a worker (a segment skipped) is the recording's, in its row; it
    goes when the file is fixed."""
    paths = write_conversations(tmp_path / "in", 2)
    text = paths[1].read_text()
    paths[1].write_text(text + "SPEAKER conv_001 1 10.0000 0.0004 <NA> <NA> A <NA> <NA>\n")
    _, rows = batch(tmp_path / "s", paths)
    assert rows["conv_000"].warnings == ()
    assert rows["conv_001"].status == "done"
    assert rows["conv_001"].warnings == (
        f"{paths[1]}: skipped 1 zero-length segment(s) (shorter than 1 ms)",)
    paths[1].write_text(text)
    _, rows = batch(tmp_path / "s", paths)
    assert rows["conv_001"].warnings == ()


def test_a_moved_or_renamed_file_keeps_its_uri(tmp_path: Path) -> None:
    """A corpus reorganised between runs (a folder moved, a file renamed) is the same
    recordings, not new ones counted a second time; a moved recording is not diarized again."""
    import shutil

    paths = write_conversations(tmp_path / "old", 2)
    shutil.copy(SAMPLE, tmp_path / "old" / "call.flac")
    _, before = batch(tmp_path / "s", [tmp_path / "old"], workers=1)
    assert sorted(before) == ["call", "conv_000", "conv_001"]
    (tmp_path / "new").mkdir()
    paths[0].rename(tmp_path / "new" / "first conversation.rttm")
    paths[1].rename(tmp_path / "new" / paths[1].name)
    (tmp_path / "old" / "call.flac").rename(tmp_path / "new" / "call.flac")
    plan, after = batch(tmp_path / "s", [tmp_path / "new"], workers=1)
    assert sorted(after) == ["call", "conv_000", "conv_001"]
    assert after["conv_000"].path == str(tmp_path / "new" / "first conversation.rttm")
    assert {r.status for r in after.values()} == {"done"}
    assert dict(zip(plan.uris, (p.action for p in plan.items), strict=True))["call"] == "events"
    assert (after["call"].diarizations, after["call"].derivations) == (1, 1)


def test_a_linked_recording_is_named_after_its_link(tmp_path: Path) -> None:
    paths = write_conversations(tmp_path / "annex", 1)
    (tmp_path / "corpus").mkdir()
    link = tmp_path / "corpus" / "interview 7.rttm"
    link.symlink_to(paths[0])
    _, rows = batch(tmp_path / "s", [tmp_path / "corpus"], workers=1)
    assert list(rows) == ["interview_7"] and rows["interview_7"].path == str(link)
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert store.read_analysis("interview_7")["provenance"]["inputs"][0]["name"] == str(link)


def test_a_broken_link_in_a_folder_fails_named_not_vanishing(tmp_path: Path) -> None:
    """An annexed recording whose content was never fetched is a link to nothing: it is one
    failed recording saying so, not left out of the corpus without a word."""
    write_conversations(tmp_path / "corpus", 1)
    (tmp_path / "corpus" / "call_02.wav").symlink_to("../.git/annex/objects/SHA256E-s9--ab.wav")
    _, rows = batch(tmp_path / "s", [tmp_path / "corpus"], workers=1)
    assert rows["conv_000"].status == "done" and rows["call_02"].status == "failed"
    assert rows["call_02"].error == (f"{tmp_path / 'corpus' / 'call_02.wav'}: a symbolic link to "
                                     "a missing file (../.git/annex/objects/SHA256E-s9--ab.wav)")


def test_jobs_are_cancelled_queued_or_running(tmp_path: Path) -> None:
    """A running job's worker is stopped and a queued job dropped; no result of theirs comes
    later, their recordings are failed 'cancelled', and the next job runs on a new worker."""
    rttm = write_conversations(tmp_path / "in", 2)
    with Store.open(tmp_path / "s", create=True) as store, LocalExecutor(workers=1) as pool:
        seen = []
        runner = Runner(store, pool, on_update=seen.append)
        runner.add(Request(str(SAMPLE), "audio", AnalysisOptions(), uri="call"))
        runner.add(Request(str(rttm[0]), "annotation", AnalysisOptions(), uri="queued"))
        runner.add(Request(str(rttm[1]), "annotation", AnalysisOptions(), uri="after"))
        while store.get("call").status != "running":
            runner.step(0.1)
        assert runner.cancel("call") and runner.cancel("queued", reason="not wanted")
        assert not runner.cancel("call") and not runner.cancel("nope")
        runner.run()
        rows = {r.uri: r for r in store.recordings()}
    assert (rows["call"].status, rows["call"].error) == ("failed", "cancelled")
    assert (rows["queued"].status, rows["queued"].error) == ("failed", "not wanted")
    assert rows["after"].status == "done"
    assert not [u for u in seen if u.uri in ("call", "queued") and not isinstance(u, JobStarted)]
