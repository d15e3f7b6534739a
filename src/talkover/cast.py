"""Who is who: speaker names and group attributes, from flags or a ``speakers.toml``.

A :class:`Cast` lists the people of a recording. It is resolved against the speaker ids a
timeline actually holds (diarized ``SPEAKER_00`` or annotated ``A``), giving one
:class:`SpeakerLabel` per id: a name (or none) and the speaker's group attributes.

* ``--speakers "Diane,Sheila"`` names the speakers in order of first speech; the number of names
  must equal the number of speakers.
* ``speakers.toml`` holds ``[[speaker]]`` tables::

      [[speaker]]
      name = "Diane"
      id = "SPEAKER_01"                       # optional: match this id instead of the order
      groups = {gender = "woman", role = "host"}
      voice = "diane.wav"                     # optional: for voice enrollment

  Members with an ``id`` are matched by id; members without one name the remaining speakers in
  order of first speech (their number must then equal the number of remaining speakers).
* ``--groups "Diane=woman,Sheila=woman"`` sets the attribute ``group``;
  ``--groups "gender:Diane=woman,Bob=man"`` sets ``gender``. The flag repeats, one attribute
  each. Speakers are named by name or by id. Flags override the toml.

Groups are what the user says they are: talkover never infers gender (or anything else) from
a voice.

>>> cast = Cast.from_names("Diane, Sheila").with_groups(["gender:Diane=woman,Sheila=woman"])
>>> [(l.speaker, l.name, l.groups) for l in cast.resolve(["B", "A"])]
[('B', 'Diane', (('gender', 'woman'),)), ('A', 'Sheila', (('gender', 'woman'),))]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from talkover.errors import ConfigError, FormatError
from talkover.files import read_toml
from talkover.voices import VoiceMatch

__all__ = [
    "CastMember",
    "Cast",
    "SpeakerLabel",
    "GroupAssignment",
    "parse_group_spec",
    "load_cast",
    "build_cast",
    "DEFAULT_ATTRIBUTE",
    "repeated",
]

#: The attribute a ``--groups`` value without ``ATTR:`` sets.
DEFAULT_ATTRIBUTE = "group"
_ATTRIBUTE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True, slots=True)
class CastMember:
    """One person: ``name``; ``id`` to match a diarized/annotated id (``None``: by order);
    ``groups`` as sorted ``(attribute, value)`` pairs; ``voice`` a clip path for enrollment."""

    name: str
    id: str | None = None
    groups: tuple[tuple[str, str], ...] = ()
    voice: str | None = None


@dataclass(frozen=True, slots=True)
class GroupAssignment:
    """``speaker`` (a name or an id) has ``value`` for ``attribute``."""

    attribute: str
    speaker: str
    value: str


@dataclass(frozen=True, slots=True)
class SpeakerLabel:
    """What the cast says about one speaker id: a name (``None``: unnamed) and its groups."""

    speaker: str
    name: str | None
    groups: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """Deprecated name of :attr:`speaker` (kept for one release)."""
        return self.speaker


@dataclass(frozen=True, slots=True)
class Cast:
    """The people of a recording, the group assignments given by flags, and the voice
    matches that tied enrolled members to speaker ids (:mod:`talkover.voices`)."""

    members: tuple[CastMember, ...] = ()
    assignments: tuple[GroupAssignment, ...] = ()
    voice_matches: tuple[VoiceMatch, ...] = ()

    def with_voice_matches(
        self, matches: Sequence[VoiceMatch], *, enrolled: Iterable[str]
    ) -> Cast:
        """A copy where each matched name gets its speaker's id.

        Members among ``enrolled`` (names with a voice profile) that matched no speaker are
        left out (their speakers keep their ids); matched names not yet members are added.
        """
        named = {m.name: m.speaker for m in matches if m.name is not None}
        enrolled = set(enrolled)
        members = []
        for member in self.members:
            if member.name in named:
                members.append(replace(member, id=named.pop(member.name)))
            elif member.id is not None or member.name not in enrolled:
                members.append(member)
        members += [CastMember(name, id=sid) for name, sid in named.items()]
        return replace(self, members=tuple(members), voice_matches=tuple(matches))

    @classmethod
    def from_names(cls, text: str) -> Cast:
        """Members named by a comma-separated list, in order of first speech."""
        names = [n.strip() for n in text.split(",")]
        if not names or any(not n for n in names):
            raise ConfigError(f"--speakers: expected comma-separated names, got {text!r}")
        _check_unique(names, "--speakers")
        return cls(tuple(CastMember(n) for n in names))

    def with_groups(self, specs: Iterable[str]) -> Cast:
        """A copy with the assignments of ``--groups`` values appended (see the module doc)."""
        added = tuple(a for spec in specs for a in parse_group_spec(spec))
        return replace(self, assignments=self.assignments + added)

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every group attribute the cast mentions, sorted."""
        names = {a for m in self.members for a, _ in m.groups}
        return tuple(sorted(names | {a.attribute for a in self.assignments}))

    def resolve(self, speaker_ids: Sequence[str]) -> tuple[SpeakerLabel, ...]:
        """One label per id of ``speaker_ids`` (in order of first speech).

        Raises
        ------
        ConfigError
            The names do not match the speakers found (the message gives both counts and the
            ids), an ``id`` is not in the recording, or a ``--groups`` name is unknown (the
            message lists the valid names).
        """
        names = self._names(speaker_ids)
        groups = {sid: dict(self._member_groups(names.get(sid))) for sid in speaker_ids}
        lookup = {**{sid: sid for sid in speaker_ids}, **{n: sid for sid, n in names.items()}}
        for a in self.assignments:
            if a.speaker not in lookup:
                valid = ", ".join(_valid_names(speaker_ids, names))
                raise ConfigError(
                    f"--groups: unknown speaker {a.speaker!r} (in {a.attribute}:"
                    f"{a.speaker}={a.value}); valid names: {valid}"
                )
            groups[lookup[a.speaker]][a.attribute] = a.value
        return tuple(
            SpeakerLabel(sid, names.get(sid), tuple(sorted(groups[sid].items())))
            for sid in speaker_ids
        )

    def _names(self, speaker_ids: Sequence[str]) -> dict[str, str]:
        by_id = {m.id: m.name for m in self.members if m.id is not None}
        missing = [i for i in by_id if i not in speaker_ids]
        if missing:
            raise ConfigError(
                f"speaker id(s) {', '.join(missing)} not in the recording; "
                f"ids found: {', '.join(speaker_ids) or 'none'}"
            )
        rest = [sid for sid in speaker_ids if sid not in by_id]
        ordered = [m.name for m in self.members if m.id is None]
        if ordered and len(ordered) != len(rest):
            raise ConfigError(
                f"{len(ordered)} speaker name(s) given ({', '.join(ordered)}) but "
                f"{len(rest)} speaker(s) found ({', '.join(rest) or 'none'}, in order of first "
                "speech); give one name per speaker"
            )
        return {**by_id, **dict(zip(rest, ordered, strict=False))}

    def _member_groups(self, name: str | None) -> tuple[tuple[str, str], ...]:
        for member in self.members:
            if member.name == name:
                return member.groups
        return ()


def _valid_names(speaker_ids: Sequence[str], names: Mapping[str, str]) -> list[str]:
    return [f"{names[sid]} ({sid})" if sid in names else sid for sid in speaker_ids]


def repeated(names: Iterable[str]) -> list[str]:
    """The names given more than once, sorted.

    >>> repeated(["Ann", "Bo", "Ann"])
    ['Ann']
    """
    return sorted(n for n, count in Counter(names).items() if count > 1)


def _check_unique(names: Sequence[str], where: str) -> None:
    if twice := repeated(names):
        raise ConfigError(f"{where}: name(s) given twice: {', '.join(twice)}")


def parse_group_spec(spec: str) -> tuple[GroupAssignment, ...]:
    """Parse ``[ATTR:]NAME=VALUE,NAME=VALUE`` (``ATTR`` defaults to ``group``).

    >>> [(a.attribute, a.speaker, a.value) for a in parse_group_spec("role:Ann=host, Bo=guest")]
    [('role', 'Ann', 'host'), ('role', 'Bo', 'guest')]
    """
    attribute, body = DEFAULT_ATTRIBUTE, spec
    head, sep, tail = spec.partition(":")
    if sep and "=" not in head:
        attribute, body = head.strip(), tail
    if not _ATTRIBUTE.match(attribute):
        raise ConfigError(f"--groups: bad attribute name {attribute!r} in {spec!r}")
    out = []
    for item in body.split(","):
        name, eq, value = (p.strip() for p in item.partition("="))
        if not eq or not name or not value:
            raise ConfigError(
                f"--groups: expected [ATTR:]NAME=VALUE,NAME=VALUE, got {item.strip()!r} in {spec!r}"
            )
        out.append(GroupAssignment(attribute, name, value))
    _check_unique([a.speaker for a in out], f"--groups {spec!r}")
    return tuple(out)


def build_cast(
    *, speakers: str | None = None, cast: str | Path | None = None, groups: Sequence[str] = ()
) -> Cast | None:
    """The cast that ``--speakers`` names or the ``--cast`` file holds, with the ``--groups``
    assignments; ``None`` when none is given.

    Raises
    ------
    ConfigError
        Both ``speakers`` and ``cast`` are given, or a name or group spec is invalid.
    FormatError
        The cast file cannot be read (see :func:`load_cast`).

    >>> [l.groups for l in build_cast(speakers="Ann,Bob", groups=["Ann=chair"]).resolve("AB")]
    [(('group', 'chair'),), ()]
    >>> build_cast() is None
    True
    """
    if speakers and cast:
        raise ConfigError("give either --speakers or --cast, not both")
    found = None
    if cast:
        found = load_cast(cast)
    elif speakers is not None:
        found = Cast.from_names(speakers)
    if groups:
        found = (found or Cast()).with_groups(groups)
    return found


def load_cast(path: str | Path) -> Cast:
    """Read a ``speakers.toml`` (``[[speaker]]`` tables with ``name``, ``id``, ``groups``,
    ``voice``; a relative ``voice`` is taken relative to the toml's folder).

    Raises
    ------
    FormatError
        The file cannot be read or is not TOML (:func:`talkover.files.read_toml`), or its
        tables are not ``[[speaker]]`` tables as above (``path: what is wrong``).
    """
    rows = read_toml(path).get("speaker")
    if not isinstance(rows, list) or not rows:
        raise FormatError(path, "expected one or more [[speaker]] tables")
    members = tuple(_member(path, i, row) for i, row in enumerate(rows))
    for key, values in (("name", [m.name for m in members]), ("id", [m.id for m in members])):
        twice = sorted({v for v in values if v is not None and values.count(v) > 1})
        if twice:
            raise FormatError(path, f"[[speaker]] {key}(s) given twice: {', '.join(twice)}")
    return Cast(members)


def _member(path: str | Path, index: int, row: object) -> CastMember:
    where = f"[[speaker]] #{index + 1}"
    allowed = {"name", "id", "groups", "voice"}
    if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"]:
        raise FormatError(path, f"{where}: expected a table with a name string")
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise FormatError(
            path,
            f"{where}: unknown key(s) {', '.join(unknown)}; valid: {', '.join(sorted(allowed))}",
        )
    for key in ("id", "voice"):
        if key in row and not isinstance(row[key], str):
            raise FormatError(path, f"{where}: {key} must be a string, got {row[key]!r}")
    groups = row.get("groups", {})
    if not isinstance(groups, dict) or not all(
        isinstance(v, str) and _ATTRIBUTE.match(k) for k, v in groups.items()
    ):
        raise FormatError(path, f"{where}: groups must be a table of strings, got {groups!r}")
    voice = row.get("voice")
    if voice is not None and not Path(voice).is_absolute():
        voice = str(Path(path).parent / voice)
    return CastMember(row["name"], row.get("id"), tuple(sorted(groups.items())), voice)
