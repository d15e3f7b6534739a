"""Text-summary lines for group comparisons and threshold sensitivity."""

from __future__ import annotations

import math

from talkover.analysis import Analysis
from talkover.report.table import aligned_table
from talkover.voices import VoiceMatch

__all__ = ["group_lines", "sensitivity_lines", "voice_match_lines"]


def _n(x: float | None) -> str:
    if x is None:
        return "-"
    if math.isinf(x):
        return "inf"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def group_lines(analysis: Analysis) -> list[str]:
    """Per attribute: a table of the groups, then one verdict per contrast."""
    out: list[str] = []
    for comparison in analysis.groups:
        out.append(f"groups by {comparison.attribute}:")
        header = ("group", "speakers", "talk", "floor", "int.made", "int.recv", "recv/min",
                  "failed.recv")
        rows = [
            (
                f.value,
                str(len(f.speakers)),
                f"{f.talk_share:.0%}",
                f"{f.floor_time_s / 60:.1f}min",
                str(f.interruptions_made),
                str(f.interruptions_received),
                _n(f.interruptions_received_per_min),
                str(f.failed_interruptions_received),
            )
            for f in comparison.groups
        ]
        out.extend("  " + line for line in aligned_table(header, rows))
        if len(comparison.groups) < 2:
            out.append(f"  - only one {comparison.attribute} given: no groups to compare.")
        for c in comparison.contrasts:
            out.append(f"  - {c.verdict}")
        if comparison.unassigned:
            out.append(f"  (no {comparison.attribute} given for: "
                       f"{', '.join(comparison.unassigned)}; left out of these groups)")
        out.append("")
    return out


def sensitivity_lines(analysis: Analysis) -> list[str]:
    """Each headline's value at the chosen thresholds and its range over the grid."""
    s = analysis.sensitivity
    if s is None:
        return []
    out = [f"threshold sensitivity over {s.configs} configurations "
           f"(min_pause {s.grid.min_pause_s}, backchannel_max {s.grid.backchannel_max_s}, "
           f"grace {s.grid.grace_s}):"]
    for h in s.headlines:
        fmt = (lambda x: "-" if x is None else f"{x:.0f}") if h.quantity == "interruptions" else _n
        line = (f"  {h.quantity.replace('_', ' ')} {h.subject}: {fmt(h.chosen)} "
                f"(range {fmt(h.low)}-{fmt(h.high)})")
        if h.conclusive_configs is not None:
            if h.defined_configs < s.configs:
                line += f", defined in {h.defined_configs}/{s.configs}"
            line += f", conclusive in {h.conclusive_configs}/{s.configs}"
            if 0 < h.conclusive_configs < s.configs:
                line += " - depends on the thresholds"
        out.append(line)
    return out + [""]


def voice_match_lines(analysis: Analysis) -> list[str]:
    """Which speaker each enrolled voice was matched to, and who stayed unmatched."""
    if not analysis.voice_matches:
        return []
    out = ["voice enrollment:"]
    for m in analysis.voice_matches:
        if m.matched:
            out.append(f"  {m.speaker} is {m.name} (similarity {m.similarity:.2f})")
        else:
            out.append(f"  {m.speaker}: unmatched, keeps its id ({_why_unmatched(m)})")
    return out + [""]


def _why_unmatched(m: VoiceMatch) -> str:
    if m.reason == "no_profile_left":
        return "more speakers than enrolled voices: each voice went to a closer speaker"
    if m.reason == "little_solo_speech" or m.similarity is None:
        return f"only {m.speech_s:.1f} s of speech without others, too little to compare"
    return f"similarity {m.similarity:.2f}, below the match threshold"
