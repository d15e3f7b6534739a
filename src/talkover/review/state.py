"""What a review has changed so far: the edited timeline, the speakers' names and groups, and
the verdicts on events; :func:`apply_edit` applies one edit to it (a pure function).

```
automatic analysis --(timeline, names, groups)--> ReviewState --apply_edit--> ReviewState ...
```

Verdicts follow their event through edits that move it: moving the start of the segment an
event starts with moves the verdict's onset along, and merging speaker B into A makes B's
verdicts A's. An edit that changes what an event is (another type, other speakers) leaves the
old verdict without an event: it no longer applies (see :func:`match_verdicts`).

>>> from talkover.timeline import SpeakerTimeline
>>> state = ReviewState.start(SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")]))
>>> state = apply_edit(state, MoveBoundary(SegmentRef("A", 0, 5), "end", 4.3))
>>> [(s.start_s, s.end_s, s.speaker) for s in state.timeline]
[(0.0, 4.3, 'A'), (4.0, 8.0, 'B')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from talkover.events.types import Event
from talkover.metrics.speakers import SpeakerStats
from talkover.review.edits import (
    AddSegment,
    DeleteSegment,
    EditError,
    EventRef,
    MergeSpeakers,
    MoveBoundary,
    ReassignSegment,
    RenameSpeaker,
    SegmentRef,
    SetVerdict,
    SplitSegment,
    StaleEditError,
    TimelineEdit,
    Verdict,
)
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["ReviewState", "apply_edit", "match_verdicts", "VERDICT_TOLERANCE_S", "MIN_SEGMENT_S"]

#: A verdict applies to the event of the same type and speakers whose onset is within this of
#: the verdict's (seconds): the JSON's millisecond rounding and float noise, nothing more —
#: edits that move an onset carry the verdict along themselves.
VERDICT_TOLERANCE_S = 0.002
#: Shortest segment an edit may leave (seconds).
MIN_SEGMENT_S = 0.01


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The edited timeline, names (``{id: name}``), groups (``{id: {attribute: value}}``)
    and verdicts (``{EventRef: verdict}``) after some edits."""

    timeline: SpeakerTimeline
    names: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    verdicts: Mapping[EventRef, Verdict] = field(default_factory=dict)

    @classmethod
    def start(
        cls, timeline: SpeakerTimeline, speakers: Sequence[SpeakerStats] = ()
    ) -> ReviewState:
        """The state before any edit: ``timeline`` with the names and groups of ``speakers``."""
        names = {s.speaker: s.name for s in speakers if s.name}
        groups = {s.speaker: dict(s.groups) for s in speakers if s.groups}
        return cls(timeline, names, groups, {})


def apply_edit(state: ReviewState, edit: TimelineEdit) -> ReviewState:
    """``state`` after ``edit``.

    Raises
    ------
    StaleEditError
        The edit names a segment or speaker the timeline does not have.
    EditError
        The edit would make an invalid timeline: a segment ending before it starts or shorter
        than :data:`MIN_SEGMENT_S`, past the recording's end, a name used twice.
    """
    handler = _HANDLERS.get(type(edit))
    if handler is None:
        raise EditError(f"{edit.op} does not change a review state")
    return handler(state, edit)


def match_verdicts(
    events: Sequence[Event], verdicts: Mapping[EventRef, Verdict]
) -> tuple[tuple[Verdict | None, ...], tuple[EventRef, ...]]:
    """The verdict of each event (``None``: none), and the verdicts that match no event.

    Each verdict goes to at most one event of its type and speakers with an onset within
    :data:`VERDICT_TOLERANCE_S` of its own.
    """
    out: list[Verdict | None] = [None] * len(events)
    unmatched: list[EventRef] = []
    if not verdicts:
        return tuple(out), ()
    index: dict[tuple[str, str, str, int], list[int]] = {}
    for i, event in enumerate(events):
        key = (event.type, event.by, event.of, round(event.start_s * 1000))
        index.setdefault(key, []).append(i)
    steps = round(VERDICT_TOLERANCE_S * 1000)
    deltas = [0] + [d for k in range(1, steps + 1) for d in (-k, k)]
    for ref, verdict in verdicts.items():
        ms = round(ref.start_s * 1000)
        for delta in deltas:
            free = [i for i in index.get((ref.type, ref.by, ref.of, ms + delta), ())
                    if out[i] is None]
            if free:
                out[free[0]] = verdict
                break
        else:
            unmatched.append(ref)
    return tuple(out), tuple(unmatched)


# ------------------------------------------------------------------------------ the edits


def _rename(state: ReviewState, edit: RenameSpeaker) -> ReviewState:
    _need_speaker(state, edit.speaker)
    names = dict(state.names)
    if edit.name is None:
        names.pop(edit.speaker, None)
    else:
        taken = [sid for sid, name in names.items() if name == edit.name and sid != edit.speaker]
        if taken or (edit.name in state.timeline.speakers and edit.name != edit.speaker):
            raise EditError(
                f"rename_speaker: the name {edit.name!r} is already used by "
                f"{(taken or [edit.name])[0]}; merge the speakers instead"
            )
        names[edit.speaker] = edit.name
    return replace(state, names=names)


def _merge(state: ReviewState, edit: MergeSpeakers) -> ReviewState:
    _need_speaker(state, edit.speaker)
    _need_speaker(state, edit.into)
    if edit.speaker == edit.into:
        raise EditError(f"merge_speakers: cannot merge {edit.speaker!r} into itself")
    renamed = state.timeline.renamed({edit.speaker: edit.into}).segments
    own = [s for s in renamed if s.speaker == edit.into]
    timeline = _timeline(state.timeline, [*(s for s in renamed if s.speaker != edit.into),
                                          *_union(own)])  # where the two spoke at once: one
    names = {k: v for k, v in state.names.items() if k != edit.speaker}
    groups = {k: v for k, v in state.groups.items() if k != edit.speaker}
    moved = {edit.speaker: edit.into}
    verdicts = {}
    for ref, verdict in state.verdicts.items():
        ref = replace(ref, by=moved.get(ref.by, ref.by), of=moved.get(ref.of, ref.of))
        if ref.by != ref.of:
            verdicts[ref] = verdict
    return replace(state, timeline=timeline, names=names, groups=groups, verdicts=verdicts)


def _reassign(state: ReviewState, edit: ReassignSegment) -> ReviewState:
    index, segment = _find(state, edit.segment)
    if segment.speaker == edit.speaker:
        raise EditError(f"reassign_segment: the segment is already {edit.speaker!r}'s")
    _check_new_speaker(state, edit.speaker, "reassign_segment")
    return _with_segment(state, index, replace(segment, speaker=edit.speaker))


def _move(state: ReviewState, edit: MoveBoundary) -> ReviewState:
    index, segment = _find(state, edit.segment)
    start, end = (edit.to_s, segment.end_s) if edit.edge == "start" else (
        segment.start_s, edit.to_s)
    _check_span(state, start, end, "move_boundary")
    moved = replace(segment, start_s=start, end_s=end,
                    words=tuple(w for w in segment.words if w.end_s > start and w.start_s < end))
    state = _with_segment(state, index, moved)
    if edit.edge == "start":  # the events this segment's onset starts keep their verdicts
        verdicts = {
            (replace(ref, start_s=start) if ref.by == segment.speaker
             and abs(ref.start_s - segment.start_s) <= VERDICT_TOLERANCE_S else ref): verdict
            for ref, verdict in state.verdicts.items()
        }
        state = replace(state, verdicts=verdicts)
    return state


def _split(state: ReviewState, edit: SplitSegment) -> ReviewState:
    index, segment = _find(state, edit.segment)
    at = edit.at_s
    if not (segment.start_s + MIN_SEGMENT_S <= at <= segment.end_s - MIN_SEGMENT_S):
        raise EditError(
            f"split_segment: at_s={at:g} must lie inside the segment "
            f"({segment.start_s:g}..{segment.end_s:g} s)"
        )
    first = [w for w in segment.words if (w.start_s + w.end_s) / 2 < at]
    second = [w for w in segment.words if (w.start_s + w.end_s) / 2 >= at]
    if segment.words:
        text_a = " ".join(w.text for w in first) or None
        text_b = " ".join(w.text for w in second) or None
    else:  # no word timings: the text stays with the first part
        text_a, text_b = segment.text, None
    parts = [
        replace(segment, end_s=at, text=text_a, words=tuple(first)),
        replace(segment, start_s=at, text=text_b, words=tuple(second), annotations=()),
    ]
    return _with_segments(state, index, parts)


def _delete(state: ReviewState, edit: DeleteSegment) -> ReviewState:
    index, _ = _find(state, edit.segment)
    return _with_segments(state, index, [])


def _add(state: ReviewState, edit: AddSegment) -> ReviewState:
    _check_span(state, edit.start_s, edit.end_s, "add_segment")
    _check_new_speaker(state, edit.speaker, "add_segment")
    for s in state.timeline.segments:
        if s.speaker == edit.speaker and s.start_s <= edit.start_s and edit.end_s <= s.end_s:
            raise EditError(f"add_segment: {edit.speaker!r} already speaks from {s.start_s:g} "
                            f"to {s.end_s:g} s")
    added = Segment(edit.start_s, edit.end_s, edit.speaker)
    return _with_segment(state, len(state.timeline.segments), added)


def _verdict(state: ReviewState, edit: SetVerdict) -> ReviewState:
    verdicts = {
        ref: v for ref, v in state.verdicts.items()
        if not _same_event(ref, edit.event)
    }
    if edit.verdict is not None:
        verdicts[edit.event] = edit.verdict
    return replace(state, verdicts=verdicts)


_HANDLERS = {
    RenameSpeaker: _rename,
    MergeSpeakers: _merge,
    ReassignSegment: _reassign,
    MoveBoundary: _move,
    SplitSegment: _split,
    DeleteSegment: _delete,
    AddSegment: _add,
    SetVerdict: _verdict,
}


# ------------------------------------------------------------------------------ helpers


def _same_event(a: EventRef, b: EventRef) -> bool:
    return (a.type, a.by, a.of) == (b.type, b.by, b.of) and (
        abs(a.start_s - b.start_s) <= VERDICT_TOLERANCE_S
    )


def _need_speaker(state: ReviewState, speaker: str) -> None:
    if speaker not in state.timeline.speakers:
        raise StaleEditError(
            f"no speaker {speaker!r}; speakers: {', '.join(state.timeline.speakers) or 'none'}"
        )


def _find(state: ReviewState, ref: SegmentRef) -> tuple[int, Segment]:
    for i, segment in enumerate(state.timeline.segments):
        if ref.matches(segment):
            return i, segment
    raise StaleEditError(
        f"no segment of {ref.speaker!r} from {ref.start_s:g} to {ref.end_s:g} s in this version "
        "(it was changed by another edit; reload)"
    )


def _check_span(state: ReviewState, start: float, end: float, op: str) -> None:
    if end - start < MIN_SEGMENT_S:
        raise EditError(
            f"{op}: a segment must last at least {MIN_SEGMENT_S * 1000:.0f} ms, "
            f"got {start:g}..{end:g} s"
        )
    limit = state.timeline.duration_s
    if limit is not None and end > limit + 0.0005:
        raise EditError(f"{op}: {end:g} s is past the end of the recording ({limit:g} s)")


def _check_new_speaker(state: ReviewState, speaker: str, op: str) -> None:
    """A speaker id an edit brings in: no spaces (RTTM and CSV exports split on them) and not
    another speaker's display name (two lanes would read the same)."""
    if speaker in state.timeline.speakers:
        return
    if any(c.isspace() for c in speaker):
        raise EditError(f"{op}: a new speaker's id has no spaces, got {speaker!r} (name the "
                        "speaker afterwards with rename_speaker)")
    owners = [sid for sid, name in state.names.items()
              if name == speaker and sid in state.timeline.speakers]
    if owners:
        raise EditError(f"{op}: {speaker!r} is the name of speaker {owners[0]!r}; give the "
                        f"segment to {owners[0]!r}, or choose another id for a new speaker")


def _with_segment(state: ReviewState, index: int, segment: Segment) -> ReviewState:
    """``state`` with the segment at ``index`` (``len``: none, an addition) replaced by
    ``segment``, which absorbs the segments of its speaker it overlaps: a speaker does not
    overlap themself (exports would disagree: RTTM keeps both, ELAN and Praat tiers merge)."""
    old = state.timeline.segments
    rest = [*old[:index], *old[index + 1:]]
    run = next(r for r in _runs([segment, *(s for s in rest if s.speaker == segment.speaker)])
               if any(x is segment for x in r))
    absorbed = {id(s) for s in run}
    kept = [s for s in rest if id(s) not in absorbed]
    return replace(state, timeline=_timeline(state.timeline, [*kept, _joined(run)]))


def _union(segments: Sequence[Segment]) -> list[Segment]:
    """One speaker's segments with each overlapping run joined into one."""
    return [_joined(run) for run in _runs(segments)]


def _runs(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Segments in time order, grouped into runs that overlap (touching ones stay apart)."""
    runs: list[list[Segment]] = []
    end = float("-inf")
    for s in sorted(segments, key=lambda x: (x.start_s, x.end_s)):
        if runs and s.start_s < end:
            runs[-1].append(s)
            end = max(end, s.end_s)
        else:
            runs.append([s])
            end = s.end_s
    return runs


def _joined(run: Sequence[Segment]) -> Segment:
    """The segments of one run as one (texts, words and annotations in time order)."""
    if len(run) == 1:
        return run[0]
    texts = [s.text for s in run if s.text]
    return Segment(
        min(s.start_s for s in run), max(s.end_s for s in run), run[0].speaker,
        text=" ".join(texts) if texts else None,
        words=tuple(sorted((w for s in run for w in s.words), key=lambda w: w.start_s)),
        annotations=tuple(a for s in run for a in s.annotations),
    )


def _with_segments(state: ReviewState, index: int, new: Sequence[Segment]) -> ReviewState:
    old = state.timeline.segments
    return replace(state, timeline=_timeline(state.timeline, (*old[:index], *new,
                                                               *old[index + 1:])))


def _timeline(like: SpeakerTimeline, segments: Sequence[Segment]) -> SpeakerTimeline:
    return like.with_segments(segments)  # same recording: duration, uri, provenance
