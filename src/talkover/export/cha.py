"""CHAT (``.cha``) writer: an analysis as a time-aligned CLAN transcript.

``@UTF8``, ``@Begin``, ``@Languages: und``, ``@Participants`` and ``@ID`` headers, one main tier
per segment with its bullet; an utterance another speaker interrupted (interruption or silent
interruption) ends in ``+/.``; the events a speaker starts (all but switches) go on a ``%com:``
tier under their utterance (``interruption B>A``). Speaker ids that are not CHAT codes (up to 7
ASCII capitals and digits) get one (``Zoë`` -> ``ZOE``), the id kept as the participant's name.
The reader is :mod:`talkover.formats.cha`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from pathlib import Path

from talkover.analysis import Analysis
from talkover.events.types import Event
from talkover.timeline import Segment

__all__ = ["chat_codes", "format_cha", "write_cha"]

_CODE = re.compile(r"^[A-Z0-9]{1,7}$")


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


def _one_word(text: str) -> str:
    """A header field: whitespace and commas (which separate header entries) as ``_``."""
    return re.sub(r"[\s,]", "_", text)


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
        f"{code} {_one_word(speaker)} Unidentified" if code != speaker
        else f"{code} Unidentified"
        for speaker, code in codes.items()
    )
    lines = ["@UTF8", "@Begin", "@Languages:\tund", f"@Participants:\t{people}"]
    lines += [f"@ID:\tund|talkover|{code}|||||Unidentified|||" for code in codes.values()]
    lines.append(f"@Media:\t{_one_word(timeline.uri)}, audio")
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
