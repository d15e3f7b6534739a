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
    Edit,
    EditError,
    EventRef,
    Redo,
    SetVerdict,
    StaleEditError,
    Undo,
    Verdict,
)
from talkover.review.log import EditLog, LogEntry
from talkover.review.recompute import ReviewedAnalysis, recompute
from talkover.review.state import ReviewState, apply_edit, match_verdicts

__all__ = ["Review", "ReviewDiff", "QueueItem", "LOG_NAME", "CORRECTED_NAME", "write_version"]

log = logging.getLogger(__name__)

LOG_NAME = "edits.jsonl"
CORRECTED_NAME = "corrected.json"


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
        self._states: list[ReviewState] = [start]  # the state after each edit in effect
        history = self.log.history()
        self._done: list[LogEntry] = list(history.done)
        for entry in history.done:
            try:
                self._states.append(apply_edit(self._states[-1], entry.edit))
            except EditError as exc:  # a hand-edited or foreign log: a no-op, said
                log.warning("edit %d (%s) no longer applies and is ignored: %s",
                            entry.seq, entry.edit.op, exc)
                self._states.append(self._states[-1])
        self._undone: list[LogEntry] = list(history.undone)
        self._result: ReviewedAnalysis | None = None
        self._corrected: tuple[int, Analysis] | None = None

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> ReviewState:
        return self._states[-1]

    @property
    def result(self) -> ReviewedAnalysis:
        """The current version (recomputed after each edit, cached)."""
        if self._result is None:
            self._result = recompute(self.base, self.state)
        return self._result

    @property
    def edits_in_effect(self) -> int:
        return len(self._states) - 1

    @property
    def can_undo(self) -> bool:
        return len(self._states) > 1

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

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
            self._states.pop()
            self._undone.append(self._done.pop())
        elif isinstance(edit, Redo):
            if not self._undone:
                raise EditError("nothing to redo")
            entry = self._undone[-1]
            state = apply_edit(self.state, entry.edit)
            self.log.append(edit)
            self._done.append(self._undone.pop())
            self._states.append(state)
        else:
            if isinstance(edit, SetVerdict):
                self._check_event(edit.event)
            state = apply_edit(self.state, edit)
            self._done.append(self.log.append(edit))
            self._states.append(state)
            self._undone.clear()
        self._result = None
        return self.result

    def undo(self) -> ReviewedAnalysis:
        return self.apply(Undo())

    def redo(self) -> ReviewedAnalysis:
        return self.apply(Redo())

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
    def document(self) -> dict[str, Any]:
        """The corrected version's JSON document: the talkover JSON plus a ``review`` block."""
        result = self.result
        doc = analysis_to_dict(self.corrected())
        doc["review"] = {
            "edits": len(self.log),
            "edits_in_effect": self.edits_in_effect,
            "confirmed": len(result.confirmed),
            "rejected": [
                {"type": e.type, "start_s": round(e.start_s, 3), "by": e.by, "of": e.of}
                for e in result.rejected
            ],
            "base_version": self.base.talkover_version,
        }
        return doc

    def save(self, document: dict[str, Any] | None = None) -> Path | None:
        """Write the corrected version (``document``, by default :meth:`document`) to
        ``folder/corrected.json``, atomically; ``None`` without a folder."""
        if self.folder is None:
            return None
        return write_version(self.folder, document if document is not None else self.document())

    def export(self, path: str | Path) -> Path:
        """Write the corrected analysis in the format ``path``'s extension names (``.json``,
        ``.rttm``, ``.eaf``, ``.TextGrid``, ``.csv`` / ``events.csv``, ...)."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(self.document(), ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
        else:
            write_output(self.corrected(), path)
        return path


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
