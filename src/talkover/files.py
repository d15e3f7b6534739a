"""Reading input files (text, TOML) and checking output paths, with errors that name the file.

Every reading fault is a :class:`~talkover.errors.FormatError` whose message starts with the path
(and the line where one is known): ``speakers.toml: no such file``; every writing fault an
:class:`~talkover.errors.OutputError`: ``notes.txt/report.html: notes.txt is a file, expected
a folder to write into``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

from talkover.errors import FormatError, InputError, OutputError

__all__ = [
    "check_file", "check_output", "path_kind", "read_text", "read_json", "parse_json",
    "read_toml", "sha256_file", "writing", "write_atomically",
]

_MISSING = "no such file"
_DIRECTORY = "is a directory, expected a file"


def path_kind(
    path: str | Path, *, error: Callable[[Path, str], InputError] = FormatError
) -> Literal["missing", "directory", "file"]:
    """What stands at ``path``: nothing, a folder, or a file (anything else that can be opened).

    Parameters
    ----------
    error
        The error to raise when the system refuses to look (``error(path, message)``:
        :class:`FormatError` for inputs, :class:`OutputError` for outputs).

    Raises
    ------
    InputError
        ``error``: the name is too long for the system, or a folder on the way cannot be
        searched (``PATH: cannot use this path (File name too long)``).
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        raise error(Path(path), f"cannot use this path ({exc.strerror or exc})") from None
    except ValueError as exc:  # an embedded NUL
        raise error(Path(path), f"cannot use this path ({exc})") from None
    return "directory" if stat.S_ISDIR(mode) else "file"


def check_file(path: str | Path) -> None:
    """Refuse a path that does not exist or is a directory, in :func:`read_text`'s words.

    For files that are read only after slow work (diarizing a recording), so that a mistyped
    path fails before that work starts.

    Raises
    ------
    FormatError
        ``PATH: no such file`` or ``PATH: is a directory, expected a file``.
    """
    kind = path_kind(path)
    if kind == "missing":
        raise FormatError(path, _MISSING)
    if kind == "directory":
        raise FormatError(path, _DIRECTORY)


def read_text(path: str | Path) -> str:
    """The whole file as text: UTF-8, an optional byte-order mark dropped, CRLF accepted."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise FormatError(path, _MISSING) from None
    except IsADirectoryError:
        raise FormatError(path, _DIRECTORY) from None
    except (OSError, ValueError) as exc:
        raise FormatError(path, f"cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(path, "expected UTF-8 text", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks (memory stays flat).

    Raises
    ------
    OSError
        The file cannot be read (callers that name the file catch it).
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_toml(path: str | Path) -> dict[str, Any]:
    """The top-level table of a TOML file, read as :func:`read_text` reads text.

    Raises
    ------
    FormatError
        The file cannot be read, is not UTF-8, or is not valid TOML.
    """
    try:
        return tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(path, f"not valid TOML ({exc})") from None


def read_json(path: str | Path) -> Any:
    """The parsed JSON of a file, read as :func:`read_text` reads text (:func:`parse_json`)."""
    return parse_json(path, read_text(path))


def parse_json(path: str | Path, text: str) -> Any:
    """The parsed JSON of ``text``, the contents of ``path``.

    ``NaN`` and ``Infinity`` (which Python's parser accepts) are left for the caller's checks
    of the values (times go through :func:`talkover.formats.times.check_time`).

    Raises
    ------
    FormatError
        The file cannot be read, is not UTF-8, is not valid JSON (``path:line: not valid JSON
        (...)``), nests too deeply, or holds a number too long to convert.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    except RecursionError:
        raise FormatError(path, "expected JSON nested less deeply (arrays or objects "
                          "nested hundreds of levels deep)") from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise FormatError(path, f"not valid JSON ({exc})") from None


def check_output(path: str | Path, *, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse an output path that cannot be written, before any slow work and before anything
    is written (so that no existing file is touched when a run is refused). Missing folders
    are fine: :func:`writing` creates them.

    Parameters
    ----------
    inputs
        The run's input files (``None`` entries are skipped): writing over one of them would
        lose it.

    Raises
    ------
    OutputError
        The path is a folder, a file stands where a folder is needed, the folder is not
        writable, the path is a read-only file, or it is one of ``inputs``.
    """
    out = Path(path)
    kind = path_kind(out, error=OutputError)
    if kind == "directory":
        raise OutputError(out, "is a directory, expected the name of a file to write")
    folder = _nearest_folder(out)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(out, f"folder {folder} is not writable")
    _probe(out, folder)
    if kind == "missing":
        return
    if not os.access(out, os.W_OK):
        raise OutputError(out, "file is read-only")
    for given in inputs:
        if given is not None and _exists(given) and out.samefile(given):
            raise OutputError(
                out, "is also an input of this run; writing it would overwrite the input "
                "(choose another output name)"
            )


def _probe(out: Path, folder: Path) -> None:
    """Create and remove an empty file in ``folder``: permissions can say yes where the system
    says no (``/proc``, a read-only mount, root on a locked folder).

    Raises
    ------
    OutputError
        The folder refuses a new file (naming why).
    """
    try:
        fd, probe = tempfile.mkstemp(prefix=".talkover-probe-", dir=folder)
    except OSError as exc:
        raise OutputError(out, f"cannot write in folder {folder} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def _nearest_folder(out: Path) -> Path:
    """The nearest existing ancestor of ``out`` (the folders below it are to be created).

    Raises
    ------
    OutputError
        That ancestor is a file, not a folder.
    """
    folder = out.parent
    while path_kind(folder, error=OutputError) == "missing" and folder != folder.parent:
        folder = folder.parent
    if path_kind(folder, error=OutputError) != "directory":
        raise OutputError(out, f"{folder} is a file, expected a folder to write into")
    return folder


def _exists(path: str | Path) -> bool:
    try:
        return os.path.exists(path)
    except ValueError:
        return False


@contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Write ``path`` inside this block: its missing folders are created first, and an
    :class:`OSError` becomes an :class:`OutputError` naming it
    (``report.json: cannot write (No space left on device)``)."""
    _nearest_folder(Path(path))
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        why = exc.strerror or str(exc)
        if exc.filename is not None and Path(os.fsdecode(exc.filename)) != Path(path):
            why = f"{why}: {os.fsdecode(exc.filename)}"
        raise OutputError(path, f"cannot write ({why})") from exc


def write_atomically(jobs: Sequence[tuple[str | Path, Callable[[Path], None]]]) -> None:
    """Write several files all or nothing: each ``write(temporary)`` of ``(path, write)`` writes
    a hidden file beside ``path`` (same folder, same extension: ``.talkover-1a2b-report.html``);
    only when every one succeeded are they renamed into place, together. A failure or Ctrl-C
    part-way removes the temporary files and leaves every ``path`` as it was (the old file, or
    none), so no run leaves half its outputs, or half an output, behind.

    A path that is not a regular file (``/dev/null``, a pipe) is written in place; a symbolic
    link is followed (the file it names is replaced, the link kept). Missing folders are
    created; a replaced file keeps its permissions.

    Raises
    ------
    OutputError
        A file cannot be written or renamed (``report.json: cannot write (No space left on
        device)``); nothing is renamed then.
    """
    written: list[tuple[Path, Path]] = []  # (temporary, final)
    try:
        for path, write in jobs:
            final = _final_path(Path(path))
            if final is None:  # a device or a pipe: no rename possible
                with writing(path):
                    write(Path(path))
                continue
            temporary = final.with_name(f".talkover-{secrets.token_hex(4)}-{final.name}")
            written.append((temporary, final))
            with writing(final):
                write(temporary)
        for temporary, final in written:
            with writing(final):
                _keep_mode(final, temporary)
                os.replace(temporary, final)
    finally:
        for temporary, _final in written:
            with suppress(OSError):  # renamed already, or never created
                temporary.unlink()


def _final_path(path: Path) -> Path | None:
    """The file to replace for ``path``: itself, the file a link names, or ``None`` when
    ``path`` is not a regular file (written in place)."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return Path(os.path.realpath(path)) if os.path.islink(path) else path
    except OSError as exc:
        raise OutputError(path, f"cannot write ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        return None
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def _keep_mode(final: Path, temporary: Path) -> None:
    """Give ``temporary`` the permissions of the file it replaces."""
    try:
        mode = stat.S_IMODE(os.stat(final).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temporary, mode)
