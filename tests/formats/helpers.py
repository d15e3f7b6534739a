"""Shared pieces of the format tests: the fixtures folder and a comparable view of segments."""

from __future__ import annotations

from pathlib import Path

from talkover.timeline import SpeakerTimeline

FIXTURES = Path(__file__).parent / "fixtures"


def rows(timeline: SpeakerTimeline) -> list[tuple[int, int, str, str | None]]:
    """Segments as (start ms, end ms, speaker, text), the unit round trips must preserve."""
    return [(round(s.start_s * 1000), round(s.end_s * 1000), s.speaker, s.text) for s in timeline]


def with_line_replaced(source: Path, target: Path, old: str, new: str) -> int:
    """Copy ``source`` to ``target`` with the first line containing ``old`` changed; its number."""
    data = source.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    lines = data.decode(encoding).split("\n")
    number = next(i for i, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new)
    target.write_bytes("\n".join(lines).encode(encoding))
    return number + 1
