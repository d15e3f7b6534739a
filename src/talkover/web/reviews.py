"""The open reviews of the app: one :class:`~talkover.review.Review` per recording, opened on
first use (the log replayed) and kept in memory, each behind its own lock.

A review's files are ``STORE/reviews/<uri>/`` (the edit log, the corrected version). After an
edit the corrected version is written by a background thread (a burst of edits is written
once), so that the page's answer does not wait for it: the log itself is written before the
edit is answered.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from talkover.export.read_json import read_analysis
from talkover.review import Review
from talkover.review.session import write_version

__all__ = ["ReviewRegistry"]

log = logging.getLogger(__name__)

#: Seconds the corrected version waits for more edits before it is written.
SAVE_DELAY_S = 0.5


class ReviewRegistry:
    """Reviews of the store at ``store_path`` (see the module docstring)."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self._reviews: dict[str, tuple[str, Review]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._dirty: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._saver = threading.Thread(target=self._save_loop, name="talkover-review-saver",
                                       daemon=True)
        self._saver.start()

    def folder(self, uri: str) -> Path:
        return self.store_path / "reviews" / uri

    @contextmanager
    def open(self, uri: str, analysis_sha256: str) -> Iterator[Review]:
        """The review of ``uri`` (its analysis JSON with digest ``analysis_sha256``), locked
        while the block runs. A recording analysed again gets a fresh review object."""
        with self._lock(uri):
            cached = self._reviews.get(uri)
            if cached is None or cached[0] != analysis_sha256:
                base = read_analysis(self.store_path / "analyses" / f"{uri}.json")
                cached = (analysis_sha256, Review(base, self.folder(uri)))
                self._reviews[uri] = cached
            yield cached[1]

    def edited(self, uri: str) -> None:
        """Schedule the corrected version of ``uri`` to be written."""
        with self._guard:
            self._dirty.add(uri)
        self._wake.set()

    def forget(self, uri: str) -> None:
        """Drop the review of ``uri`` from memory (the recording is deleted)."""
        with self._lock(uri):
            self._reviews.pop(uri, None)
            with self._guard:
                self._dirty.discard(uri)

    def close(self) -> None:
        """Write what is pending and stop the writer thread."""
        self._stop.set()
        self._wake.set()
        self._saver.join(10.0)
        self._save_pending()

    def _lock(self, uri: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(uri, threading.Lock())

    def _save_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.wait(SAVE_DELAY_S):
                return
            self._save_pending()

    def _save_pending(self) -> None:
        with self._guard:
            pending, self._dirty = self._dirty, set()
        for uri in sorted(pending):
            with self._lock(uri):  # the document of this version, then written unlocked
                cached = self._reviews.get(uri)
                if cached is None:
                    continue
                document = cached[1].document()
            try:
                write_version(self.folder(uri), document)
            except Exception:  # noqa: BLE001 - the log has the edits; retried next edit
                log.exception("could not write the corrected version of %s", uri)
