"""The manifest: one SQLite row per recording of a store (``STORE/manifest.sqlite``).

A row says where the recording is (``path``), what it is (``kind``: an audio/video recording to
diarize, or an annotation to read), what its content was when it was last looked at (``sha256``,
with ``size_bytes`` and ``mtime_ns`` so that an unchanged file is not hashed again), what it
should be analysed with (``options``, the job's options as JSON; ``metadata``, the columns a
manifest CSV gave it), where its job stands (``status``: queued, running, done, failed; ``error``;
``progress`` 0..1; ``attempts``) and what the analysis on disk was made from
(``diarization_hash``, ``events_hash``, ``analysis_sha256``; all ``NULL`` when there is none).

``status`` is ``done`` exactly when the analysis on disk is the one the row's options ask for
and the recording's tables are written. A queued or failed row may still have an older
analysis (its hashes are then not ``NULL``): a rerun that changed only event thresholds
re-derives the events from it without diarizing again.

Every write is one SQLite transaction (WAL journal, ``synchronous=FULL``), so that a process
killed at any moment leaves each row as it was before or after the write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = ["Manifest", "RecordingRow", "Status", "Kind", "Timings", "SCHEMA_VERSION", "STATUSES"]

#: Bumped when the schema changes; a store written by a newer talkover is refused.
#: 2: ``warnings`` (added to a version 1 manifest when a writer opens it).
SCHEMA_VERSION = 2

Status = Literal["queued", "running", "done", "failed"]
Kind = Literal["audio", "annotation"]
STATUSES: tuple[Status, ...] = get_args(Status)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recordings (
    uri TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('audio', 'annotation')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    error TEXT,
    sha256 TEXT,
    size_bytes INTEGER,
    mtime_ns INTEGER,
    options TEXT NOT NULL DEFAULT '{}',
    metadata TEXT NOT NULL DEFAULT '{}',
    diarization_hash TEXT,
    events_hash TEXT,
    analysis_sha256 TEXT,
    duration_s REAL,
    decode_s REAL,
    diarize_s REAL,
    events_s REAL,
    total_s REAL,
    worker TEXT,
    diarizations INTEGER NOT NULL DEFAULT 0,
    derivations INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    progress REAL NOT NULL DEFAULT 0,
    talkover_version TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS recordings_path ON recordings (path);
CREATE INDEX IF NOT EXISTS recordings_status ON recordings (status);
"""


@dataclass(frozen=True, slots=True)
class Timings:
    """Where a job's time went, in seconds (``None``: the step did not run)."""

    decode_s: float | None = None
    diarize_s: float | None = None
    events_s: float | None = None
    total_s: float | None = None


@dataclass(frozen=True, slots=True)
class RecordingRow:
    """One row of the manifest (see the module docstring for what each field means).

    ``options`` is the job's options as a JSON object (``talkover.batch.AnalysisOptions``);
    ``metadata`` the manifest CSV's other columns, in their order; ``warnings`` what the
    analysis warned of (a truncated file, damaged packets, skipped segments), one message
    each. ``diarizations`` counts the times the recording was diarized (or its annotation
    read), ``derivations`` the times its events were re-derived from a kept diarization; times
    are ISO 8601 UTC.
    """

    uri: str
    path: str
    kind: Kind
    status: Status
    error: str | None
    sha256: str | None
    size_bytes: int | None
    mtime_ns: int | None
    options: Mapping[str, Any]
    metadata: tuple[tuple[str, str], ...]
    diarization_hash: str | None
    events_hash: str | None
    analysis_sha256: str | None
    duration_s: float | None
    decode_s: float | None
    diarize_s: float | None
    events_s: float | None
    total_s: float | None
    worker: str | None
    diarizations: int
    derivations: int
    attempts: int
    progress: float
    talkover_version: str | None
    created_at: str
    updated_at: str
    warnings: tuple[str, ...] = ()

    @property
    def has_analysis(self) -> bool:
        """Whether an analysis of this recording is on disk (current or older)."""
        return self.analysis_sha256 is not None

    @property
    def metadata_dict(self) -> dict[str, str]:
        return dict(self.metadata)


_COLUMNS = tuple(f.name for f in fields(RecordingRow))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _upgrade(db: sqlite3.Connection) -> None:
    """Add the columns a manifest of an older schema lacks (its rows get their defaults)."""
    have = {str(r[1]) for r in db.execute("PRAGMA table_info(recordings)")}
    if "warnings" not in have:
        db.execute("ALTER TABLE recordings ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'")


def _row(values: sqlite3.Row) -> RecordingRow:
    data = dict(zip(values.keys(), values, strict=True))
    data["options"] = json.loads(data["options"])
    data["metadata"] = tuple((str(k), str(v)) for k, v in json.loads(data["metadata"]))
    data["warnings"] = tuple(str(w) for w in json.loads(data.get("warnings") or "[]"))
    return RecordingRow(**data)


class Manifest:
    """The SQLite manifest of one store. Open it with :meth:`open`; close it with
    :meth:`close` (or use it as a context manager).

    Only the store's one writing process calls the writing methods; any number of readers may
    open it with ``readonly=True`` at the same time (WAL mode). Within a process the connection
    may be used from several threads (a server's request handlers and its writer thread): a
    lock serialises every statement and transaction.
    """

    def __init__(self, connection: sqlite3.Connection, *, readonly: bool) -> None:
        self._db = connection
        self.readonly = readonly
        self._depth = 0
        self._lock = threading.RLock()
        self._folded: dict[str, str] | None = None  # lower-case uri -> uri, built on first use

    def _fetch(self, query: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(query, args).fetchall()

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> Manifest:
        """Open (and, for a writer, create or upgrade) the manifest at ``path``.

        Raises
        ------
        sqlite3.DatabaseError
            The file is not a SQLite database.
        ValueError
            The manifest was written by a newer talkover (its schema version is higher).
        """
        if readonly:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30.0,
                                 check_same_thread=False)
        else:
            db = sqlite3.connect(path, timeout=30.0, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            _upgrade(db)
        db.row_factory = sqlite3.Row
        manifest = cls(db, readonly=readonly)
        version = manifest.meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            db.close()
            raise ValueError(
                f"manifest schema version {version} is newer than this talkover's "
                f"({SCHEMA_VERSION}); upgrade talkover"
            )
        if not readonly and version != str(SCHEMA_VERSION):
            manifest.set_meta("schema_version", str(SCHEMA_VERSION))
        return manifest

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one transaction (nested blocks join the outer one)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                self._folded = None  # rows it added or removed are back as they were
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    # --- reading -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        rows = self._fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return None if not rows else str(rows[0][0])

    def get(self, uri: str) -> RecordingRow | None:
        rows = self._fetch("SELECT * FROM recordings WHERE uri = ?", (uri,))
        return None if not rows else _row(rows[0])

    def rows(self, *, status: Status | Sequence[Status] | None = None) -> tuple[RecordingRow, ...]:
        """Every row (or those with ``status``), by uri."""
        if status is None:
            query, args = "SELECT * FROM recordings ORDER BY uri", ()
        else:
            wanted = (status,) if isinstance(status, str) else tuple(status)
            marks = ",".join("?" * len(wanted))
            query = f"SELECT * FROM recordings WHERE status IN ({marks}) ORDER BY uri"
            args = wanted
        return tuple(_row(r) for r in self._fetch(query, args))

    def with_path(self, path: str) -> tuple[RecordingRow, ...]:
        rows = self._fetch("SELECT * FROM recordings WHERE path = ? ORDER BY uri", (path,))
        return tuple(_row(r) for r in rows)

    def uris(self) -> set[str]:
        return {str(r[0]) for r in self._fetch("SELECT uri FROM recordings")}

    def case_twin(self, uri: str) -> str | None:
        """Another recording's uri that differs from ``uri`` only in case, if any."""
        with self._lock:
            if self._folded is None:
                self._folded = {u.lower(): u for u in self.uris()}
            other = self._folded.get(uri.lower())
        return other if other is not None and other != uri else None

    def counts(self) -> dict[Status, int]:
        """How many rows have each status (every status present, 0 when none)."""
        found = {str(r[0]): r[1] for r in self._fetch(
            "SELECT status, COUNT(*) FROM recordings GROUP BY status")}
        return {s: int(found.get(s, 0)) for s in STATUSES}

    # --- writing -------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value),
            )

    def queue(
        self,
        uri: str,
        *,
        path: str,
        kind: Kind,
        sha256: str | None,
        size_bytes: int | None,
        mtime_ns: int | None,
        options: Mapping[str, Any],
        metadata: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Insert the recording as queued, or queue it again with what is given (the
        analysis on disk and its hashes, counters and timings are kept)."""
        now = _now()
        values = {
            "uri": uri, "path": path, "kind": kind, "sha256": sha256, "size_bytes": size_bytes,
            "mtime_ns": mtime_ns, "options": json.dumps(dict(options), sort_keys=True),
            "metadata": json.dumps([list(p) for p in metadata]),
        }
        with self.transaction():
            self._db.execute(
                "INSERT INTO recordings (uri, path, kind, status, sha256, size_bytes, mtime_ns, "
                "options, metadata, created_at, updated_at) VALUES (:uri, :path, :kind, "
                "'queued', :sha256, :size_bytes, :mtime_ns, :options, :metadata, :now, :now) "
                "ON CONFLICT (uri) DO UPDATE SET path = excluded.path, kind = excluded.kind, "
                "status = 'queued', error = NULL, sha256 = excluded.sha256, "
                "size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns, "
                "options = excluded.options, metadata = excluded.metadata, progress = 0, "
                "updated_at = excluded.updated_at",
                {**values, "now": now},
            )
            if self._folded is not None:
                self._folded[uri.lower()] = uri

    def update(self, uri: str, **values: Any) -> None:
        """Set columns of one row (``options`` and ``metadata`` as Python data)."""
        unknown = set(values) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown manifest column(s): {', '.join(sorted(unknown))}")
        if "options" in values:
            values["options"] = json.dumps(dict(values["options"]), sort_keys=True)
        if "metadata" in values:
            values["metadata"] = json.dumps([list(p) for p in values["metadata"]])
        if "warnings" in values:
            values["warnings"] = json.dumps([str(w) for w in values["warnings"]],
                                            ensure_ascii=False)
        values["updated_at"] = _now()
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        with self.transaction():
            self._db.execute(
                f"UPDATE recordings SET {assignments} WHERE uri = :uri_", {**values, "uri_": uri}
            )

    def increment(
        self, uri: str, column: Literal["attempts", "diarizations", "derivations"]
    ) -> None:
        with self.transaction():
            self._db.execute(
                f"UPDATE recordings SET {column} = {column} + 1, updated_at = ? WHERE uri = ?",
                (_now(), uri),
            )

    def requeue_running(self) -> list[str]:
        """Put every ``running`` row back to ``queued`` (after a writer died); their uris."""
        with self.transaction():
            uris = [str(r[0]) for r in self._db.execute(
                "SELECT uri FROM recordings WHERE status = 'running' ORDER BY uri")]
            self._db.execute(
                "UPDATE recordings SET status = 'queued', progress = 0, updated_at = ? "
                "WHERE status = 'running'", (_now(),),
            )
        return uris

    def remove(self, uri: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM recordings WHERE uri = ?", (uri,))
            if self._folded is not None and self._folded.get(uri.lower()) == uri:
                del self._folded[uri.lower()]
