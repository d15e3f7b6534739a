"""``talkover eval --ref DIR --hyp DIR_OR_STORE``: files paired by uri, pooled components."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talkover import read_rttm
from talkover.cli import main
from talkover.evaluation import EvaluationResult, evaluate
from talkover.formats.rttm import write_rttm
from talkover.timeline import Segment, SpeakerTimeline
from tests.batch.conversations import write_conversations


def _shifted(path: Path, out: Path, shift_s: float) -> None:
    """A hypothesis: every segment late by ``shift_s``, speakers renamed."""
    timeline = read_rttm(path)
    segments = tuple(Segment(s.start_s + shift_s, s.end_s + shift_s, f"spk_{s.speaker}")
                     for s in timeline)
    write_rttm(SpeakerTimeline(segments, uri=timeline.uri), out)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    refs = write_conversations(tmp_path / "ref", 4)
    (tmp_path / "hyp").mkdir()
    for i, path in enumerate(refs[:3]):  # the fourth has no hypothesis
        _shifted(path, tmp_path / "hyp" / path.name, 0.1 * (i + 1))
    return tmp_path / "ref", tmp_path / "hyp", refs


def _floats(value) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def test_pooled_scores_sum_the_components_of_every_file(corpus, capsys) -> None:
    ref, hyp, refs = corpus
    assert main(["eval", "--ref", str(ref), "--hyp", str(hyp), "--json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [f["uri"] for f in data["files"]] == ["conv_000", "conv_001", "conv_002"]
    assert data["missing_hypothesis"] == ["conv_003"]
    assert "talkover: no hypothesis for conv_003" in err
    results = [evaluate(read_rttm(p), read_rttm(hyp / p.name)) for p in refs[:3]]
    pooled = EvaluationResult.pooled(results)
    assert data["pooled"]["num_files"] == 3
    assert data["pooled"]["der"] == pytest.approx(pooled.diarization.der, abs=1e-6)
    mean_der = sum(r.diarization.der for r in results) / 3
    assert data["pooled"]["der"] != pytest.approx(mean_der, abs=1e-6)  # not a mean of rates
    assert data["pooled"]["events"]["interruption"]["hits"] == sum(
        r.events["interruption"].hits for r in results)
    assert all(f == round(f, 6) for f in _floats(data))


def test_text_report_lists_files_pooled_and_missing(corpus, capsys) -> None:
    ref, hyp, _ = corpus
    assert main(["eval", "--ref", str(ref), "--hyp", str(hyp)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["uri", "DER", "%", "ovl", "P", "%", "ovl", "R", "%",
                                           "events", "macro", "F1", "%"]
    assert "pooled over 3 file(s) (components summed):" in out
    assert "not scored: conv_003: no hypothesis" in out


def test_a_store_is_a_hypothesis(corpus, tmp_path: Path, capsys) -> None:
    ref, _, _ = corpus
    assert main(["batch", str(ref), "--store", str(tmp_path / "store"), "-q"]) == 0
    capsys.readouterr()
    assert main(["eval", "--ref", str(ref), "--hyp", str(tmp_path / "store"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pooled"]["num_files"] == 4 and data["pooled"]["der"] == 0.0
    assert data["pooled"]["event_macro_f1"] == 1.0


def test_a_file_and_a_folder_do_not_mix(corpus, capsys) -> None:
    ref, hyp, refs = corpus
    assert main(["eval", "--ref", str(ref), "--hyp", str(hyp / refs[0].name)]) == 2
    assert "--ref is a folder (a corpus), so --hyp must be a folder" in capsys.readouterr().err


def test_two_references_for_one_uri_are_refused(corpus, capsys) -> None:
    ref, hyp, refs = corpus
    (ref / "again").mkdir()
    (ref / "again" / refs[0].name).write_text(refs[0].read_text())
    assert main(["eval", "--ref", str(ref), "--hyp", str(hyp)]) == 2
    assert "two files for recording 'conv_000'" in capsys.readouterr().err


def test_a_store_pairs_references_named_after_its_files(tmp_path: Path, capsys) -> None:
    """``Meeting 1 (Paris).wav`` is the store's ``Meeting_1_Paris``; its reference keeps the
    file's name. A recording that failed in the store is named with its error."""
    refs = write_conversations(tmp_path / "conv", 2)
    (tmp_path / "ref").mkdir()
    (tmp_path / "in").mkdir()
    for name, path in (("Meeting 1 (Paris)", refs[0]), ("broken", refs[1])):
        (tmp_path / "ref" / f"{name}.rttm").write_text(path.read_text())
    (tmp_path / "in" / "Meeting 1 (Paris).rttm").write_text(refs[0].read_text())
    (tmp_path / "in" / "broken.rttm").write_text("SPEAKER only three fields\n")
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "-q"]) == 1
    capsys.readouterr()
    assert main(["eval", "--ref", str(tmp_path / "ref"), "--hyp", str(tmp_path / "store"),
                 "--json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [f["uri"] for f in data["files"]] == ["Meeting 1 (Paris)"]
    assert data["files"][0]["der"] == 0.0
    assert data["missing_hypothesis"] == ["broken"] and data["missing_reference"] == []
    assert f"talkover: no hypothesis for broken (in {tmp_path / 'store'}: failed: " in err
