"""Names and groups: the cast, the --groups syntax and the speakers.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover import ConfigError, FormatError, SpeakerTimeline, analyze_timeline
from talkover.cast import Cast, load_cast, parse_group_spec


def test_names_follow_order_of_first_speech() -> None:
    labels = Cast.from_names("Diane, Sheila").resolve(["SPEAKER_01", "SPEAKER_00"])
    assert [(lb.speaker, lb.name) for lb in labels] == [
        ("SPEAKER_01", "Diane"), ("SPEAKER_00", "Sheila")
    ]


def test_name_count_mismatch_names_both_counts_and_ids() -> None:
    with pytest.raises(ConfigError) as err:
        Cast.from_names("Diane,Sheila,Bob").resolve(["A", "B"])
    msg = str(err.value)
    assert "3 speaker name(s) given (Diane, Sheila, Bob)" in msg
    assert "2 speaker(s) found (A, B" in msg


@pytest.mark.parametrize("text", ["", "Diane,,Bob", "Diane,Diane"])
def test_bad_name_lists(text: str) -> None:
    with pytest.raises(ConfigError, match="--speakers"):
        Cast.from_names(text)


def test_group_spec_default_and_named_attribute() -> None:
    assert [(a.attribute, a.speaker, a.value) for a in parse_group_spec("Diane=woman,B=man")] == [
        ("group", "Diane", "woman"), ("group", "B", "man")
    ]
    (one,) = parse_group_spec("role:Diane=host")
    assert (one.attribute, one.speaker, one.value) == ("role", "Diane", "host")


@pytest.mark.parametrize("spec", ["Diane", "gender:Diane=", "gender:=woman", "bad attr:A=x"])
def test_malformed_group_spec(spec: str) -> None:
    with pytest.raises(ConfigError, match="--groups"):
        parse_group_spec(spec)


def test_several_attributes_by_name_or_id() -> None:
    cast = Cast.from_names("Diane,Bob").with_groups(
        ["gender:Diane=woman,Bob=man", "role:A=host,Bob=guest"]
    )
    labels = cast.resolve(["A", "B"])
    assert labels[0].groups == (("gender", "woman"), ("role", "host"))
    assert labels[1].groups == (("gender", "man"), ("role", "guest"))
    assert cast.attributes == ("gender", "role")


def test_mistyped_group_name_lists_valid_names() -> None:
    cast = Cast.from_names("Diane,Bob").with_groups(["gender:Dianne=woman"])
    with pytest.raises(ConfigError) as err:
        cast.resolve(["A", "B"])
    assert "unknown speaker 'Dianne'" in str(err.value)
    assert "valid names: Diane (A), Bob (B)" in str(err.value)


def test_toml_ids_groups_and_voice(tmp_path: Path) -> None:
    toml = tmp_path / "speakers.toml"
    toml.write_text(
        '[[speaker]]\nname = "Sheila"\nid = "B"\ngroups = {gender = "woman", role = "guest"}\n'
        'voice = "sheila.wav"\n\n[[speaker]]\nname = "Diane"\ngroups = {gender = "woman"}\n'
        '\n[[speaker]]\nname = "Bob"\n',
        encoding="utf-8",
    )
    cast = load_cast(toml)
    assert cast.members[0].voice == str(tmp_path / "sheila.wav")
    labels = cast.resolve(["A", "B", "C"])
    assert [(lb.speaker, lb.name, lb.groups) for lb in labels] == [
        ("A", "Diane", (("gender", "woman"),)),
        ("B", "Sheila", (("gender", "woman"), ("role", "guest"))),
        ("C", "Bob", ()),
    ]


def test_toml_flags_override_toml_groups(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('[[speaker]]\nname = "Ann"\ngroups = {role = "host"}\n', encoding="utf-8")
    (label,) = load_cast(toml).with_groups(["role:Ann=guest"]).resolve(["X"])
    assert label.groups == (("role", "guest"),)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[speaker]]\nname = "A"\nidd = "x"\n', "unknown key(s) idd"),
        ('[[speaker]]\nid = "x"\n', "expected a table with a name string"),
        ('[[speaker]]\nname = "A"\ngroups = {gender = 3}\n', "groups must be a table of strings"),
        ('[[speaker]]\nname = "A"\n\n[[speaker]]\nname = "A"\n', "name(s) given twice: A"),
        ("title = 1\n", "expected one or more [[speaker]] tables"),
        ('[[speaker]\nname = "A"\n', "not valid TOML"),
    ],
)
def test_toml_errors_name_the_file(tmp_path: Path, body: str, expected: str) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text(body, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        load_cast(toml)
    assert str(err.value).startswith(str(toml))
    assert expected in str(err.value)


def test_unknown_toml_id_lists_ids_found(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('[[speaker]]\nname = "Ann"\nid = "SPEAKER_09"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="SPEAKER_09 not in the recording; ids found: A, B"):
        load_cast(toml).resolve(["A", "B"])


def test_names_reach_speaker_stats() -> None:
    tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])
    analysis = analyze_timeline(tl, cast=Cast.from_names("Diane,Sheila"))
    assert [(s.speaker, s.name) for s in analysis.speakers] == [("A", "Diane"), ("B", "Sheila")]
    assert analysis.groups == ()
