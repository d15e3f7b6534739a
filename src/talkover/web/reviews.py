"""The open reviews of the app: one :class:`~talkover.review.Review` per recording, opened on
first use (the log replayed), each behind its own lock, and closed again when idle.

A review's files are ``STORE/reviews/<uri>/`` (the edit log, the corrected version). After an
edit the corrected version is written by a background thread (a burst of edits is written
once), so that the page's answer does not wait for it: the log itself is written before the
edit is answered. The background version leaves the threshold sensitivity out (a grid of
recomputations, about a second on an hour-long meeting): exports and ``GET .../analysis``
recompute it.

```
edit (request thread)        lock(uri): apply, log (fsync), recompute, answer; mark dirty
saver thread                 lock(uri): freeze the version        (a reference, no work)
                             unlocked:  its JSON, a temporary file beside corrected.json
                             lock(uri): still the same review, not deleted -> rename into place
delete (request thread)      lock(uri) held across: mark deleted, forget, remove the files
```

A deleted recording's review is gone for good: :meth:`ReviewRegistry.open` answers
:class:`ReviewGone` (404) until an upload takes the id again (:meth:`ReviewRegistry.added`),
and the saver never writes into its folder again.

At most :data:`MAX_OPEN_REVIEWS` reviews stay in memory (least recently used closed first),
and one unused for :data:`IDLE_S` is closed; reopening replays its log.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from talkover.errors import InputError
from talkover.export.read_json import read_analysis
from talkover.review import Review
from talkover.review.session import CORRECTED_NAME, version_is_stale
from talkover.store import RecordingRow

__all__ = ["ReviewRegistry", "ReviewGone", "MAX_OPEN_REVIEWS", "IDLE_S"]

log = logging.getLogger(__name__)

#: Seconds the corrected version waits for more edits before it is written.
SAVE_DELAY_S = 0.5
#: Reviews kept in memory at most (an hour-long meeting's takes tens of MB).
MAX_OPEN_REVIEWS = 4
#: A review unused this long (seconds) is closed (its log stays on disk).
IDLE_S = 15 * 60.0
#: How often the saver looks for idle reviews (seconds).
SWEEP_S = 60.0


class ReviewGone(LookupError):
    """The recording was deleted (or its analysis is no longer there)."""


@dataclass
class _Open:
    """An open review: the analysis digest it was opened for and when it was last used."""

    sha256: str
    review: Review
    used: float


class ReviewRegistry:
    """Reviews of the store at ``store_path`` (see the module docstring)."""

    def __init__(self, store_path: Path, *, max_open: int = MAX_OPEN_REVIEWS,
                 idle_s: float = IDLE_S) -> None:
        self.store_path = store_path
        self.max_open = max_open
        self.idle_s = idle_s
        self._reviews: OrderedDict[str, _Open] = OrderedDict()  # least recently used first
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._dirty: set[str] = set()
        self._deleted: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._saver = threading.Thread(target=self._save_loop, name="talkover-review-saver",
                                       daemon=True)
        self._saver.start()

    def folder(self, uri: str) -> Path:
        return self.store_path / "reviews" / uri

    @property
    def open_count(self) -> int:
        return len(self._reviews)

    # ------------------------------------------------------------------ using a review
    @contextmanager
    def open(self, uri: str, analysis_sha256: str) -> Iterator[Review]:
        """The review of ``uri`` (its analysis JSON with digest ``analysis_sha256``), locked
        while the block runs. A recording analysed again gets a fresh review object.

        Raises
        ------
        ReviewGone
            The recording was deleted (or its analysis JSON is gone).
        """
        with self._lock(uri):
            if uri in self._deleted:
                raise ReviewGone(uri)
            cached = self._reviews.get(uri)
            if cached is None or cached.sha256 != analysis_sha256:
                path = self.store_path / "analyses" / f"{uri}.json"
                if not path.is_file():
                    raise ReviewGone(uri)
                try:
                    base = read_analysis(path)
                except InputError:
                    if not path.is_file():  # removed while it was read
                        raise ReviewGone(uri) from None
                    raise
                cached = _Open(analysis_sha256, Review(base, self.folder(uri)), 0.0)
                if version_is_stale(self.folder(uri), path):  # edits or a new analysis after it
                    with self._guard:
                        self._dirty.add(uri)
                    self._wake.set()
            with self._guard:
                self._reviews[uri] = cached
                self._reviews.move_to_end(uri)
            cached.used = time.monotonic()
            try:
                yield cached.review
            finally:
                cached.used = time.monotonic()
        self._evict(over_count=True)

    def resave_stale(self, row_of: Callable[[str], RecordingRow | None]) -> int:
        """Write again every corrected version older than its edit log (the server was
        killed between an edit and the version's write: the history showed the counts of
        before that edit, until another edit) or than its automatic analysis (a batch rerun
        re-derived it). ``row_of``: the store's row of a uri. The
        number of reviews opened for it."""
        folder = self.store_path / "reviews"
        analyses = self.store_path / "analyses"
        stale = sorted(p.name for p in folder.iterdir()
                       if version_is_stale(p, analyses / f"{p.name}.json")) \
            if folder.is_dir() else []
        opened = 0
        for uri in stale:
            row = row_of(uri)
            if row is None or row.status != "done" or self._stop.is_set():
                continue
            try:
                with self.open(uri, row.analysis_sha256 or ""):  # (marks it to be written)
                    opened += 1
            except (ReviewGone, InputError) as exc:
                log.warning("could not reopen the review of %s: %s", uri, exc)
        return opened

    def edited(self, uri: str) -> None:
        """Schedule the corrected version of ``uri`` to be written."""
        with self._guard:
            if uri in self._deleted:
                return
            self._dirty.add(uri)
        self._wake.set()

    @contextmanager
    def deleting(self, uri: str) -> Iterator[None]:
        """Hold ``uri``'s review while its recording is deleted (the block removes the
        files): the review is forgotten, nothing pending is written, and from now on
        :meth:`open` answers :class:`ReviewGone` and the saver leaves its folder alone."""
        with self._lock(uri):
            with self._guard:
                self._deleted.add(uri)
                self._reviews.pop(uri, None)
                self._dirty.discard(uri)
            yield

    def added(self, uri: str) -> None:
        """A new recording has the id ``uri`` (an upload after a delete): it may be reviewed."""
        with self._lock(uri), self._guard:
            self._deleted.discard(uri)
            self._reviews.pop(uri, None)

    def close(self) -> None:
        """Write what is pending and stop the writer thread."""
        self._stop.set()
        self._wake.set()
        self._saver.join(10.0)
        self._save_pending()

    # ------------------------------------------------------------------ internals
    def _lock(self, uri: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(uri, threading.Lock())

    def _evict(self, *, over_count: bool) -> None:
        """Close reviews: the least recently used beyond :attr:`max_open` (``over_count``),
        else those idle for :attr:`idle_s`. One in use or with a version to write stays."""
        now = time.monotonic()
        with self._guard:
            clean = [uri for uri in self._reviews if uri not in self._dirty]
            if over_count:
                victims = clean[:max(0, len(self._reviews) - self.max_open)]
            else:
                victims = [uri for uri in clean if now - self._reviews[uri].used > self.idle_s]
        for uri in victims:
            lock = self._lock(uri)
            if not lock.acquire(blocking=False):  # in use: it stays
                continue
            try:
                with self._guard:
                    if uri not in self._dirty:
                        self._reviews.pop(uri, None)
            finally:
                lock.release()

    def _save_loop(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.wait(SWEEP_S)
            self._wake.clear()
            if woken and self._stop.wait(SAVE_DELAY_S):
                return
            if woken:
                self._save_pending()
            self._evict(over_count=False)

    def _save_pending(self) -> None:
        with self._guard:
            pending, self._dirty = self._dirty, set()
        for uri in sorted(pending):
            try:
                self._save(uri)
            except Exception:  # noqa: BLE001 - the log has the edits; retried next edit
                log.exception("could not write the corrected version of %s", uri)

    def _save(self, uri: str) -> None:
        """Write ``uri``'s corrected version (see the module docstring for the locking)."""
        with self._lock(uri):
            opened = self._reviews.get(uri)
            if opened is None or uri in self._deleted:
                return
            version = opened.review.version(sensitivity=False)
        folder = self.folder(uri)
        text = json.dumps(version.document(), ensure_ascii=False, indent=2) + "\n"
        try:
            fd, tmp = tempfile.mkstemp(prefix=".corrected-", suffix=".json.tmp", dir=folder)
        except FileNotFoundError:  # deleted meanwhile (the log made the folder)
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            with self._lock(uri):
                current = self._reviews.get(uri)
                if uri not in self._deleted and current is opened and folder.is_dir():
                    os.replace(tmp, folder / CORRECTED_NAME)
        finally:
            Path(tmp).unlink(missing_ok=True)
            if uri in self._deleted:  # a delete ran while the file was written: its folder
                _remove_empty(folder)


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
