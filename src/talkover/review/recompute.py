"""The corrected analysis: the library's own :func:`~talkover.analysis.analyze_timeline` on the
edited timeline, with the automatic analysis' thresholds, source and cast, then the verdicts.

There is no second implementation of the event definitions here: events come from
``analyze_timeline``. Verdicts then act on the figures computed *from* the events:

* a **rejected** event leaves every count — the turns (a rejected interruption does not pass
  the floor), the speakers table, the matrix and the group comparisons are recomputed from
  the kept events with the library's own functions (``build_turns``,
  ``compute_speaker_stats``, ``build_matrix``, ``compare_groups``);
* a **confirmed** event is certain: its ``confidence`` (when it had one) becomes 1, so the
  summary's "about N of these events are expected to be right" counts it as right.

Threshold sensitivity (a grid of whole recomputations) is only recomputed when asked
(``sensitivity=True``: exports and the corrected version's JSON), not after every edit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast, CastMember, GroupAssignment
from talkover.events.types import Event
from talkover.metrics import build_matrix, compute_speaker_stats
from talkover.metrics.groups import compare_groups
from talkover.metrics.sensitivity import measure_sensitivity
from talkover.review.edits import EventRef, Verdict
from talkover.review.state import ReviewState, match_verdicts
from talkover.turns import build_turns

__all__ = ["ReviewedAnalysis", "recompute", "cast_of"]


@dataclass(frozen=True, slots=True)
class ReviewedAnalysis:
    """One version of a review.

    ``corrected`` is the analysis with rejected events left out of ``events`` and of every
    count; ``events`` every event the edited timeline makes (rejected ones included), in time
    order, with ``verdicts`` aligned to it; ``unmatched`` the verdicts whose event an edit
    changed into another one (another type, other speakers) or removed.
    """

    corrected: Analysis
    events: tuple[Event, ...]
    verdicts: tuple[Verdict | None, ...]
    unmatched: tuple[EventRef, ...] = ()

    @property
    def rejected(self) -> tuple[Event, ...]:
        return tuple(e for e, v in zip(self.events, self.verdicts, strict=True) if v == "rejected")

    @property
    def confirmed(self) -> tuple[Event, ...]:
        return tuple(
            e for e, v in zip(self.events, self.verdicts, strict=True) if v == "confirmed"
        )


def cast_of(state: ReviewState, base: Analysis, *, groups: bool = True) -> Cast:
    """The names (and, with ``groups``, the group attributes) of ``state`` as a
    :class:`Cast` (speakers by id), with the automatic analysis' voice matches."""
    present = set(state.timeline.speakers)
    members = tuple(
        CastMember(name, id=sid) for sid, name in state.names.items() if sid in present
    )
    assignments = tuple(
        GroupAssignment(attribute, sid, value)
        for sid, values in state.groups.items() if sid in present and groups
        for attribute, value in sorted(values.items())
    )
    return Cast(members, assignments, base.voice_matches)


def recompute(base: Analysis, state: ReviewState, *, sensitivity: bool = False) -> ReviewedAnalysis:
    """The analysis of ``state``'s timeline under ``base``'s settings, with its verdicts.

    ``sensitivity``: also recompute the threshold sensitivity (when ``base`` has one) on the
    corrected timeline, over ``base``'s grid.
    """
    # Groups are compared once, below, on the counts the verdicts leave (the comparison's
    # bootstrap is the costly part of the figures); everything else is analyze_timeline's.
    full = analyze_timeline(
        state.timeline,
        config=base.config,
        input_path=base.input_path,
        media_path=base.media_path,
        cast=cast_of(state, base, groups=False),
    )  # the timeline keeps the automatic one's provenance: confidence iff it was diarized
    verdicts, unmatched = match_verdicts(full.events, state.verdicts)
    events = tuple(
        replace(e, confidence=1.0) if v == "confirmed" and e.confidence is not None else e
        for e, v in zip(full.events, verdicts, strict=True)
    )
    kept = tuple(e for e, v in zip(events, verdicts, strict=True) if v != "rejected")
    corrected = _recount(replace(full, events=events), kept, state)
    if sensitivity and base.sensitivity is not None:
        spread = measure_sensitivity(corrected.timeline, corrected.speakers,
                                     chosen=base.config, grid=base.sensitivity.grid)
        corrected = replace(corrected, sensitivity=spread)
    return ReviewedAnalysis(corrected, events, verdicts, unmatched)


def _recount(full: Analysis, kept: tuple[Event, ...], state: ReviewState) -> Analysis:
    """``full`` with only the ``kept`` events (turns, speakers and matrix follow) and the
    groups of ``state`` compared on them."""
    turns, speakers, matrix = full.turns, full.speakers, full.matrix
    if len(kept) != len(full.events):
        turns = build_turns(full.ipus, kept)
        names = {s.speaker: s.name for s in full.speakers}
        speakers = tuple(replace(s, name=names[s.speaker])
                         for s in compute_speaker_stats(full.timeline, turns, kept))
        matrix = build_matrix(kept, full.timeline.speakers)
    speakers = tuple(
        replace(s, groups=tuple(sorted(state.groups.get(s.speaker, {}).items())))
        for s in speakers
    )
    return replace(full, events=kept, turns=turns, speakers=speakers, matrix=matrix,
                   groups=compare_groups(speakers, turns, kept))
