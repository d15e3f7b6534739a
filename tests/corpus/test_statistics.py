"""Corpus statistics on planted corpora: exact counts and exposures, intervals that cover the
planted rates, and a cluster bootstrap that widens when recordings differ."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats as scipy_stats

from talkover.analysis import analyze_timeline
from talkover.cast import Cast
from talkover.cli import main
from talkover.corpus import open_corpus
from talkover.export.json import format_json
from talkover.store import CommittedResult, Store
from talkover.testing.poisson_conversation import plant_poisson_conversation

GENDER = {"A": "woman", "B": "man", "C": "man", "D": "woman"}
NAMES = "Ann,Bob,Cid,Dee"  # A, B, C, D in order of first speech
RATES = {("man", "woman"): 2.0, ("woman", "man"): 1.0, ("man", "man"): 0.5,
         ("woman", "woman"): 0.5}


def _commit(store: Store, uri: str, analysis, metadata=()) -> None:
    store.queue(uri, path=f"/corpus/{uri}.rttm", kind="annotation", sha256="0" * 64,
                metadata=metadata)
    store.commit(uri, CommittedResult(format_json(analysis), "d", "e", True,
                                      analysis.duration_s))


def _planted_store(path: Path, recordings: int, *, duration_s: float = 1200.0) -> list:
    planted = []
    with Store.open(path, create=True) as store:
        for i in range(recordings):
            p = plant_poisson_conversation(groups=GENDER, rates_per_min=RATES,
                                           duration_s=duration_s, seed=100 + i)
            names = dict(zip(p.timeline.speakers, NAMES.split(","), strict=True))
            cast = Cast.from_names(",".join(names[s] for s in p.timeline.speakers))
            cast = cast.with_groups(["gender:" + ",".join(
                f"{names[s]}={GENDER[s]}" for s in p.timeline.speakers)])
            analysis = analyze_timeline(p.timeline, cast=cast)
            _commit(store, f"meeting-{i:02d}", analysis,
                    metadata=[("site", "north" if i % 2 else "south")])
            planted.append((p, analysis))
        store.queue("later", path="/corpus/later.wav", kind="audio", sha256=None)
        store.queue("broken", path="/corpus/broken.wav", kind="audio", sha256=None)
        store.mark_failed("broken", "broken.wav: not a readable audio or video file")
    return planted


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "store"
    return path, _planted_store(path, 12)


def test_counts_and_exposures_are_exact(planted) -> None:
    path, recordings = planted
    stats = open_corpus(path).statistics()
    assert (stats.recordings, stats.done, stats.pending) == (14, 12, ("later",))
    assert stats.failed == (("broken", "broken.wav: not a readable audio or video file"),)
    gender = {u.label: u for u in stats.breakdowns[0].units}
    assert stats.breakdowns[0].by == "group_gender"
    for value in ("woman", "man"):
        received = sum(1 for p, _ in recordings for e in p.interruptions
                       if GENDER[e.of] == value)
        floor = sum(t.duration_s for _, a in recordings for t in a.turns
                    if GENDER[t.speaker] == value)
        rate = gender[value].interruptions_received
        assert rate.count == received
        assert rate.exposure_s == pytest.approx(floor, abs=0.01 * len(recordings))
        assert rate.per_min == pytest.approx(60 * received / rate.exposure_s)
    people = {u.label: u for u in stats.speakers.units}
    assert sorted(people) == ["Ann", "Bob", "Cid", "Dee"]
    assert {u.recordings for u in people.values()} == {12}
    total = sum(len(p.interruptions) for p, _ in recordings)
    assert sum(c.interruptions for c in stats.matrix) == total


def test_intervals_cover_the_planted_rates(planted) -> None:
    path, _ = planted
    gender = {u.label: u for u in open_corpus(path).statistics().breakdowns[0].units}
    # every group interrupts a woman at 2.0 + 0.5, a man at 1.0 + 0.5 per minute of her floor
    for value, truth in (("woman", 2.5), ("man", 1.5)):
        rate = gender[value].interruptions_received
        assert rate.ci_low < truth < rate.ci_high
        assert rate.ci_low < rate.per_min < rate.ci_high


def test_the_interval_widens_when_recordings_differ(tmp_path: Path) -> None:
    """Recordings alternating between calm and heated: the cluster bootstrap is far wider than
    an exact Poisson interval, which takes every event as independent."""
    with Store.open(tmp_path / "s", create=True) as store:
        for i in range(16):
            rate = 0.3 if i % 2 else 4.0
            p = plant_poisson_conversation(
                groups={"A": "x", "B": "y"}, duration_s=900.0, seed=i,
                rates_per_min={("x", "y"): rate, ("y", "x"): rate})
            cast = Cast.from_names("Ann,Bob") if p.timeline.speakers[0] == "A" \
                else Cast.from_names("Bob,Ann")
            _commit(store, f"r{i}", analyze_timeline(p.timeline, cast=cast))
    ann = next(u for u in open_corpus(tmp_path / "s").statistics().speakers.units
               if u.label == "Ann").interruptions_received
    n, minutes = ann.count, ann.exposure_s / 60
    poisson_low = scipy_stats.chi2.ppf(0.025, 2 * n) / 2 / minutes
    poisson_high = scipy_stats.chi2.ppf(0.975, 2 * n + 2) / 2 / minutes
    assert (ann.ci_high - ann.ci_low) > 2 * (poisson_high - poisson_low)


def test_a_unit_in_one_recording_has_no_interval(tmp_path: Path) -> None:
    p = plant_poisson_conversation(groups=GENDER, rates_per_min=RATES, duration_s=600.0, seed=1)
    with Store.open(tmp_path / "s", create=True) as store:
        _commit(store, "only", analyze_timeline(p.timeline))
    stats = open_corpus(tmp_path / "s").statistics()
    assert {u.label for u in stats.speakers.units} == {"only:A", "only:B", "only:C", "only:D"}
    rate = stats.speakers.units[0].interruptions_received
    assert rate.per_min is not None and rate.ci_low is None and rate.ci_high is None
    assert stats.breakdowns == ()


def test_frames_have_every_table_and_the_manifest(planted) -> None:
    path, recordings = planted
    frames = open_corpus(path).frames()
    assert set(frames) == {"segments", "events", "speakers", "turns", "matrix", "recordings"}
    assert len(frames["events"]) == sum(len(a.events) for _, a in recordings)
    manifest = frames["recordings"].set_index("uri")
    assert manifest.loc["meeting-01", "site"] == "north"
    assert manifest.loc["broken", "status"] == "failed"


def test_corpus_command(planted, capsys) -> None:
    path, _ = planted
    assert main(["corpus", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: 14 recording(s), 12 done, 1 failed, 1 pending\n")
    assert "  failed: broken: broken.wav: not a readable audio or video file" in out
    assert "By group_gender:" in out and "Who interrupts whom (speaker;" in out
    assert main(["corpus", str(path), "--json", "--by", "site"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["recordings"], data["done"], data["failed"]) == (14, 12, 1)
    assert data["matrix"]["by"] == "site"
    assert [u["label"] for u in data["breakdowns"]["site"]["units"]] in (
        ["north", "south"], ["south", "north"])
    rate = data["speakers"][0]["interruptions_received"]["per_min"]
    assert rate == round(rate, 6) and not math.isnan(rate)
    assert main(["corpus", str(path), "--by", "gender"]) == 0  # group_gender, short
    assert "By group_gender:" in capsys.readouterr().out


def test_corpus_command_usage_errors(planted, tmp_path: Path, capsys) -> None:
    path, _ = planted
    assert main(["corpus", str(path), "--by", "planet"]) == 2
    assert "no column 'planet' to break down by; valid: group_gender, site" in \
        capsys.readouterr().err
    assert main(["corpus", str(tmp_path)]) == 2
    assert "not a talkover store" in capsys.readouterr().err


def test_a_reviewed_recording_counts_with_its_corrected_version(tmp_path: Path,
                                                                capsys) -> None:
    """A review made in the web app (reviews/<uri>/: edit log and corrected version) changes
    the corpus: its rejected interruptions leave the tables and the statistics; the
    automatic version stays one flag away."""
    from talkover.review.edits import EventRef, RenameSpeaker, SetVerdict
    from talkover.review.session import Review

    path = tmp_path / "store"
    planted = _planted_store(path, 3, duration_s=600.0)
    _, analysis = planted[1]
    review = Review(analysis, path / "reviews" / "meeting-01")
    rejected = [e for e in analysis.events if e.type == "interruption"][:3]
    for event in rejected:
        review.apply(SetVerdict(EventRef.of_event(event), "rejected"))
    review.apply(RenameSpeaker(analysis.speakers[0].id, "Ann Smith"))
    review.save()

    automatic = open_corpus(path, version="automatic").frames()
    corrected_corpus = open_corpus(path)
    corrected = corrected_corpus.frames()
    assert corrected_corpus.reviewed == ("meeting-01",)

    def interruptions(frames, uri):
        events = frames["events"]
        return int(((events.uri == uri) & (events.type == "interruption")).sum())

    assert interruptions(corrected, "meeting-01") == interruptions(automatic, "meeting-01") - 3
    for uri in ("meeting-00", "meeting-02"):  # the others as they were
        assert interruptions(corrected, uri) == interruptions(automatic, uri)
    speakers = corrected["speakers"]
    assert "Ann Smith" in set(speakers[speakers.uri == "meeting-01"].name)
    assert set(speakers[speakers.uri == "meeting-01"].site) == {"north"}  # metadata kept
    assert list(corrected["recordings"].set_index("uri").reviewed.loc[
        ["meeting-00", "meeting-01", "meeting-02"]]) == [False, True, False]
    assert list(corrected["events"].uri) == sorted(corrected["events"].uri)  # uri order

    assert main(["corpus", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["reviewed"], data["reviewed_recordings"]) == (1, ["meeting-01"])
    assert main(["corpus", str(path), "--version", "automatic", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reviewed"] == 0
    assert main(["corpus", str(path)]) == 0
    assert "1 pending, 1 counted as corrected in review\n" in capsys.readouterr().out

    (path / "reviews" / "meeting-01" / "corrected.json").write_text("{ cut", encoding="utf-8")
    assert main(["corpus", str(path)]) == 2
    err = capsys.readouterr().err
    assert "corrected.json: cannot read the corrected version of 'meeting-01'" in err
    assert main(["corpus", str(path), "--version", "automatic"]) == 0


def test_a_store_without_done_recordings_has_no_statistics(tmp_path: Path, capsys) -> None:
    """A store whose every recording failed (or that is empty) reports that, not a traceback."""
    path = tmp_path / "store"
    with Store.open(path, create=True) as store:
        store.queue("broken", path="/corpus/broken.wav", kind="audio", sha256=None)
        store.mark_failed("broken", "broken.wav: file is empty (0 bytes)")
    assert main(["corpus", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: 1 recording(s), 0 done, 1 failed, 0 pending\n")
    assert "no done recordings: nothing to pool" in out
    assert main(["corpus", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["done"], data["speakers"], data["matrix"]["cells"]) == (0, [], [])
    assert data["failures"] == [{"uri": "broken", "error": "broken.wav: file is empty (0 bytes)"}]
    empty = tmp_path / "empty"
    Store.open(empty, create=True).close()
    assert open_corpus(empty).statistics().speakers.units == ()


def test_a_metadata_column_named_floor_is_a_way_to_group(tmp_path: Path) -> None:
    """The statistics' own working columns do not take a metadata column's name."""
    path = tmp_path / "store"
    with Store.open(path, create=True) as store:
        for i in range(2):
            p = plant_poisson_conversation(groups=GENDER, rates_per_min=RATES,
                                           duration_s=120.0, seed=7 + i)
            _commit(store, f"m{i}", analyze_timeline(p.timeline),
                    metadata=[("floor", f"level-{i}"), ("speaker_label", "x")])
    stats = open_corpus(path).statistics(by="floor")
    assert [u.label for u in stats.breakdowns[0].units] in (["level-0", "level-1"],
                                                             ["level-1", "level-0"])
    assert sum(u.floor_time_s for u in stats.breakdowns[0].units) == pytest.approx(
        sum(u.floor_time_s for u in stats.speakers.units))


def test_a_review_behind_its_automatic_analysis_is_made_again(tmp_path: Path) -> None:
    """A batch rerun with new thresholds re-derives a reviewed recording's automatic
    analysis: the corpus counts its review made again on the new analysis (the log's edits
    applied to it), not the version written before."""
    from talkover.config import EventConfig
    from talkover.review.edits import EventRef, SetVerdict
    from talkover.review.session import Review

    path = tmp_path / "store"
    planted = _planted_store(path, 2, duration_s=600.0)
    p, analysis = planted[1]
    folder = path / "reviews" / "meeting-01"
    review = Review(analysis, folder)
    first = next(e for e in analysis.events if e.type == "interruption")
    review.apply(SetVerdict(EventRef.of_event(first), "rejected"))
    review.save()
    before = open_corpus(path).frames()["events"]

    names = dict(zip(p.timeline.speakers, NAMES.split(","), strict=True))
    cast = Cast.from_names(",".join(names[s] for s in p.timeline.speakers))
    rerun = analyze_timeline(p.timeline, cast=cast, config=EventConfig(min_pause_s=1.0,
                                                                 grace_s=1.0))
    with Store.open(path) as store:
        store.queue("meeting-01", path="/corpus/meeting-01.rttm", kind="annotation",
                    sha256="0" * 64, metadata=[("site", "north")])
        store.commit("meeting-01", CommittedResult(format_json(rerun), "d", "e2", False,
                                                   rerun.duration_s))
    expected = Review(rerun, folder).result.corrected  # the log's edits on the new analysis
    after = open_corpus(path).frames()["events"]
    mine = after[after.uri == "meeting-01"]

    def kinds(frame) -> list:
        return sorted(zip(frame.type, frame.start_s, strict=True))

    assert kinds(mine) == sorted((e.type, e.start_s) for e in expected.events)
    assert kinds(mine) != kinds(before[before.uri == "meeting-01"])  # not the version on disk
    assert (first.type, first.start_s) not in kinds(mine)
