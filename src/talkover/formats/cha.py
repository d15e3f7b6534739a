"""CHAT (``.cha``, TalkBank / CLAN): time-aligned transcripts.

Reading: each main tier ``*CODE:<tab>utterance •start_end•`` with a time bullet (milliseconds)
is a segment of speaker ``CODE`` (or, with ``speaker_names="name"``, the participant's name from
``@Participants`` where one is given). The text is the utterance with CHAT codes removed (``[...]``
scopes, ``&=`` events, ``@s`` markers, pauses, ``xxx``); the terminator becomes final punctuation
(``.``, ``?``, ``!``; ``+...`` and ``+//.`` as ``...``; the interrupted ``+/.`` and ``+/?`` none).
Overlap markers (``[<]``, ``[>]``, numbered ones, ``+<``) and the ``+`` codes (``+/.``, ``+//.``,
``+/?``, ``+...``, ``+,``...) are kept in ``Segment.annotations``. Untimed utterances are skipped
(with a warning); a transcript with none timed is an error. Dependent tiers (``%mor``...) are
skipped. Lines are checked one by one, so that errors name their line.

The writer (``-o result.cha``) is :mod:`talkover.export.cha`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

from talkover.errors import FormatError
from talkover.formats.stamp import stamps
from talkover.formats.text import read_text_lines
from talkover.formats.times import check_span, timeline_of
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_cha", "clean_utterance"]

_log = logging.getLogger(__name__)
_MAIN = re.compile(r"^\*(?P<code>[^:\s]+):\s(?P<rest>.*)$")
_BULLET = re.compile(r"\x15(\d+)_(\d+)\x15")
_OVERLAP = re.compile(r"\[[<>]\d*\]")
_PLUS = re.compile(r"(?:(?<=\s)|^)\+[/.?!\"<,+^=]+")
_TERMINATORS = {"+/.": "", "+/?": "", "+//.": "...", "+//?": "?", "+...": "...", "+..?": "?",
                "+!?": "?!", '+"/.': ".", '+".': ".", ".": ".", "?": "?", "!": "!"}
_CODE = re.compile(r"^[A-Z0-9]{1,7}$")
_UNKNOWN_WORDS = {"xxx", "yyy", "www", "0"}


def clean_utterance(utterance: str) -> tuple[str | None, tuple[str, ...]]:
    """The plain text of a CHAT utterance and the codes kept as annotations.

    >>> clean_utterance("that's the &-uh [>] +/.")
    ("that's the uh", ('[>]', '+/.'))
    >>> clean_utterance("<what's> [<] that ?")
    ("what's that?", ('[<]',))
    """
    body = _BULLET.sub(" ", utterance)
    annotations = _OVERLAP.findall(body) + _PLUS.findall(body)
    ending = ""
    words = []
    for token in _PLUS.sub(" ", re.sub(r"\[[^\]]*\]", " ", body)).split():
        if token in _TERMINATORS:
            ending = _TERMINATORS[token]
            continue
        token = token.replace("<", "").replace(">", "").replace("„", "").replace("‡", "")
        if token.startswith("&=") or re.fullmatch(r"\(\.+\)", token) or token.startswith("&*"):
            continue
        token = re.sub(r"^&[-+]", "", token)
        token = re.sub(r"@\S*$", "", token).replace("(", "").replace(")", "").replace(":", "")
        if token and token.lower() not in _UNKNOWN_WORDS:
            words.append(token)
    for code in annotations:
        if code in _TERMINATORS:
            ending = _TERMINATORS[code]
    if not words:
        return None, tuple(annotations)
    return re.sub(r" ([,;])", r"\1", " ".join(words)) + ending, tuple(annotations)


def _logical_lines(path: Path) -> list[tuple[int, str]]:
    """Lines with tab-started continuation lines joined to the tier they continue."""
    out: list[tuple[int, str]] = []
    for number, line in read_text_lines(path):
        if line.startswith("\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
        elif line.strip():
            out.append((number, line))
    return out


def _participants(value: str) -> dict[str, str | None]:
    """``{code: name or None}`` from @Participants ("CHI Ross Target_Child, MOT Mother")."""
    people: dict[str, str | None] = {}
    for entry in value.split(","):
        parts = entry.split()
        if parts:
            people[parts[0]] = parts[1] if len(parts) >= 3 else None
    return people


@stamps('cha')
def read_cha(
    path: str | Path, *, speaker_names: Literal["code", "name"] = "code"
) -> SpeakerTimeline:
    """The speaker timeline of a time-aligned CHAT transcript.

    Raises
    ------
    FormatError
        A line that is no header, tier or continuation, an undeclared speaker, a malformed or
        backwards bullet (``path:line: expected ...``), or no time bullets at all.
    """
    path = Path(path)
    people: dict[str, str | None] = {}
    segments: list[Segment] = []
    untimed = 0
    for number, line in _logical_lines(path):
        if line.startswith("@"):
            if line.startswith("@Participants:"):
                people = _participants(line.split(":", 1)[1])
            continue
        if line.startswith("%"):
            if not re.match(r"^%[^:\s]+:", line):
                raise FormatError(path, 'expected a dependent tier "%tier:<tab>..."', line=number)
            continue
        match = _MAIN.match(line)
        if match is None:
            raise FormatError(path, 'expected a header "@...", a main tier "*CODE:<tab>utterance" '
                              f'or a dependent tier "%tier:<tab>...", got {line[:40]!r}',
                              line=number)
        code, rest = match["code"], match["rest"]
        if people and code not in people:
            raise FormatError(path, f"expected a speaker declared in @Participants "
                              f"({', '.join(people)}), got {code!r}", line=number)
        bullets = _BULLET.findall(rest)
        if rest.count("\x15") != 2 * len(bullets):
            raise FormatError(path, "expected a time bullet \\x15start_end\\x15 in milliseconds",
                              line=number)
        if not bullets:
            untimed += 1
            continue
        if any(len(ms) > 12 for bullet in bullets for ms in bullet):
            raise FormatError(path, "expected a time bullet of at most 12 digits (ms)",
                              line=number)
        start_ms, end_ms = int(bullets[0][0]), int(bullets[-1][1])
        if end_ms < start_ms:
            raise FormatError(path, f"expected a bullet with start <= end, got {start_ms}_{end_ms}",
                              line=number)
        start, end = check_span(path, start_ms / 1000.0, end_ms / 1000.0, line=number)
        text, annotations = clean_utterance(rest)
        name = people.get(code) if speaker_names == "name" else None
        segments.append(Segment(start, end, name or code, text, (), annotations))
    if untimed and not segments:
        raise FormatError(path, "expected time bullets (\\x15start_end\\x15, ms) on utterances; "
                          "this transcript is not time-aligned")
    if untimed:
        _log.warning("%s: skipped %d utterance(s) without a time bullet", path, untimed)
    return timeline_of(path, segments)
