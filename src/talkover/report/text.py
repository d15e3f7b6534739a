"""The readable text summary printed by ``talkover analyze`` without ``-o``."""

from __future__ import annotations

from talkover.analysis import Analysis
from talkover.events.types import SIMULTANEOUS_TYPES
from talkover.report.groups_text import group_lines, sensitivity_lines, voice_match_lines
from talkover.report.table import aligned_table
from talkover.report.terminal import terminal_safe

__all__ = ["format_summary", "plain_language_summary", "display_name", "display_names",
           "trust_lines"]


def display_name(analysis: Analysis, speaker: str) -> str:
    """A speaker's name when known, else their id."""
    for stats in analysis.speakers:
        if stats.speaker == speaker and stats.name:
            return stats.name
    return speaker


def display_names(analysis: Analysis) -> dict[str, str]:
    """``{id: name when known, else the id}`` for every speaker (one pass, for many names)."""
    return {s.speaker: s.name or s.speaker for s in analysis.speakers}


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def plain_language_summary(analysis: Analysis, *, max_pairs: int | None = None) -> list[str]:
    """Sentences like "B interrupted A 4 times; A interrupted B once.".

    ``max_pairs`` cuts the interruption sentence to that many pairs (most interruptions
    first), ending it with how many more there are (the HTML report's table lists them all).
    """
    if not analysis.speakers:
        if analysis.provenance.kind in ("audio", "multichannel"):
            return [
                "The speech detector found no speech in this recording (quiet or very short "
                "speech can be missed; an annotation of it can be analysed instead)."
            ]
        return ["No speech was found."]
    lines = []
    names = display_names(analysis)
    pairs = sorted(
        ((n, by, of) for t, by, of, n in analysis.matrix.counts if t == "interruption"),
        key=lambda row: (-row[0], row[1], row[2]),
    )
    if pairs:
        parts = [
            f"{names.get(by, by)} interrupted {names.get(of, of)} {_times(n)}"
            for n, by, of in pairs[:max_pairs]
        ]
        if max_pairs is not None and len(pairs) > max_pairs:
            more = len(pairs) - max_pairs
            parts.append(f"and {more} more pairs (see Who over whom)")
        lines.append("; ".join(parts) + ".")
    else:
        lines.append("Nobody interrupted anybody.")
    silent = [(by, of, n) for t, by, of, n in analysis.matrix.counts if t == "silent_interruption"]
    if silent:  # only from a transcript (events/words.py)
        parts = [f"{names.get(by, by)} cut {names.get(of, of)} off "
                 f"mid-sentence {_times(n)}" for by, of, n in silent]
        lines.append("; ".join(parts) + " (silent interruptions).")
    top = max(analysis.speakers, key=lambda s: s.talk_share)
    if len(analysis.speakers) > 1:
        lines.append(
            f"{names[top.speaker]} spoke most: {top.talk_share:.0%} of all speech."
        )
    return lines


def format_summary(analysis: Analysis) -> str:
    """The whole text summary: what was analysed, who spoke, and the events (control
    characters in names escaped: :func:`~talkover.report.terminal.terminal_safe`)."""
    out = [
        f"talkover {analysis.talkover_version} - {analysis.input_path or 'timeline'}",
        f"duration {analysis.duration_s:.1f} s, {len(analysis.speakers)} speaker(s), "
        f"{len(analysis.turns)} turn(s), {len(analysis.events)} event(s)",
        "",
        *plain_language_summary(analysis),
        "",
    ]
    if analysis.speakers:
        out += _speaker_table(analysis) + [""] + _event_counts(analysis) + trust_lines(analysis)
        extra = voice_match_lines(analysis) + group_lines(analysis) + sensitivity_lines(analysis)
        out += [""] + extra if extra else []
    cfg = analysis.config
    out.append(
        f"thresholds: min_pause {cfg.min_pause_s:g} s, backchannel_max "
        f"{cfg.backchannel_max_s:g} s, grace {cfg.grace_s:g} s, silent_gap {cfg.silent_gap_s:g} s"
    )
    return terminal_safe("\n".join(out) + "\n")


def _speaker_table(analysis: Analysis) -> list[str]:
    header = ("speaker", "talk", "share", "turns", "longest", "int.made", "int.recv",
              "failed", "backch.", "overlaps")
    rows = [
        (
            s.name or s.speaker,
            f"{s.talk_time_s:.1f}s",
            f"{s.talk_share:.0%}",
            str(s.turns),
            f"{s.longest_turn_s:.1f}s",
            str(s.interruptions_made),
            str(s.interruptions_received),
            str(s.failed_interruptions_made),
            str(s.backchannels_made),
            str(s.overlaps_made),
        )
        for s in analysis.speakers
    ]
    return aligned_table(header, rows)


def _event_counts(analysis: Analysis) -> list[str]:
    counts = {t: 0 for t in ("switch", *SIMULTANEOUS_TYPES)}
    for event in analysis.events:  # silent_interruption (from transcripts) only when found
        counts[event.type] = counts.get(event.type, 0) + 1
    return ["events: " + ", ".join(f"{n} {t}" for t, n in counts.items())]


def trust_lines(
    analysis: Analysis, *, where: str = "each event's confidence is in the JSON"
) -> list[str]:
    """How far to trust counts found from audio (events with a ``confidence``); none otherwise.

    ``where`` ends the second line: where a reader finds each event's confidence.

    The confidence is calibrated (:mod:`talkover.events.confidence`): the sum over events is the
    number expected to be right, and the rest is the share a count may be off by.
    """
    assessed = [e.confidence for e in analysis.events if e.confidence is not None]
    if not assessed:
        return []
    sure = sum(c >= 0.8 for c in assessed)
    expected = sum(assessed)
    off = 1.0 - expected / len(assessed)
    return [
        f"counts from audio are estimates: about {expected:.0f} of these {len(assessed)} events "
        f"are expected to be right, so expect each count to be off by about ±{off:.0%};",
        f"  {sure} {'has' if sure == 1 else 'have'} confidence >= 0.8 (about 8 in 10 such "
        f"events were right on synthetic conversations); {where}",
    ]
