"""Numbered lines of a text file, read by :func:`talkover.files.read_text` (errors name the
file)."""

from __future__ import annotations

from pathlib import Path

from talkover.files import read_text

__all__ = ["read_text_lines"]


def read_text_lines(path: str | Path) -> list[tuple[int, str]]:
    """``(line_number, line)`` pairs, numbered from 1."""
    return list(enumerate(read_text(path).split("\n"), start=1))
