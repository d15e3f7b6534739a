"""The contract every reader and the CLI keep on any input (issue 18), and the strategies the
fuzz tests share.

A reader either returns a timeline whose every time is finite and within [0, 30 days], or
raises :class:`~talkover.errors.FormatError` whose message starts with the file's path --
nothing else (no other exception, no NaN, nothing past the limits). The CLI exits 0 with strict
JSON (no ``NaN``/``Infinity``) or 2 with ``talkover: error: <path>...``, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from talkover.analysis import analyze_timeline
from talkover.cli import main
from talkover.errors import FormatError
from talkover.formats import read_annotation
from talkover.formats.times import MAX_TIME_S
from talkover.outputs import write_outputs
from talkover.timeline import Segment, SpeakerTimeline

#: Tokens that broke readers before (issue 18) or could: extreme and non-decimal numbers, the
#: characters formats give meaning to, control characters, byte-order marks.
NASTY = [
    "", "-1", "-0", "0", "1e308", "1e400", "-1e400", "inf", "-inf", "nan", "NaN", "Infinity",
    "1_000", "0x10", "9" * 400, "1e-400", "3e6", "00:99:99", "99:00:00,000", "\x00", "\x1b[2J",
    "\ufeff", "\r", "\n", "\n\n", "\t", '"', "'", "<", ">", "&", "]", "[", "-->", ":", ",", ";",
    "{", "}", "[" * 50, "ÿ", "\u202e", "=cmd|' /C calc'!A0", "<v A>", "SPEAKER", "*CHI:\t",
    "\x15", "<ANNOTATION_DOCUMENT>", "item [1]:", "xmin = -3 ", "intervals: size = 99 ",
]

#: Speaker names every writer represents and every reader gives back as they were: printable
#: letters, digits and the characters formats give meaning to, single inner spaces.
NAME_CHARS = st.characters(
    categories=("L", "N", "P", "S"), exclude_characters="\x85\u2028\u2029",
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=12).filter(lambda s: s == s.strip())
TEXTS = st.none() | st.text(NAME_CHARS | st.just(" "), min_size=1, max_size=30).map(
    lambda s: " ".join(s.split())).filter(bool)


@st.composite
def timelines(
    draw: st.DrawFn,
    *,
    names: st.SearchStrategy[str] = NAMES,
    texts: st.SearchStrategy[str | None] = TEXTS,
    max_speakers: int = 4,
    max_segments: int = 12,
) -> SpeakerTimeline:
    """A conversation in whole milliseconds: each speaker's segments in order, never
    overlapping each other (tiers cannot hold that), speakers free to overlap one another."""
    speakers = draw(st.lists(names, min_size=1, max_size=max_speakers, unique=True))
    segments = []
    free = {s: 0 for s in speakers}  # ms where each speaker may start again
    for _ in range(draw(st.integers(1, max_segments))):
        speaker = draw(st.sampled_from(speakers))
        start = free[speaker] + draw(st.integers(0, 4000))
        end = start + draw(st.integers(1, 6000))
        free[speaker] = end + 1
        segments.append(Segment(start / 1000, end / 1000, speaker, draw(texts)))
    return SpeakerTimeline(tuple(segments), uri="fuzz")


def rows(timeline: SpeakerTimeline) -> list[tuple[int, int, str, str | None]]:
    """Segments as (start ms, end ms, speaker, text), the unit round trips keep."""
    return [(round(s.start_s * 1000), round(s.end_s * 1000), s.speaker, s.text)
            for s in timeline]


def written(timeline: SpeakerTimeline, path: Path) -> Path:
    """``path`` with ``timeline`` analysed and written by talkover's writer for its extension."""
    write_outputs(analyze_timeline(timeline), [path])
    return path


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` broken a few ways: bytes replaced, inserted or deleted at random places (often
    a nasty token, often at a number), lines duplicated or dropped, the file cut short."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "line",
                                     "number"]))
        at = draw(st.integers(0, max(0, len(data))))
        token = draw(st.sampled_from(NASTY) | st.text(max_size=3)).encode("utf-8")
        if kind == "replace":
            data = data[:at] + token + data[at + draw(st.integers(1, 8)):]
        elif kind == "insert":
            data = data[:at] + token + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)):]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "line":
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [] if draw(st.booleans()) else [lines[i], lines[i]]
            data = b"\n".join(lines)
        else:  # a number swapped for an extreme one
            digits = [i for i, b in enumerate(data) if chr(b).isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                data = data[:i] + draw(st.sampled_from(NASTY[:20])).encode() + data[i + 1:]
    return data


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "crlf"]


def encoded(text: str, encoding: str) -> bytes:
    """``text`` as a tool might have saved it."""
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode(encoding, errors="replace")


def read_or_refuse(
    path: Path, reader: Callable[[Path], SpeakerTimeline] = read_annotation
) -> SpeakerTimeline | None:
    """The reader's timeline, checked; ``None`` when it refused the file properly (any other
    exception fails the test that called this)."""
    try:
        timeline = reader(path)
    except FormatError as exc:
        assert str(exc).startswith(str(path)), f"error does not name the file: {exc}"
        return None
    check_timeline(timeline)
    return timeline


def check_timeline(timeline: SpeakerTimeline) -> None:
    """Every time finite, within [0, 30 days], segments non-empty; names non-empty."""
    for s in timeline:
        assert math.isfinite(s.start_s) and math.isfinite(s.end_s), s
        assert 0 <= s.start_s < s.end_s <= MAX_TIME_S, s
        assert isinstance(s.speaker, str) and s.speaker, s
        for w in s.words:
            assert math.isfinite(w.start_s) and math.isfinite(w.end_s), w
    if timeline.duration_s is not None:
        assert math.isfinite(timeline.duration_s) and 0 <= timeline.duration_s <= MAX_TIME_S


def _no_constants(name: str) -> Any:
    raise AssertionError(f"{name} in the JSON output (not JSON)")


def strict_json(text: str) -> Any:
    """``text`` parsed as strict JSON (``NaN``/``Infinity`` fail)."""
    return json.loads(text, parse_constant=_no_constants)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``talkover ARGV`` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check_cli_contract(path: Path) -> dict[str, Any] | None:
    """``talkover analyze PATH --json`` keeps the contract; its JSON document when it exits 0.

    Exit 0: strict JSON, every number finite, talk shares sum to 1 (or no speakers), as many
    segments as the input's reader gave. Exit 2: one ``talkover: error:`` naming the file.
    """
    code, out, err = run_cli(["analyze", str(path), "--json", "-q"])
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert "talkover: error: " in err and path.name in err, f"no error naming it: {err}"
        return None
    doc = strict_json(out)
    shares = [s["talk_share"] for s in doc["speakers"]]
    assert not shares or abs(sum(shares) - 1.0) < 1e-3, shares
    assert doc["input"]["duration_s"] <= MAX_TIME_S
    return doc
