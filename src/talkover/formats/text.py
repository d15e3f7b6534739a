"""Reading text files with errors that name the file."""

from __future__ import annotations

from pathlib import Path

from talkover.errors import FormatError

__all__ = ["read_text", "read_text_lines"]


def read_text(path: str | Path) -> str:
    """The whole file as text: UTF-8, an optional byte-order mark dropped, CRLF accepted."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise FormatError(path, "no such file") from None
    except IsADirectoryError:
        raise FormatError(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(path, "expected UTF-8 text", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_lines(path: str | Path) -> list[tuple[int, str]]:
    """``(line_number, line)`` pairs, numbered from 1."""
    return list(enumerate(read_text(path).split("\n"), start=1))
