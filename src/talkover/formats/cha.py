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

Writing (``-o result.cha``): ``@UTF8``, ``@Begin``, ``@Languages: und``, ``@Participants`` and
``@ID`` headers, one main tier per segment with its bullet; an utterance another speaker
interrupted (interruption or silent interruption) ends in ``+/.``; the events a speaker starts
(all but switches) go on a ``%com:`` tier under their utterance (``interruption B>A``).
Speaker ids that are not
CHAT codes (up to 7 ASCII capitals and digits) get one (``Zoë`` -> ``ZOE``), the id kept as the
participant's name.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_left
from pathlib import Path
from typing import Literal

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.events.types import Event
from talkover.formats.text import read_text_lines
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_cha", "write_cha", "format_cha", "clean_utterance"]

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
        start_ms, end_ms = int(bullets[0][0]), int(bullets[-1][1])
        if end_ms < start_ms:
            raise FormatError(path, f"expected a bullet with start <= end, got {start_ms}_{end_ms}",
                              line=number)
        text, annotations = clean_utterance(rest)
        name = people.get(code) if speaker_names == "name" else None
        segments.append(
            Segment(start_ms / 1000.0, end_ms / 1000.0, name or code, text, (), annotations)
        )
    if untimed and not segments:
        raise FormatError(path, "expected time bullets (\\x15start_end\\x15, ms) on utterances; "
                          "this transcript is not time-aligned")
    if untimed:
        _log.warning("%s: skipped %d utterance(s) without a time bullet", path, untimed)
    return SpeakerTimeline(tuple(segments), uri=path.stem)


def chat_codes(speakers: tuple[str, ...]) -> dict[str, str]:
    """A CHAT speaker code for each speaker id (ids that are codes keep them).

    >>> chat_codes(("A", "Zoë", "SPEAKER_00", "SPEAKER_01"))
    {'A': 'A', 'Zoë': 'ZOE', 'SPEAKER_00': 'SPE', 'SPEAKER_01': 'SP1'}
    """
    codes: dict[str, str] = {}
    for speaker in speakers:
        if _CODE.match(speaker) and speaker not in codes.values():
            codes[speaker] = speaker
            continue
        ascii_id = unicodedata.normalize("NFKD", speaker).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9]", "", ascii_id).upper()[:3] or "SPK"
        code, n = base, 1
        while code in codes.values():
            code, n = f"{base[:2]}{n}", n + 1
        codes[speaker] = code
    return codes


def _interrupted(analysis: Analysis) -> set[Segment]:
    """The segments of ``of`` that an interruption or silent interruption cut off."""
    by_speaker: dict[str, list[Segment]] = {}
    for segment in analysis.timeline:  # sorted by start
        by_speaker.setdefault(segment.speaker, []).append(segment)
    starts = {speaker: [s.start_s for s in segs] for speaker, segs in by_speaker.items()}
    cut: set[Segment] = set()
    for event in analysis.events:
        if event.type in ("interruption", "silent_interruption") and event.of in by_speaker:
            i = bisect_left(starts[event.of], event.start_s)
            if i > 0:
                cut.add(by_speaker[event.of][i - 1])
    return cut


def _utterance(segment: Segment, cut_off: bool) -> str:
    text = re.sub(r"[\[\]<>\x15@&]", "", segment.text or "").strip()
    ending = "."
    found = re.search(r"\s*(\.\.\.|…|[.?!]+)$", text)
    if found:
        ending = {"...": "+...", "…": "+..."}.get(found.group(1), found.group(1)[-1])
        text = text[: found.start()].strip()
    if cut_off:
        ending = "+/."
    return f"{text or 'xxx'} {ending}"


def format_cha(analysis: Analysis) -> str:
    """CHAT text of an analysis."""
    timeline = analysis.timeline
    codes = chat_codes(timeline.speakers)
    people = ", ".join(
        f"{code} {speaker.replace(' ', '_')} Unidentified" if code != speaker
        else f"{code} Unidentified"
        for speaker, code in codes.items()
    )
    lines = ["@UTF8", "@Begin", "@Languages:\tund", f"@Participants:\t{people}"]
    lines += [f"@ID:\tund|talkover|{code}|||||Unidentified|||" for code in codes.values()]
    lines.append(f"@Media:\t{timeline.uri.replace(' ', '_')}, audio")
    cut = _interrupted(analysis)
    started: dict[tuple[str, float], list[Event]] = {}
    for event in analysis.events:  # an event starts at the onset of one of by's segments
        if event.type != "switch":
            started.setdefault((event.by, event.start_s), []).append(event)
    for segment in timeline:
        start_ms, end_ms = round(segment.start_s * 1000), round(segment.end_s * 1000)
        utterance = _utterance(segment, segment in cut)
        lines.append(f"*{codes[segment.speaker]}:\t{utterance} \x15{start_ms}_{end_ms}\x15")
        here = started.pop((segment.speaker, segment.start_s), [])
        if here:
            labels = "; ".join(f"{e.type} {codes[e.by]}>{codes[e.of]}" for e in here)
            lines.append(f"%com:\t{labels}")
    lines.append("@End")
    return "\n".join(lines) + "\n"


def write_cha(analysis: Analysis, path: str | Path) -> None:
    """Write the analysis as a CHAT transcript (UTF-8)."""
    Path(path).write_text(format_cha(analysis), encoding="utf-8")
