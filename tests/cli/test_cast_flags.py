"""``analyze --speakers/--cast/--groups/--sensitivity`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talkover.cli import main
from talkover.formats.rttm import write_rttm
from talkover.testing.poisson_conversation import plant_poisson_conversation

GROUPS = {"W1": "woman", "W2": "woman", "M1": "man", "M2": "man"}
NAMES = {"W1": "Wendy", "W2": "Wilma", "M1": "Mo", "M2": "Max"}


@pytest.fixture(scope="module")
def rttm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    planted = plant_poisson_conversation(
        groups=GROUPS, rates_per_min={("man", "woman"): 3.0, ("woman", "man"): 0.5},
        duration_s=1800.0, seed=5,
    )
    path = tmp_path_factory.mktemp("cast") / "meeting.rttm"
    write_rttm(planted.timeline, path)
    return path


@pytest.fixture(scope="module")
def order(rttm: Path) -> list[str]:
    """Speaker ids in order of first speech."""
    from talkover.formats import read_annotation

    return list(read_annotation(rttm).speakers)


def names_in(order: list[str]) -> str:
    return ",".join(NAMES[i] for i in order)


def strict_json(text: str) -> dict:
    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")
    return json.loads(text, parse_constant=refuse)


def test_names_groups_and_sensitivity_in_json(rttm: Path, order: list[str], capsys) -> None:
    args = ["analyze", str(rttm), "--json", "--speakers", names_in(order),
            "--groups", "gender:W1=woman,Wilma=woman,Mo=man,Max=man",
            "--groups", "role:Wendy=host,Mo=guest,Wilma=guest,Max=guest", "--sensitivity"]
    assert main(args) == 0
    doc = strict_json(capsys.readouterr().out)
    assert [s["id"] for s in doc["speakers"]] == order
    assert [s["name"] for s in doc["speakers"]] == [NAMES[i] for i in order]
    wendy = next(s for s in doc["speakers"] if s["id"] == "W1")
    assert wendy["groups"] == {"gender": "woman", "role": "host"}
    assert set(doc["groups"]) == {"gender", "role"}
    gender = doc["groups"]["gender"]
    assert {g["value"] for g in gender["groups"]} == {"woman", "man"}
    received = next(c for c in gender["contrasts"]
                    if (c["kind"], c["event_type"]) == ("received", "interruption"))
    assert received["conclusive"] and received["p_value"] < 0.05
    women_first = received["a"] == "woman"
    assert (received["ci_low"] > 1) if women_first else (received["ci_high"] < 1)
    assert received["exposure_a_s"] == gender["groups"][0]["floor_time_s"]
    assert len(doc["sensitivity"]["headlines"]) >= 12 and doc["sensitivity"]["configs"] == 27
    assert doc["events"] and doc["matrix"]  # the existing contract is still there


def test_without_flags_the_new_sections_are_empty(rttm: Path, capsys) -> None:
    assert main(["analyze", str(rttm), "--json"]) == 0
    doc = strict_json(capsys.readouterr().out)
    assert doc["groups"] == {} and doc["sensitivity"] is None
    assert all(s["name"] is None and s["groups"] == {} for s in doc["speakers"])


def test_text_summary_names_and_verdicts(rttm: Path, order: list[str], capsys) -> None:
    assert main(["analyze", str(rttm), "--speakers", names_in(order),
                 "--groups", "Wendy=w,Wilma=w,Mo=m,Max=m"]) == 0
    out = capsys.readouterr().out
    assert "interrupted Wendy" in out and "groups by group:" in out
    assert ("group=w more" in out or "group=m less" in out) and "95% CI" in out


def test_cast_toml(rttm: Path, tmp_path: Path, capsys) -> None:
    toml = tmp_path / "speakers.toml"
    toml.write_text(
        "".join(f'[[speaker]]\nname = "{n}"\nid = "{i}"\ngroups = {{gender = "{g}"}}\n\n'
                for n, i, g in [("Ann", "W1", "woman"), ("Bea", "W2", "woman"),
                                ("Cy", "M1", "man"), ("Dan", "M2", "man")]),
        encoding="utf-8",
    )
    assert main(["analyze", str(rttm), "--json", "--cast", str(toml)]) == 0
    doc = strict_json(capsys.readouterr().out)
    assert {s["id"]: s["name"] for s in doc["speakers"]} == {
        "W1": "Ann", "W2": "Bea", "M1": "Cy", "M2": "Dan"}
    assert "gender" in doc["groups"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--speakers", "Ann,Bea"],
         "2 speaker name(s) given (Ann, Bea) but 4 speaker(s) found ({ids}, in order"),
        (["--speakers", "Ann,Bea,Cy,Dan", "--groups", "Ana=woman"],
         "unknown speaker 'Ana' (in group:Ana=woman); valid names: Ann ({first})"),
        (["--groups", "gender:W1=woman,W9=man"], "valid names: {ids}"),
        (["--groups", "gender:W1"], "expected [ATTR:]NAME=VALUE,NAME=VALUE"),
        (["--speakers", "A,B,C,D", "--cast", "x.toml"], "either --speakers or --cast"),
        (["--cast", "missing.toml"], "missing.toml: no such file"),
    ],
)
def test_usage_errors_exit_2(
    rttm: Path, order: list[str], capsys, flags: list[str], expected: str
) -> None:
    assert main(["analyze", str(rttm), *flags]) == 2
    assert expected.format(ids=", ".join(order), first=order[0]) in capsys.readouterr().err


def test_a_single_group_says_there_is_nothing_to_compare(rttm: Path, capsys) -> None:
    assert main(["analyze", str(rttm), "--groups", "team:W1=x,W2=x,M1=x,M2=x"]) == 0
    assert "only one team given: no groups to compare." in capsys.readouterr().out


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


@pytest.fixture
def diarizers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every Diarizer made from here on (the real ``__init__`` still runs)."""
    from talkover.diarize.pipeline import Diarizer

    made: list[object] = []
    real_init = Diarizer.__init__

    def counted(self: Diarizer, *args: object, **kwargs: object) -> None:
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Diarizer, "__init__", counted)
    return made


@pytest.mark.parametrize(
    ("enroll", "expected"),
    [
        ("{tmp}/voices.npz", "{tmp}/voices.npz: no such file"),
        ("Ann={tmp}/ann.wav", "{tmp}/ann.wav: no such file"),
        ("Ann={tmp}", "{tmp}: is a directory, expected a file"),
    ],
)
def test_enroll_paths_are_checked_before_diarizing(
    tmp_path: Path, capsys, diarizers: list[object], enroll: str, expected: str
) -> None:
    assert main(["analyze", str(SAMPLE), "-q", "--enroll", enroll.format(tmp=tmp_path)]) == 2
    assert f"error: {expected.format(tmp=tmp_path)}\n" in capsys.readouterr().err
    assert diarizers == []


def test_cast_voice_paths_are_checked_before_diarizing(
    tmp_path: Path, capsys, diarizers: list[object]
) -> None:
    toml = tmp_path / "speakers.toml"
    toml.write_text('[[speaker]]\nname = "Ann"\nvoice = "ann.wav"\n', encoding="utf-8")
    assert main(["analyze", str(SAMPLE), "-q", "--cast", str(toml)]) == 2
    assert f"error: {tmp_path / 'ann.wav'}: no such file\n" in capsys.readouterr().err
    assert diarizers == []
