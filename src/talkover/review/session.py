"""A review of one recording: the automatic analysis (kept as it is), the append-only edit log,
and the corrected version that follows every edit.

```
folder/edits.jsonl       the edit log (talkover.review.log), one line per edit, never rewritten
folder/corrected.json    the corrected version: the talkover JSON of the corrected analysis
                         plus a "review" block (edits in effect, verdicts, the base version)
```

>>> from talkover.analysis import analyze_timeline
>>> from talkover.timeline import SpeakerTimeline
>>> review = Review(analyze_timeline(SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])))
>>> event = review.result.events[0]
>>> event.type
'interruption'
>>> after = review.apply(SetVerdict(EventRef.of_event(event), "rejected"))
>>> after.corrected.speakers[1].interruptions_made, review.result.verdicts
(0, ('rejected',))
>>> review.undo().corrected.speakers[1].interruptions_made
1
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.events.types import EVENT_TYPES, Event
from talkover.export.json import analysis_to_dict
from talkover.outputs import write_output
from talkover.review.diff import AnalysisDiff, diff_analyses
from talkover.review.edits import (
    AddSegment,
    DeleteSegment,
    Edit,
    EditError,
    EventRef,
    MergeSpeakers,
    MoveBoundary,
    ReassignSegment,
    Redo,
    RenameSpeaker,
    SetVerdict,
    SplitSegment,
    StaleEditError,
    Undo,
    Verdict,
)
from talkover.review.log import EditLog, LogEntry
from talkover.review.recompute import ReviewedAnalysis, recompute
from talkover.review.state import ReviewState, apply_edit, match_verdicts

__all__ = ["Review", "ReviewDiff", "QueueItem", "Version", "LOG_NAME", "CORRECTED_NAME",
           "version_is_stale",
           "write_version", "CHECKPOINT_EVERY"]

log = logging.getLogger(__name__)

LOG_NAME = "edits.jsonl"
CORRECTED_NAME = "corrected.json"
#: A review keeps the state after every this many edits in effect (and the current one);
#: an undo replays at most this many edits from the checkpoint before it. Keeping every
#: state instead costs ~138 kB per edit on an hour-long meeting (benchmarks/review.py).
CHECKPOINT_EVERY = 16


@dataclass(frozen=True, slots=True)
class QueueItem:
    """An event of the review queue: its identity, the event and its verdict."""

    ref: EventRef
    event: Event
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class ReviewDiff:
    """The automatic version against the corrected one.

    ``changes`` compares the events the two timelines make (added, removed, retyped, moved;
    segments; names); ``confirmed`` and ``rejected`` are the verdicts in effect; ``counts`` is
    ``(type, automatic, corrected)`` per event type, rejected events left out of the latter.
    """

    changes: AnalysisDiff
    confirmed: tuple[Event, ...]
    rejected: tuple[Event, ...]
    counts: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a review, frozen: the corrected analysis and what the ``review`` block
    of its document says. Everything in it is immutable, so that a caller can turn it into a
    document, or add the threshold sensitivity (:meth:`with_sensitivity`, about a second on
    an hour-long meeting), without holding the review."""

    corrected: Analysis
    result: ReviewedAnalysis
    edits: int
    edits_in_effect: int
    base: Analysis
    state: ReviewState
    sensitivity_recomputed: bool = False

    def with_sensitivity(self) -> Version:
        """This version with the threshold sensitivity recomputed on its timeline (itself
        when done already or when the automatic analysis has none)."""
        if self.sensitivity_recomputed or self.base.sensitivity is None:
            return self
        corrected = recompute(self.base, self.state, sensitivity=True).corrected
        return replace(self, corrected=corrected, sensitivity_recomputed=True)

    def document(self) -> dict[str, Any]:
        """The talkover JSON of :attr:`corrected` plus a ``review`` block."""
        doc = analysis_to_dict(self.corrected)
        doc["review"] = {
            "edits": self.edits,
            "edits_in_effect": self.edits_in_effect,
            "confirmed": len(self.result.confirmed),
            "rejected": [
                {"type": e.type, "start_s": round(e.start_s, 3), "by": e.by, "of": e.of}
                for e in self.result.rejected
            ],
            "base_version": self.base.talkover_version,
        }
        if self.base.sensitivity is not None and not self.sensitivity_recomputed:
            doc["review"]["sensitivity"] = "not recomputed (exports recompute it)"
        return doc

    def export(self, path: str | Path) -> Path:
        """Write this version in the format ``path``'s extension names (see
        :meth:`Review.export`)."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(self.document(), ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
        else:
            write_output(self.corrected, path)
        return path


class Review:
    """The review of ``base`` (the automatic analysis), its log in ``folder`` (``None``: kept
    in memory only). Opening replays the log; every :meth:`apply` appends to it first.

    Not thread-safe: one writer at a time (the web app holds a lock per recording).
    """

    def __init__(self, base: Analysis, folder: str | Path | None = None) -> None:
        self.base = base
        self.folder = Path(folder) if folder is not None else None
        self.log = EditLog(self.folder / LOG_NAME if self.folder is not None else None)
        start = ReviewState.start(base.timeline, base.speakers)
        history = self.log.history()
        self._done: list[LogEntry] = list(history.done)  # the edits in effect, in order
        self._checkpoints: list[ReviewState] = [start]  # after 0, N, 2N... edits in effect
        self._known: set[str] = set(start.timeline.speakers)  # every speaker id seen
        state = start
        for i, entry in enumerate(history.done, 1):
            try:
                state = apply_edit(state, entry.edit)
            except EditError as exc:  # a hand-edited or foreign log: a no-op, said
                log.warning("edit %d (%s) no longer applies and is ignored: %s",
                            entry.seq, entry.edit.op, exc)
            self._known.update(state.timeline.speakers)
            if i % CHECKPOINT_EVERY == 0:
                self._checkpoints.append(state)
        self._state = state
        self._undone: list[LogEntry] = list(history.undone)
        self._result: ReviewedAnalysis | None = None
        self._corrected: tuple[int, Analysis] | None = None

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> ReviewState:
        return self._state

    @property
    def result(self) -> ReviewedAnalysis:
        """The current version (recomputed after each edit, cached)."""
        if self._result is None:
            self._result = recompute(self.base, self.state)
        return self._result

    @property
    def edits_in_effect(self) -> int:
        return len(self._done)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def _push(self, state: ReviewState) -> None:
        """``state`` is the state after the edits in effect (one more than before)."""
        self._state = state
        self._known.update(state.timeline.speakers)
        if len(self._done) % CHECKPOINT_EVERY == 0:
            self._checkpoints.append(state)

    def _state_at(self, n: int) -> ReviewState:
        """The state after the first ``n`` edits in effect: the checkpoint before, replayed
        (an edit that did not apply when the log was opened stays a no-op)."""
        del self._checkpoints[n // CHECKPOINT_EVERY + 1:]
        state = self._checkpoints[-1]
        for entry in self._done[(n // CHECKPOINT_EVERY) * CHECKPOINT_EVERY:n]:
            try:
                state = apply_edit(state, entry.edit)
            except EditError:
                pass
        return state

    # ------------------------------------------------------------------ editing
    def apply(self, edit: Edit) -> ReviewedAnalysis:
        """Apply ``edit`` (undo and redo included), log it, and return the new version.

        Raises
        ------
        EditError
            The edit cannot be applied (nothing to undo or redo, invalid times...); nothing
            is logged.
        StaleEditError
            It names a segment, speaker or event this version does not have.
        """
        if isinstance(edit, Undo):
            if not self.can_undo:
                raise EditError("nothing to undo")
            self.log.append(edit)
            self._undone.append(self._done.pop())
            self._state = self._state_at(len(self._done))
        elif isinstance(edit, Redo):
            if not self._undone:
                raise EditError("nothing to redo")
            entry = self._undone[-1]
            state = apply_edit(self.state, entry.edit)
            self.log.append(edit)
            self._done.append(self._undone.pop())
            self._push(state)
        else:
            self._check_speakers(edit)
            if isinstance(edit, SetVerdict):
                self._check_event(edit.event)
            state = apply_edit(self.state, edit)
            self._done.append(self.log.append(edit))
            self._push(state)
            self._undone.clear()
        self._result = None
        return self.result

    def undo(self) -> ReviewedAnalysis:
        return self.apply(Undo())

    def redo(self) -> ReviewedAnalysis:
        return self.apply(Redo())

    def _check_speakers(self, edit: Edit) -> None:
        """A speaker the edit names (as one who exists) that no version of this review ever
        had is a mistake, not a stale page: 422, not 409."""
        for speaker in _named_speakers(edit):
            if speaker not in self._known:
                raise EditError(
                    f"{edit.op}: unknown speaker {speaker!r}; speakers: "
                    f"{', '.join(self.state.timeline.speakers) or 'none'}"
                )

    def _check_event(self, ref: EventRef) -> None:
        verdicts, _ = match_verdicts(self.result.events, {ref: "confirmed"})
        if not any(verdicts):
            raise StaleEditError(
                f"no {ref.type} by {ref.by!r} of {ref.of!r} at {ref.start_s:g} s in this version "
                "(an edit changed it; reload)"
            )

    # ------------------------------------------------------------------ reading
    def queue(self, *, include_switches: bool = False) -> tuple[QueueItem, ...]:
        """The events to review, least confident first (events without a confidence, as from
        an annotation, come after, in time order); switches only when asked."""
        result = self.result
        items = [
            QueueItem(EventRef.of_event(e), e, v)
            for e, v in zip(result.events, result.verdicts, strict=True)
            if include_switches or e.type != "switch"
        ]
        items.sort(key=lambda q: (q.event.confidence is None, q.event.confidence or 0.0,
                                  q.event.start_s))
        return tuple(items)

    def corrected(self, *, sensitivity: bool = True) -> Analysis:
        """The corrected analysis; with ``sensitivity`` (default) its threshold sensitivity is
        recomputed on the corrected timeline when the automatic analysis had one."""
        if not sensitivity or self.base.sensitivity is None:
            return self.result.corrected
        seq = len(self.log)
        if self._corrected is None or self._corrected[0] != seq:
            self._corrected = (seq, recompute(self.base, self.state, sensitivity=True).corrected)
        return self._corrected[1]

    def diff(self) -> ReviewDiff:
        """What the review changed, from the automatic version to the corrected one."""
        result = self.result
        everything = replace(result.corrected, events=result.events)
        auto = Counter(e.type for e in self.base.events)
        corrected = Counter(e.type for e in result.corrected.events)
        shown = [t for t in EVENT_TYPES if t != "silent_interruption" or auto[t] or corrected[t]]
        return ReviewDiff(
            changes=diff_analyses(self.base, everything),
            confirmed=result.confirmed,
            rejected=result.rejected,
            counts=tuple((t, auto[t], corrected[t]) for t in shown),
        )

    # ------------------------------------------------------------------ writing
    def version(self, *, sensitivity: bool = True) -> Version:
        """The current version, frozen (safe to use on another thread); ``sensitivity``: with
        the threshold sensitivity recomputed (see :meth:`corrected`); without it, taking the
        version costs nothing (the current result is computed after each edit)."""
        return Version(
            corrected=self.corrected(sensitivity=sensitivity),
            result=self.result,
            edits=len(self.log),
            edits_in_effect=self.edits_in_effect,
            base=self.base,
            state=self.state,
            sensitivity_recomputed=sensitivity and self.base.sensitivity is not None,
        )

    def document(self) -> dict[str, Any]:
        """The corrected version's JSON document: the talkover JSON plus a ``review`` block."""
        return self.version().document()

    def save(self, document: dict[str, Any] | None = None) -> Path | None:
        """Write the corrected version (``document``, by default :meth:`document`) to
        ``folder/corrected.json``, atomically; ``None`` without a folder."""
        if self.folder is None:
            return None
        return write_version(self.folder, document if document is not None else self.document())

    def export(self, path: str | Path) -> Path:
        """Write the corrected analysis in the format ``path``'s extension names (``.json``,
        ``.rttm``, ``.eaf``, ``.TextGrid``, ``.csv`` / ``events.csv``, ...)."""
        return self.version().export(path)


def _named_speakers(edit: Edit) -> tuple[str, ...]:
    """The speaker ids ``edit`` names as existing ones (not a new id it gives)."""
    if isinstance(edit, RenameSpeaker):
        return (edit.speaker,)
    if isinstance(edit, MergeSpeakers):
        return (edit.speaker, edit.into)
    if isinstance(edit, ReassignSegment | MoveBoundary | SplitSegment | DeleteSegment):
        return (edit.segment.speaker,)
    if isinstance(edit, SetVerdict):
        return (edit.event.by, edit.event.of)
    assert isinstance(edit, AddSegment | Undo | Redo), edit
    return ()


def version_is_stale(folder: Path, base: Path | None = None) -> bool:
    """Whether ``folder``'s corrected version is behind: its edit log has edits the version
    was not written after (the version missing, or older than the log), or the automatic
    analysis ``base`` it was made from is newer (re-derived since). ``False`` without edits.
    Equal times count as behind: the file system's clock too coarse to tell, and making the
    version again is harmless."""
    try:
        edits = (folder / LOG_NAME).stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    if edits.st_size == 0:
        return False
    try:
        written = (folder / CORRECTED_NAME).stat().st_mtime_ns
    except FileNotFoundError:
        return True
    if written <= edits.st_mtime_ns:
        return True
    try:
        return base is not None and written <= base.stat().st_mtime_ns
    except FileNotFoundError:
        return False


def write_version(folder: Path, document: dict[str, Any]) -> Path:
    """Write a corrected version's document to ``folder/corrected.json`` (temporary file,
    fsync, rename): readers see the old file or the new one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CORRECTED_NAME
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".corrected-", suffix=".json.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
