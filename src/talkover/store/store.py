"""The store: one folder that holds many recordings' analyses, for other tools to read.

Layout (``STORE/``)::

    talkover-store.json            marks the folder as a store (format and version)
    manifest.sqlite                one row per recording (:mod:`talkover.store.manifest`)
    analyses/<uri>.json            the recording's Analysis JSON (talkover's JSON writer); its
                                   timeline is what new event thresholds re-derive events from,
                                   without diarizing again
    tables/<table>/<uri>.parquet   segments, events, speakers, turns, matrix
                                   (:mod:`talkover.store.tables`)
    media/<uri>.<ext>              uploads (the web app)
    reviews/<uri>/                 the web app's review of a recording
    .lock                          held by the one process that writes the store

**One process writes a store** (the batch driver or the web server): :meth:`Store.open` for
writing takes an exclusive lock on ``.lock`` and refuses a second writer. Readers
(``readonly=True``, ``talkover corpus``, pandas) need no lock.

**A recording becomes done in one SQLite transaction.** Its new Analysis JSON is first written
beside its target as a hidden staged file (written to a temporary file, fsynced and renamed),
then the manifest row is committed ``done`` with the sha256 of the new analysis, then the staged
file is renamed over its target and the tables written. A process killed at any moment
leaves the previous state or the new one: when the store is next opened for writing,
:meth:`Store.open` rolls forward staged files whose row committed, deletes the others and every
temporary file, puts ``running`` rows back to ``queued``, removes table files of recordings that
are not done and rebuilds the missing tables of those that are (:class:`Repair` says what it
did). Tables exist exactly for the ``done`` recordings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from talkover._version import __version__
from talkover.errors import InputError
from talkover.store.atomic import (
    is_staged,
    is_temporary,
    replace_durably,
    staged_path,
    target_of_staged,
    write_atomic,
)
from talkover.store.manifest import Kind, Manifest, RecordingRow, Status, Timings
from talkover.store.media import media_files
from talkover.store.tables import (
    GROUP_PREFIX,
    TABLES,
    analysis_tables,
    group_attributes,
    table_schema,
    to_parquet_bytes,
)
from talkover.store.uris import check_uri

__all__ = ["Store", "StoreError", "Repair", "CommittedResult", "MARKER", "FORMAT_VERSION"]

MARKER = "talkover-store.json"
FORMAT_VERSION = 1
_LOCK = ".lock"
_EXTRA_COLUMNS = "extra_columns"
_TABLES_COMPLETE = "tables_complete"


class StoreError(InputError):
    """A folder that is not a store, a store another process writes, or a store written by a
    newer talkover. The message starts with the store's path."""

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


@dataclass(frozen=True, slots=True)
class Repair:
    """What :meth:`Store.open` found and fixed after an interrupted writer.

    Attributes
    ----------
    requeued
        Recordings that were ``running`` and are ``queued`` again.
    rolled_forward
        Recordings whose committed result was still in staged files, now in place.
    removed_files
        Temporary and uncommitted staged files deleted, table files of recordings that are
        not done, and analyses of recordings no longer in the manifest.
    rebuilt_tables
        Done recordings whose tables were missing, rebuilt from their Analysis JSON.
    lost
        Done recordings whose Analysis JSON was missing; queued again to be redone.
    """

    requeued: tuple[str, ...] = ()
    rolled_forward: tuple[str, ...] = ()
    removed_files: int = 0
    rebuilt_tables: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.requeued or self.rolled_forward or self.removed_files
                    or self.rebuilt_tables or self.lost)


@dataclass(frozen=True, slots=True)
class CommittedResult:
    """A finished analysis to commit to the store (see :meth:`Store.commit`).

    Attributes
    ----------
    analysis_json
        The Analysis JSON text, exactly as written to ``analyses/<uri>.json``.
    diarization_hash, events_hash
        What the analysis was made from (see ``talkover.batch.jobs``).
    diarized
        True when the recording was diarized (or its annotation read) for this result, False
        when only its events were re-derived.
    duration_s
        The recording's length.
    timings
        Where the time went.
    worker
        Which worker made it (``host:pid``, or a Ray actor).
    warnings
        What the analysis warned of (``call.wav: decoded 9.4 s of the 30.0 s its header
        declares ...``), one message each.
    """

    analysis_json: str
    diarization_hash: str
    events_hash: str
    diarized: bool
    duration_s: float | None = None
    timings: Timings = Timings()
    worker: str | None = None
    warnings: tuple[str, ...] = ()


def _serialised(method):  # noqa: ANN001, ANN202 - a decorator of Store's writing methods
    """Run a writing method under the store's write lock (threads of one writing process)."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        with self._writing:
            return method(self, *args, **kwargs)

    return locked


class Store:
    """A store folder: its manifest, Analysis JSONs and tables.

    Open one with :meth:`open`; use it as a context manager or call :meth:`close`.
    """

    def __init__(self, path: Path, manifest: Manifest, lock: IO[str] | None) -> None:
        self.path = path
        self.manifest = manifest
        self._lock = lock
        self._writing = threading.RLock()  # one write at a time within the writing process
        self.repair: Repair = Repair()

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = False, readonly: bool = False
    ) -> Store:
        """Open the store at ``path``.

        Parameters
        ----------
        create
            Make the store when ``path`` does not exist or is an empty folder.
        readonly
            Open for reading only: no lock is taken and nothing is repaired or written.

        Raises
        ------
        StoreError
            ``path`` is not a store (and ``create`` is false, or it is a non-empty folder), is
            a file, another process is writing it, or a newer talkover wrote it.
        """
        root = Path(path)
        if root.exists() and not root.is_dir():
            raise StoreError(root, "is a file, expected a store folder")
        marker = root / MARKER
        if not marker.is_file():
            if readonly or not create:
                raise StoreError(root, f"not a talkover store (no {MARKER}); "
                                       "make one with talkover batch INPUT... --store DIR")
            if root.exists() and any(root.iterdir()):
                raise StoreError(root, "is a folder with other files in it; give a new or empty "
                                       "folder for the store")
            root.mkdir(parents=True, exist_ok=True)
            info = {"format": "talkover-store", "version": FORMAT_VERSION,
                    "created_by": f"talkover {__version__}"}
            write_atomic(marker, (json.dumps(info, indent=2) + "\n").encode())
        cls._check_marker(root, marker)
        lock = None if readonly else _take_lock(root)
        try:
            manifest = Manifest.open(root / "manifest.sqlite", readonly=readonly)
        except (ValueError, OSError) as exc:
            if lock is not None:
                lock.close()
            raise StoreError(root, f"cannot open the manifest ({exc})") from exc
        store = cls(root, manifest, lock)
        if not readonly:
            for folder in ("analyses", "media", "reviews",
                           *(f"tables/{t}" for t in TABLES)):
                (root / folder).mkdir(parents=True, exist_ok=True)
            store.repair = store._repair()
        return store

    @staticmethod
    def _check_marker(root: Path, marker: Path) -> None:
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            version = int(info["version"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(root, f"{MARKER} is not readable ({exc})") from exc
        if version > FORMAT_VERSION:
            raise StoreError(root, f"written by a newer talkover (store format {version}, this "
                                   f"talkover reads {FORMAT_VERSION}); upgrade talkover")

    @property
    def readonly(self) -> bool:
        return self._lock is None

    def close(self) -> None:
        self.manifest.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- layout ----------------------------------------------------------------------------

    @property
    def media_dir(self) -> Path:
        return self.path / "media"

    @property
    def reviews_dir(self) -> Path:
        return self.path / "reviews"

    @property
    def tables_dir(self) -> Path:
        return self.path / "tables"

    def analysis_path(self, uri: str) -> Path:
        return self.path / "analyses" / f"{check_uri(uri)}.json"

    def table_path(self, table: str, uri: str) -> Path:
        return self.tables_dir / table / f"{check_uri(uri)}.parquet"

    # --- reading ---------------------------------------------------------------------------

    def get(self, uri: str) -> RecordingRow | None:
        """The manifest row of ``uri`` (``None``: not in the store)."""
        return self.manifest.get(uri)

    def recordings(
        self, *, status: Status | Sequence[Status] | None = None
    ) -> tuple[RecordingRow, ...]:
        """The manifest rows (those with ``status``), by uri."""
        return self.manifest.rows(status=status)

    def counts(self) -> dict[Status, int]:
        return self.manifest.counts()

    def read_analysis(self, uri: str) -> dict[str, Any]:
        """The Analysis JSON of ``uri`` as a dict (the current one when the row is done).

        Raises
        ------
        FileNotFoundError
            There is none.
        """
        return json.loads(self.analysis_path(uri).read_text(encoding="utf-8"))

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """The group and metadata columns every table file carries (see
        :mod:`talkover.store.tables`)."""
        return tuple(json.loads(self.manifest.meta(_EXTRA_COLUMNS) or "[]"))

    def frames(
        self,
        tables: Iterable[str] = TABLES,
        *,
        analyses: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The tables of the done recordings as pandas DataFrames, by table name.

        Each is every done recording's rows, in uri order; a table no recording has rows in
        is an empty frame with the table's columns. ``analyses`` (Analysis JSON documents by
        uri) are tabulated in place of the stored tables of their done recordings: a review's
        corrected version, say.
        """
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = {r.uri: r for r in self.recordings(status="done")}
        given = {
            uri: analysis_tables(doc, uri=uri, metadata=rows[uri].metadata_dict,
                                 extra_columns=self.extra_columns)
            for uri, doc in (analyses or {}).items() if uri in rows
        }
        out = {}
        for table in tables:
            parts = []
            for uri in rows:
                if uri in given:
                    parts.append(given[uri][table])
                    continue
                try:
                    parts.append(pq.read_table(self.table_path(table, uri)))
                except FileNotFoundError:  # a writer is committing it right now
                    continue
            if parts:
                out[table] = pa.concat_tables(parts, promote_options="permissive").to_pandas()
            else:
                out[table] = _empty_frame(table, self.extra_columns, pd)
        return out

    # --- writing (the one writing process) -------------------------------------------------

    @_serialised
    def queue(
        self,
        uri: str,
        *,
        path: str,
        kind: Kind,
        sha256: str | None,
        size_bytes: int | None = None,
        mtime_ns: int | None = None,
        options: Mapping[str, Any] | None = None,
        metadata: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Add ``uri`` as queued, or queue it again with new content/options (its older
        analysis, if any, is kept for re-deriving; its tables go, since it is not done).

        Raises
        ------
        ValueError
            ``uri`` is not valid, or another recording's uri differs from it only in case
            (their files would be one file on a case-insensitive file system).
        """
        self._writable()
        check_uri(uri)
        twin = self.manifest.case_twin(uri)
        if twin is not None:
            raise ValueError(f"uri {uri!r} differs only in case from the store's recording "
                             f"{twin!r}; give it another uri")
        self.manifest.queue(
            uri, path=path, kind=kind, sha256=sha256, size_bytes=size_bytes,
            mtime_ns=mtime_ns, options=options or {}, metadata=metadata,
        )
        self._remove_tables(uri)

    @_serialised
    def mark_running(self, uri: str, *, worker: str | None = None) -> None:
        """The job of ``uri`` was handed to a worker (one more attempt)."""
        self._writable()
        with self.manifest.transaction():
            self.manifest.update(uri, status="running", progress=0.0, error=None, worker=worker)
            self.manifest.increment(uri, "attempts")

    @_serialised
    def set_progress(self, uri: str, fraction: float) -> None:
        """How far the running job of ``uri`` is, 0..1."""
        self._writable()
        self.manifest.update(uri, progress=min(1.0, max(0.0, float(fraction))))

    @_serialised
    def mark_queued(self, uri: str) -> None:
        """Put the job of ``uri`` back in the queue (e.g. its worker died and it is retried)."""
        self._writable()
        self.manifest.update(uri, status="queued", progress=0.0)

    @_serialised
    def mark_failed(
        self, uri: str, error: str, *, timings: Timings | None = None, worker: str | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        """The job of ``uri`` failed with ``error`` (its older analysis, if any, is kept)."""
        self._writable()
        t = timings or Timings()
        self.manifest.update(
            uri, status="failed", error=error, progress=0.0, worker=worker, warnings=warnings,
            decode_s=t.decode_s, diarize_s=t.diarize_s, events_s=t.events_s, total_s=t.total_s,
        )
        self._remove_tables(uri)

    @_serialised
    def commit(self, uri: str, result: CommittedResult) -> None:
        """Make ``result`` the recording's analysis: staged files, one transaction, renames,
        tables (see the module docstring). The row must exist."""
        self._writable()
        row = self._row(uri)
        analysis_bytes = result.analysis_json.encode("utf-8")
        digest = hashlib.sha256(analysis_bytes).hexdigest()
        staged_analysis = staged_path(self.analysis_path(uri))
        write_atomic(staged_analysis, analysis_bytes)
        t = result.timings
        warnings = result.warnings  # re-derived events keep what their diarization warned of
        if not result.diarized:
            warnings = tuple(dict.fromkeys((*row.warnings, *result.warnings)))
        with self.manifest.transaction():
            self.manifest.update(
                uri, status="done", error=None, progress=1.0,
                diarization_hash=result.diarization_hash, events_hash=result.events_hash,
                analysis_sha256=digest, duration_s=result.duration_s, decode_s=t.decode_s,
                diarize_s=t.diarize_s, events_s=t.events_s, total_s=t.total_s,
                worker=result.worker, talkover_version=__version__, warnings=warnings,
            )
            self.manifest.increment(uri, "diarizations" if result.diarized else "derivations")
        # committed: from here on, a repair rolls the staged file forward
        replace_durably(staged_analysis, self.analysis_path(uri))
        self._write_tables(uri, json.loads(result.analysis_json), row.metadata_dict)

    @_serialised
    def set_metadata(self, uri: str, metadata: Sequence[tuple[str, str]]) -> None:
        """Replace the metadata of ``uri`` and, when it is done, rewrite its tables."""
        self._writable()
        self.manifest.update(uri, metadata=metadata)
        row = self._row(uri)
        if row.status == "done":
            self._write_tables(uri, self.read_analysis(uri), row.metadata_dict)

    @_serialised
    def remove(self, uri: str) -> None:
        """Remove ``uri`` from the store: its row first, then its analysis, tables, review
        (``reviews/<uri>/``) and the files of ``media/`` that are its (a crash in between
        leaves stray files, never a row without its files; the next writer's repair deletes
        a stray analysis).

        Raises
        ------
        KeyError
            The store has no recording ``uri``.
        """
        self._writable()
        row = self._row(uri)
        self.manifest.remove(uri)
        for path in (self.analysis_path(uri), staged_path(self.analysis_path(uri)),
                     *media_files(self.media_dir, row)):
            path.unlink(missing_ok=True)
        self._remove_tables(uri)
        shutil.rmtree(self.reviews_dir / uri, ignore_errors=True)

    @_serialised
    def forget_analysis(self, uri: str) -> None:
        """Drop the analysis kept for ``uri`` (its JSON and hashes); the row stays, ``queued``
        if it was done."""
        self._writable()
        status = self._row(uri).status
        self.manifest.update(uri, diarization_hash=None, events_hash=None, analysis_sha256=None,
                             status="queued" if status == "done" else status)
        self._remove_tables(uri)
        self.analysis_path(uri).unlink(missing_ok=True)

    # --- internals -------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(self.path, "opened read-only")

    def _row(self, uri: str) -> RecordingRow:
        row = self.manifest.get(uri)
        if row is None:
            raise KeyError(f"{uri!r} is not in the store {self.path}")
        return row

    def _remove_tables(self, uri: str) -> None:
        for table in TABLES:
            self.table_path(table, uri).unlink(missing_ok=True)

    def _write_tables(
        self, uri: str, analysis: Mapping[str, Any], metadata: Mapping[str, str]
    ) -> None:
        """Write the recording's tables, first widening every table file when it brings a
        group attribute or metadata column the store has not seen."""
        wanted = [*(f"{GROUP_PREFIX}{a}" for a in group_attributes(analysis)), *metadata]
        columns = list(self.extra_columns)
        new = [c for c in wanted if c not in columns]
        if new:
            self._widen_tables([*columns, *new], skip=uri)
            columns = list(self.extra_columns)
        tables = analysis_tables(analysis, uri=uri, metadata=metadata, extra_columns=columns)
        for table, frame in tables.items():
            write_atomic(self.table_path(table, uri), to_parquet_bytes(frame))

    def _widen_tables(self, columns: list[str], *, skip: str | None = None) -> None:
        """Record the new column list and rewrite every done recording's tables with it
        (a kill midway is finished at the next open: ``tables_complete`` is 0 until then)."""
        with self.manifest.transaction():
            self.manifest.set_meta(_EXTRA_COLUMNS, json.dumps(columns))
            self.manifest.set_meta(_TABLES_COMPLETE, "0")
        self._rewrite_all_tables(skip=skip)
        self.manifest.set_meta(_TABLES_COMPLETE, "1")

    def _rewrite_all_tables(self, *, skip: str | None = None) -> list[str]:
        rewritten = []
        for row in self.recordings(status="done"):
            if row.uri == skip:
                continue
            try:
                analysis = self.read_analysis(row.uri)
            except FileNotFoundError:
                continue  # the repair queues it again
            columns = list(self.extra_columns)
            for table, frame in analysis_tables(
                analysis, uri=row.uri, metadata=row.metadata_dict, extra_columns=columns
            ).items():
                write_atomic(self.table_path(table, row.uri), to_parquet_bytes(frame))
            rewritten.append(row.uri)
        return rewritten

    def _repair(self) -> Repair:
        """Undo or finish what a killed writer left (see the module docstring)."""
        requeued = tuple(self.manifest.requeue_running())
        rows = {r.uri: r for r in self.recordings()}
        removed, rolled = 0, []
        for entry in sorted(os.scandir(self.path / "analyses"), key=lambda e: e.name):
            if is_temporary(entry.name):
                os.unlink(entry.path)
                removed += 1
            elif is_staged(entry.name):
                staged = Path(entry.path)
                uri = target_of_staged(staged).stem
                row = rows.get(uri)
                if (row is not None and row.status == "done"
                        and row.analysis_sha256 == _sha256_file(staged)):
                    replace_durably(staged, target_of_staged(staged))  # committed: finish it
                    rolled.append(uri)
                else:
                    staged.unlink()
                    removed += 1
            elif entry.name.endswith(".json") and entry.name[: -len(".json")] not in rows:
                os.unlink(entry.path)  # a removed recording's, left by a crash in remove()
                removed += 1
        lost = []
        for uri, row in rows.items():
            if row.status == "done" and not self.analysis_path(uri).is_file():
                self.manifest.update(uri, status="queued", diarization_hash=None,
                                     events_hash=None, analysis_sha256=None, progress=0.0)
                lost.append(uri)
        done = {r.uri for r in self.recordings(status="done")}
        missing: set[str] = set()
        for table in TABLES:
            folder = self.tables_dir / table
            present = set()
            for entry in os.scandir(folder):
                uri = entry.name.removesuffix(".parquet")
                if is_temporary(entry.name) or uri not in done or not entry.name.endswith(
                    ".parquet"
                ):
                    os.unlink(entry.path)
                    removed += 1
                else:
                    present.add(uri)
            missing |= done - present
        rebuilt: list[str] = []
        if self.manifest.meta(_TABLES_COMPLETE) == "0":
            rebuilt = self._rewrite_all_tables()
            self.manifest.set_meta(_TABLES_COMPLETE, "1")
        else:
            for uri in sorted(missing):
                self._write_tables(uri, self.read_analysis(uri), rows[uri].metadata_dict)
                rebuilt.append(uri)
        return Repair(requeued, tuple(rolled), removed, tuple(sorted(rebuilt)), tuple(lost))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _empty_frame(table: str, extra_columns: Sequence[str], pd: Any) -> Any:
    return table_schema(table, extra_columns).empty_table().to_pandas()


def _take_lock(root: Path) -> IO[str]:
    """Hold an exclusive lock on ``root/.lock`` (released when the file is closed, or the
    process dies).

    Raises
    ------
    StoreError
        Another process holds it.
    """
    handle = open(root / _LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - held open
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one writer is the user's to ensure
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreError(root, f"is being written by {holder}; one process writes a store "
                               "at a time (wait for it to finish)") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle
