from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from talkover import analyze_timeline, read_rttm
from talkover.cast import Cast
from talkover.export.json import format_json
from talkover.store import (
    MARKER,
    TABLES,
    CommittedResult,
    Store,
    StoreError,
    Timings,
    check_uri,
    is_valid_uri,
    unique_uri,
    uri_from_stem,
)
from talkover.store.atomic import staged_path, write_atomic
from tests.batch.conversations import write_conversations


@pytest.fixture
def rttms(tmp_path: Path) -> list[Path]:
    return write_conversations(tmp_path / "in", 3)


def _result(path: Path, *, groups: str | None = None, d: str = "d1", e: str = "e1"):
    cast = Cast.from_names("Ann,Bo,Cy").with_groups([groups]) if groups else None
    analysis = analyze_timeline(read_rttm(path), input_path=str(path), cast=cast)
    return CommittedResult(format_json(analysis), d, e, True, analysis.duration_s,
                           Timings(total_s=0.1), "test")


def _add(store: Store, uri: str, path: Path, metadata=(), **kwargs) -> None:
    store.queue(uri, path=str(path), kind="annotation", sha256="0" * 64, metadata=metadata)
    store.mark_running(uri)
    store.commit(uri, _result(path, **kwargs))


def test_create_open_and_refuse(tmp_path: Path) -> None:
    root = tmp_path / "store"
    with pytest.raises(StoreError, match="not a talkover store"):
        Store.open(root)
    with Store.open(root, create=True) as store:
        assert (root / MARKER).is_file()
        assert store.counts() == {"queued": 0, "running": 0, "done": 0, "failed": 0}
        with pytest.raises(StoreError, match="is being written by pid"):
            Store.open(root)  # one writer at a time
        with Store.open(root, readonly=True) as reader:  # readers need no lock
            assert reader.recordings() == ()
    with Store.open(root) as store:  # the lock went with the first writer
        assert store.repair.clean
    busy = tmp_path / "papers"
    busy.mkdir()
    (busy / "thesis.tex").write_text("x")
    with pytest.raises(StoreError, match="other files in it"):
        Store.open(busy, create=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Store.open(tmp_path / "file", create=True)


def test_newer_store_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path / "s", create=True).close()
    (tmp_path / "s" / MARKER).write_text(json.dumps({"format": "talkover-store", "version": 99}))
    with pytest.raises(StoreError, match="newer talkover"):
        Store.open(tmp_path / "s")


def test_commit_writes_json_and_tables_consistent_with_it(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        for i, path in enumerate(rttms):
            _add(store, f"rec{i}", path, metadata=[("site", f"S{i % 2}")])
        row = store.get("rec1")
        assert (row.status, row.diarizations, row.attempts, row.progress) == ("done", 1, 1, 1.0)
        frames = store.frames()
    analyses = [json.loads((tmp_path / "s" / "analyses" / f"rec{i}.json").read_text())
                for i in range(3)]
    assert json.loads(format_json(analyze_timeline(
        read_rttm(rttms[0]), input_path=str(rttms[0])))) == analyses[0]
    for table, key in (("events", "events"), ("segments", "segments"), ("turns", "turns"),
                       ("speakers", "speakers")):
        assert len(frames[table]) == sum(len(a[key]) for a in analyses)
        assert list(frames[table]["uri"].unique()) == ["rec0", "rec1", "rec2"]
    assert set(frames["events"]["site"]) == {"S0", "S1"}
    matrix = frames["matrix"]
    assert matrix["count"].sum() == sum(len(a["events"]) for a in analyses)
    # pandas reads every recording's file of a table as one dataset
    direct = pd.read_parquet(tmp_path / "s" / "tables" / "events")
    assert len(direct) == len(frames["events"])


def test_a_new_metadata_or_group_column_widens_every_table(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "first", rttms[0])
        _add(store, "second", rttms[1], metadata=[("site", "Leeds")],
             groups="gender:Ann=woman,Bo=man,Cy=man")
        assert store.extra_columns == ("group_gender", "site")
    for table in TABLES:
        frame = pd.read_parquet(tmp_path / "s" / "tables" / table)  # first file's schema
        assert "site" in frame.columns
        assert set(frame.loc[frame.uri == "first", "site"].dropna()) == set()
    speakers = pd.read_parquet(tmp_path / "s" / "tables" / "speakers")
    assert dict(zip(speakers.loc[speakers.uri == "second", "name"],
                    speakers.loc[speakers.uri == "second", "group_gender"], strict=True)) == {
        "Ann": "woman", "Bo": "man", "Cy": "man"}
    assert "group_gender" not in pd.read_parquet(tmp_path / "s" / "tables" / "events").columns


def test_requeue_keeps_the_older_analysis_but_drops_the_tables(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "rec", rttms[0])
        store.queue("rec", path=str(rttms[0]), kind="annotation", sha256="1" * 64)
        row = store.get("rec")
        assert row.status == "queued" and row.has_analysis and row.events_hash == "e1"
        assert not any(store.table_path(t, "rec").exists() for t in TABLES)
        assert store.frames()["events"].empty
        store.mark_failed("rec", "boom")
        assert store.get("rec").error == "boom"


def _kill_states(store: Store, rttms: list[Path]) -> None:
    """Leave the store as a writer killed at various moments would."""
    _add(store, "done_ok", rttms[0])
    _add(store, "committed_not_renamed", rttms[1])
    _add(store, "table_missing", rttms[2])
    store.queue("was_running", path=str(rttms[0]), kind="annotation", sha256="2" * 64)
    store.mark_running("was_running")
    store.queue("uncommitted", path=str(rttms[0]), kind="annotation", sha256="3" * 64)
    # committed, then killed before the staged analysis was renamed over the old one
    final = store.analysis_path("committed_not_renamed")
    staged = staged_path(final)
    os.replace(final, staged)
    final.write_text('{"old": true}\n')
    # killed after staging, before the commit
    write_atomic(staged_path(store.analysis_path("uncommitted")), b'{"half": 1}')
    # killed in the middle of writing temporary files
    (store.path / "analyses" / ".x.json.tmp-1-abcd").write_bytes(b"{")
    (store.tables_dir / "events" / ".x.parquet.tmp-1-abcd").write_bytes(b"PAR")
    # a table file of a recording that is not done, and a done one's table lost
    (store.tables_dir / "events" / "uncommitted.parquet").write_bytes(b"PAR1")
    store.table_path("turns", "table_missing").unlink()


def test_open_repairs_what_a_killed_writer_left(tmp_path: Path, rttms) -> None:
    root = tmp_path / "s"
    with Store.open(root, create=True) as store:
        _kill_states(store, rttms)
        expected = store.analysis_path("done_ok").read_text()
    with Store.open(root) as store:
        repair = store.repair
        assert repair.requeued == ("was_running",)
        assert repair.rolled_forward == ("committed_not_renamed",)
        assert repair.rebuilt_tables == ("table_missing",)
        assert repair.removed_files == 4  # 2 temporary, 1 staged, 1 table
        assert store.get("was_running").status == "queued"
        assert json.loads(store.analysis_path("committed_not_renamed").read_text())["events"]
        assert store.analysis_path("done_ok").read_text() == expected
        leftovers = [p for p in root.rglob("*") if p.name.startswith(".") and p.name != ".lock"]
        assert leftovers == []
        done = {r.uri for r in store.recordings(status="done")}
        for table in TABLES:
            assert {p.stem for p in (root / "tables" / table).iterdir()} == done
    with Store.open(root) as store:
        assert store.repair.clean


def test_a_done_recording_whose_json_vanished_is_queued_again(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "rec", rttms[0])
        store.analysis_path("rec").unlink()
    with Store.open(tmp_path / "s") as store:
        assert store.repair.lost == ("rec",)
        row = store.get("rec")
        assert row.status == "queued" and not row.has_analysis
        assert not store.table_path("events", "rec").exists()


@pytest.mark.parametrize("uri", ["../x", "a/b", "", ".hidden", "x" * 121, "a.", "_a", "a b",
                                 "会" * 61])
def test_invalid_uris(uri: str) -> None:
    assert not is_valid_uri(uri)
    with pytest.raises(ValueError, match="not a valid recording uri"):
        check_uri(uri)


def test_uris_from_file_names_are_safe_and_unique() -> None:
    assert uri_from_stem("Été 2024 — take 1") == "Été_2024_take_1"
    assert uri_from_stem("...") == "recording"
    assert uri_from_stem("..\\..\\etc") == "etc"
    taken = {"call", "call.rttm"}
    uri = unique_uri("call", "/b/call.rttm", suffix=".rttm", taken=taken)
    assert uri.startswith("call-") and len(uri) == len("call-") + 8
    assert uri == unique_uri("call", "/b/call.rttm", suffix=".rttm", taken=taken)  # stable


def test_uris_of_long_non_latin_names_fit_a_file_name(tmp_path: Path, rttms) -> None:
    """A uri is cut to whole characters within 180 UTF-8 bytes, so its files (with extension
    and temporary suffix) stay within the 255-byte file-name limit."""
    stem = "会議の記録" * 40  # 200 characters, 600 bytes
    uri = uri_from_stem(stem)
    assert is_valid_uri(uri) and len(uri.encode()) <= 180 and stem.startswith(uri)
    twin = unique_uri(stem, "/b/x.wav", suffix=".wav", taken={uri.lower()})
    assert is_valid_uri(twin) and twin != uri
    third = unique_uri(stem, "/b/x.wav", suffix=".wav", taken={uri.lower(), twin.lower()})
    assert is_valid_uri(third) and len(third.encode()) <= 180
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, third, rttms[0])
        assert store.get(third).status == "done"
        assert store.table_path("events", third).is_file()


def test_a_store_refuses_two_uris_that_differ_only_in_case(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "Call", rttms[0])
        with pytest.raises(ValueError, match="'call'.*'Call'"):
            store.queue("call", path=str(rttms[1]), kind="annotation", sha256=None)
        assert [r.uri for r in store.recordings()] == ["Call"]


def test_a_server_may_use_the_store_from_several_threads(tmp_path: Path, rttms) -> None:
    import threading

    with Store.open(tmp_path / "s", create=True) as store:
        errors = []

        def write(i: int) -> None:
            try:
                _add(store, f"rec{i}", rttms[i % len(rttms)])
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            store.counts()  # a request handler reading meanwhile
        assert errors == []
        assert store.counts()["done"] == 6


def test_remove_takes_the_row_and_its_files(tmp_path: Path, rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "a", rttms[0])
        _add(store, "b", rttms[1])
        store.remove("a")
        assert [r.uri for r in store.recordings()] == ["b"]
        assert not store.analysis_path("a").exists()
        assert not any(store.table_path(t, "a").exists() for t in TABLES)
        assert store.table_path("events", "b").is_file()
        with pytest.raises(KeyError):
            store.remove("a")
        _add(store, "A", rttms[0])  # its case twin is free again
        assert store.get("A").status == "done"


def test_an_analysis_left_by_a_crash_in_remove_goes_at_the_next_open(tmp_path: Path,
                                                                     rttms) -> None:
    with Store.open(tmp_path / "s", create=True) as store:
        _add(store, "a", rttms[0])
        kept = store.analysis_path("a").read_bytes()
        store.remove("a")
        store.analysis_path("a").write_bytes(kept)  # as if killed before the unlink
    with Store.open(tmp_path / "s") as store:
        assert store.repair.removed_files == 1
        assert not store.analysis_path("a").exists()


def test_a_version_1_manifest_gains_warnings_when_a_writer_opens_it(tmp_path: Path) -> None:
    """A store written before ``warnings`` existed: readers see none, a writer adds the column
    (and marks the schema 2, which an older talkover then refuses rather than misreads)."""
    import sqlite3

    from talkover.store.manifest import _SCHEMA

    path = tmp_path / "s"
    Store.open(path, create=True).close()
    (path / "manifest.sqlite").unlink()
    old = _SCHEMA.replace(",\n    warnings TEXT NOT NULL DEFAULT '[]'", "")
    assert "warnings" not in old
    with sqlite3.connect(path / "manifest.sqlite") as db:
        db.executescript(old)
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        db.execute("INSERT INTO recordings (uri, path, kind, status, created_at, updated_at) "
                   "VALUES ('old', '/x/old.rttm', 'annotation', 'queued', 't', 't')")
    db.close()
    with Store.open(path, readonly=True) as store:
        assert store.get("old").warnings == ()
    with Store.open(path) as store:
        store.mark_failed("old", "x/old.rttm: no such file", warnings=["a warning"])
        assert store.get("old").warnings == ("a warning",)
        assert store.manifest.meta("schema_version") == "2"
