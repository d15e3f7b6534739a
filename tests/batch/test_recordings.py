"""Recordings through the batch: events re-derived without diarizing again, and a real local
Ray instance giving what the local runner gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from talkover.batch import AnalysisOptions, JobRetried, JobStarted, LocalExecutor, Runner
from talkover.batch import find_requests as requests_for
from talkover.cli import main
from talkover.config import EventConfig
from talkover.store import Store
from tests.batch.conversations import write_conversations

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"
pytestmark = pytest.mark.slow


def _run(store: Store, executor, inputs, options=None, on_update=None):
    runner = Runner(store, executor, on_update=on_update)
    plan = runner.plan(requests_for([str(i) for i in inputs], options or AnalysisOptions()))
    runner.start(plan)
    runner.run()
    return plan


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_conversations(folder, 4)
    shutil.copy(SAMPLE, folder / "call.flac")
    return folder


@pytest.fixture(scope="module")
def local_store(inputs: Path, tmp_path_factory) -> Path:
    """The inputs through the local runner, two workers."""
    path = tmp_path_factory.mktemp("local") / "store"
    with Store.open(path, create=True) as store, LocalExecutor(workers=2) as pool:
        _run(store, pool, [inputs])
    return path


def test_a_new_threshold_rederives_events_without_diarizing(
    local_store: Path, inputs: Path, tmp_path: Path, capsys
) -> None:
    store_path = tmp_path / "store"
    shutil.copytree(local_store, store_path)
    before = Store.open(store_path, readonly=True)
    first = before.get("call")
    before.close()
    assert (first.diarizations, first.derivations) == (1, 0)
    options = AnalysisOptions(config=EventConfig(grace_s=0.3, min_pause_s=0.2))
    with Store.open(store_path) as store, LocalExecutor(workers=1) as pool:
        plan = _run(store, pool, [inputs], options)
        row = store.get("call")
        analysis = store.read_analysis("call")
    assert {p.uri: p.action for p in plan.items}["call"] == "events"
    assert (row.diarizations, row.derivations) == (1, 1)  # no second diarization
    assert row.diarize_s is None and row.decode_s is None and row.events_s is not None
    # exactly what a full analysis with the new thresholds gives
    assert main(["analyze", str(inputs / "call.flac"), "--grace", "0.3", "--min-pause", "0.2",
                 "--json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out) == analysis
    assert analysis["config"]["grace_s"] == 0.3


def test_batch_json_is_what_analyze_writes(local_store: Path, inputs: Path, capsys) -> None:
    with Store.open(local_store, readonly=True) as store:
        for uri, name in (("call", "call.flac"), ("conv_002", "conv_002.rttm")):
            assert main(["analyze", str(inputs / name), "--json", "-q"]) == 0
            assert capsys.readouterr().out == store.analysis_path(uri).read_text()


@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'talkover[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


def _rows(store: Store) -> dict[str, tuple]:
    return {r.uri: (r.status, r.sha256, r.diarization_hash, r.events_hash, r.analysis_sha256,
                    r.duration_s, r.diarizations) for r in store.recordings()}


def test_ray_gives_what_the_local_runner_gives(
    ray_instance, local_store: Path, inputs: Path, tmp_path: Path
) -> None:
    from talkover.batch import RayExecutor

    with Store.open(tmp_path / "ray", create=True) as store, RayExecutor(workers=2) as pool:
        _run(store, pool, [inputs])
        ray_rows = _rows(store)
        workers = {r.worker for r in store.recordings()}
    with Store.open(local_store, readonly=True) as local:
        assert ray_rows == _rows(local)
        for uri in ray_rows:
            assert (tmp_path / "ray" / "analyses" / f"{uri}.json").read_bytes() == \
                local.analysis_path(uri).read_bytes()
            for table in ("events", "speakers"):
                assert (tmp_path / "ray" / "tables" / table / f"{uri}.parquet").read_bytes() == \
                    local.table_path(table, uri).read_bytes()
    assert len(workers) == 2  # two actors shared the work


def test_a_dead_ray_actor_has_its_recording_retried(
    ray_instance, inputs: Path, tmp_path: Path
) -> None:
    from talkover.batch import RayExecutor

    seen = []
    with Store.open(tmp_path / "ray", create=True) as store, RayExecutor(workers=1) as pool:

        def kill_first_actor(update) -> None:
            seen.append(update)
            if isinstance(update, JobStarted) and len(seen) == 1:
                ray_instance.kill(pool._actors[0].handle)  # a real death, mid-job

        _run(store, pool, [inputs / "call.flac"], on_update=kill_first_actor)
        row = store.get("call")
    assert any(isinstance(u, JobRetried) and "Actor" in u.reason for u in seen)
    assert (row.status, row.attempts, row.diarizations) == ("done", 2, 1)


def test_the_ray_flag_of_the_command(ray_instance, inputs: Path, tmp_path: Path, capsys) -> None:
    rttms = [str(p) for p in sorted(inputs.glob("*.rttm"))]
    assert main(["batch", *rttms, "--store", str(tmp_path / "s"), "--ray", "--workers", "2"]) == 0
    assert capsys.readouterr().out.startswith("4 recording(s)")
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert {r.worker.split(":")[0] for r in store.recordings()} != {"local"}
        assert store.counts()["done"] == 4
    assert ray_instance.is_initialized()  # the command leaves a Ray it did not start running


def test_ray_jobs_are_cancelled_queued_or_running(
    ray_instance, inputs: Path, tmp_path: Path
) -> None:
    from talkover.batch import AnalysisOptions, RayExecutor, Request, Runner

    rttms = sorted(inputs.glob("*.rttm"))
    with Store.open(tmp_path / "ray", create=True) as store, RayExecutor(workers=1) as pool:
        seen = []
        runner = Runner(store, pool, on_update=seen.append)
        runner.add(Request(str(inputs / "call.flac"), "audio", AnalysisOptions(), uri="call"))
        runner.add(Request(str(rttms[0]), "annotation", AnalysisOptions(), uri="queued"))
        runner.add(Request(str(rttms[1]), "annotation", AnalysisOptions(), uri="after"))
        while store.get("call").status != "running":
            runner.step(0.1)
        assert runner.cancel("call") and runner.cancel("queued")
        runner.run()
        rows = {r.uri: (r.status, r.error) for r in store.recordings()}
    assert rows == {"call": ("failed", "cancelled"), "queued": ("failed", "cancelled"),
                    "after": ("done", None)}
    assert not [u for u in seen if u.uri in ("call", "queued") and not isinstance(u, JobStarted)]
