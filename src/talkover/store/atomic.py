"""Atomic file writes: a file is either its old content or its new content, never half.

A write goes to a temporary file in the same folder (``.<name>.tmp-<pid>-<random>``, hidden, so
that readers listing the folder, ``pandas.read_parquet(folder)`` included, skip it), is flushed
to disk (``fsync``) and renamed over the target (``os.replace``, atomic on POSIX and Windows);
the folder is then synced so that the rename itself survives a crash. A process killed in the
middle leaves at most a ``.tmp-`` file, which :func:`is_temporary` recognises and the store
deletes when it is next opened for writing.

A *staged* write puts the new content beside the target as ``.<name>.staged``; the store renames
staged files over their targets only after the manifest has committed the recording (see
:mod:`talkover.store.store`), so that the manifest's commit is the one moment a result becomes
visible.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["write_atomic", "replace_durably", "staged_path", "target_of_staged", "is_temporary",
           "is_staged", "sync_folder", "STAGED_SUFFIX", "TMP_MARK"]

TMP_MARK = ".tmp-"
STAGED_SUFFIX = ".staged"


def staged_path(path: Path) -> Path:
    """Where the staged new content of ``path`` is written: ``.<name>.staged`` beside it."""
    return path.with_name(f".{path.name}{STAGED_SUFFIX}")


def target_of_staged(staged: Path) -> Path:
    """The file a staged file is for (the inverse of :func:`staged_path`)."""
    return staged.with_name(staged.name[1 : -len(STAGED_SUFFIX)])


def is_temporary(name: str) -> bool:
    """Whether a file name is one of :func:`write_atomic`'s temporary files."""
    return TMP_MARK in name


def is_staged(name: str) -> bool:
    """Whether a file name is a staged file (:func:`staged_path`)."""
    return name.startswith(".") and name.endswith(STAGED_SUFFIX)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (temporary file, fsync, rename).

    The parent folder must exist. Raises :class:`OSError` as the system does; the temporary
    file is removed on failure.
    """
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def replace_durably(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` (atomic) and sync the folder."""
    os.replace(source, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder so that renames in it are on disk (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
