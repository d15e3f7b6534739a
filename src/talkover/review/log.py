"""The append-only edit log of a review: one JSON object per line (JSONL).

Each line is one edit (:mod:`talkover.review.edits`) with its sequence number and the time it
was made (UTC, ISO 8601)::

    {"seq": 1, "time": "2026-11-29T22:30:00.123Z", "op": "set_verdict", "event": {...}, ...}
    {"seq": 2, "time": "2026-11-29T22:30:04.020Z", "op": "undo"}

Undo and redo are entries too, so the file is only ever appended to: the history of a review
is complete, and a crash can at worst cut the last line (it is skipped with a warning when
read, and the next append starts on a fresh line). Which edits are in effect follows from the
whole log (:func:`effective_edits`): an undo takes back the latest edit still in effect, a redo
re-applies the latest undone one, and a new edit forgets what was undone before it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from talkover.review.edits import Edit, EditError, Redo, Undo, edit_to_dict, parse_edit

__all__ = ["LogEntry", "EditLog", "effective_edits", "History"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the log: the ``seq``-th edit (from 1), made at ``time`` (ISO 8601, UTC)."""

    seq: int
    time: str
    edit: Edit

    def to_dict(self) -> dict[str, object]:
        return {"seq": self.seq, "time": self.time, **edit_to_dict(self.edit)}


@dataclass(frozen=True, slots=True)
class History:
    """What a log amounts to: the entries in effect, in order, and the undone ones (the
    latest undone last; a redo takes it back)."""

    done: tuple[LogEntry, ...]
    undone: tuple[LogEntry, ...]


def effective_edits(entries: Iterable[LogEntry]) -> History:
    """Replay undo and redo over ``entries`` (an undo or redo with nothing to act on does
    nothing).

    >>> from talkover.review.edits import RenameSpeaker
    >>> e = [LogEntry(1, "t", RenameSpeaker("A", "Ann")), LogEntry(2, "t", Undo()),
    ...      LogEntry(3, "t", RenameSpeaker("A", "Anna"))]
    >>> [x.seq for x in effective_edits(e).done], effective_edits(e).undone
    ([3], ())
    """
    done: list[LogEntry] = []
    undone: list[LogEntry] = []
    for entry in entries:
        if isinstance(entry.edit, Undo):
            if done:
                undone.append(done.pop())
        elif isinstance(entry.edit, Redo):
            if undone:
                done.append(undone.pop())
        else:
            done.append(entry)
            undone.clear()
    return History(tuple(done), tuple(undone))


class EditLog:
    """The log file of one review (created on the first append; ``path=None``: in memory)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: list[LogEntry] = self._read() if self.path is not None else []

    @property
    def entries(self) -> Sequence[LogEntry]:
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def append(self, edit: Edit, *, time: str | None = None) -> LogEntry:
        """Add ``edit`` as the next entry and write it through to the file (flushed and
        fsynced before returning)."""
        seq = self._entries[-1].seq + 1 if self._entries else 1
        entry = LogEntry(seq, time or _now(), edit)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps(entry.to_dict(), ensure_ascii=False, separators=(",", ":"))
            with open(self.path, "a+b") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell() > 0:  # after a cut last line, start a fresh one
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":
                        fh.write(b"\n")
                fh.write(line.encode("utf-8") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
        self._entries.append(entry)
        return entry

    def history(self) -> History:
        return effective_edits(self._entries)

    def _read(self) -> list[LogEntry]:
        assert self.path is not None
        if not self.path.exists():
            return []
        entries: list[LogEntry] = []
        skipped = 0
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                edit = parse_edit(row)
                entries.append(LogEntry(int(row["seq"]), str(row["time"]), edit))
            except (json.JSONDecodeError, EditError, KeyError, TypeError, ValueError) as exc:
                skipped += 1
                log.warning("%s:%d: skipped an unreadable edit (%s)", self.path, number, exc)
        if skipped:
            log.warning("%s: %d edit(s) could not be read and are ignored", self.path, skipped)
        return entries


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

