"""Per-speaker figures: talk time and share, turns, events made and received."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import fmean

from talkover.cast import SpeakerLabel
from talkover.events.types import Event
from talkover.timeline import SpeakerTimeline, to_ms
from talkover.turns.floor import Turn

__all__ = ["SpeakerStats", "compute_speaker_stats", "label_speakers"]


@dataclass(frozen=True, slots=True)
class SpeakerStats:
    """What one speaker did in the conversation.

    ``speaker`` is the speaker id (as in the timeline; ``id`` in the JSON).
    ``talk_time_s`` is the length of the union of the speaker's speech; ``talk_share`` its share
    of all speakers' talk time (shares sum to 1). ``mean_response_gap_s`` is the mean silence
    before the speaker's switches (``None`` without any). ``name`` and ``groups`` (sorted
    ``(attribute, value)`` pairs) come from the cast (:mod:`talkover.cast`), when given.
    """

    speaker: str
    name: str | None
    talk_time_s: float
    talk_share: float
    turns: int
    longest_turn_s: float
    mean_response_gap_s: float | None
    interruptions_made: int
    interruptions_received: int
    failed_interruptions_made: int
    failed_interruptions_received: int
    backchannels_made: int
    backchannels_received: int
    overlaps_made: int
    overlaps_received: int
    switches_made: int
    silent_interruptions_made: int = 0
    silent_interruptions_received: int = 0
    groups: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """Deprecated name of :attr:`speaker` (the speaker id; kept for one release)."""
        return self.speaker


def compute_speaker_stats(
    timeline: SpeakerTimeline, turns: Sequence[Turn], events: Sequence[Event]
) -> tuple[SpeakerStats, ...]:
    """One :class:`SpeakerStats` per speaker, in order of first speech."""
    talk = {s: to_ms(timeline.speech_duration_s(s)) for s in timeline.speakers}
    total = sum(talk.values())
    made = Counter((e.type, e.by) for e in events)
    received = Counter((e.type, e.of) for e in events)
    own_turns: dict[str, list[float]] = {s: [] for s in timeline.speakers}
    for turn in turns:
        own_turns.setdefault(turn.speaker, []).append(to_ms(turn.duration_s))
    gaps: dict[str, list[float]] = {}
    for e in events:
        if e.type == "switch" and e.gap_s is not None:
            gaps.setdefault(e.by, []).append(e.gap_s)
    stats = []
    for speaker in timeline.speakers:
        stats.append(
            SpeakerStats(
                speaker=speaker,
                name=None,
                talk_time_s=talk[speaker],
                talk_share=talk[speaker] / total if total > 0 else 0.0,
                turns=len(own_turns[speaker]),
                longest_turn_s=max(own_turns[speaker], default=0.0),
                mean_response_gap_s=fmean(gaps[speaker]) if speaker in gaps else None,
                interruptions_made=made["interruption", speaker],
                interruptions_received=received["interruption", speaker],
                failed_interruptions_made=made["failed_interruption", speaker],
                failed_interruptions_received=received["failed_interruption", speaker],
                backchannels_made=made["backchannel", speaker],
                backchannels_received=received["backchannel", speaker],
                overlaps_made=made["overlap", speaker],
                overlaps_received=received["overlap", speaker],
                switches_made=made["switch", speaker],
                silent_interruptions_made=made["silent_interruption", speaker],
                silent_interruptions_received=received["silent_interruption", speaker],
            )
        )
    return tuple(stats)


def label_speakers(
    speakers: Sequence[SpeakerStats], labels: Sequence[SpeakerLabel]
) -> tuple[SpeakerStats, ...]:
    """``speakers`` with the names and groups of ``labels`` (matched by speaker id)."""
    by_id = {label.speaker: label for label in labels}
    return tuple(
        replace(s, name=by_id[s.speaker].name, groups=by_id[s.speaker].groups)
        if s.speaker in by_id else s
        for s in speakers
    )
