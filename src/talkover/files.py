"""Reading input files (text, TOML) with errors that name the file.

Every fault is a :class:`~talkover.errors.FormatError` whose message starts with the path (and
the line where one is known): ``speakers.toml: no such file``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from talkover.errors import FormatError

__all__ = ["check_file", "read_text", "read_toml"]

_MISSING = "no such file"
_DIRECTORY = "is a directory, expected a file"


def check_file(path: str | Path) -> None:
    """Refuse a path that does not exist or is a directory, in :func:`read_text`'s words.

    For files that are read only after slow work (diarizing a recording), so that a mistyped
    path fails before that work starts.

    Raises
    ------
    FormatError
        ``PATH: no such file`` or ``PATH: is a directory, expected a file``.
    """
    if not Path(path).exists():
        raise FormatError(path, _MISSING)
    if Path(path).is_dir():
        raise FormatError(path, _DIRECTORY)


def read_text(path: str | Path) -> str:
    """The whole file as text: UTF-8, an optional byte-order mark dropped, CRLF accepted."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise FormatError(path, _MISSING) from None
    except IsADirectoryError:
        raise FormatError(path, _DIRECTORY) from None
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(path, "expected UTF-8 text", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
