"""The line of a JSON file where a named item starts, for errors that name the item.

A JSON reader checks the parsed data, so its errors name the item that is wrong
(``segments[3].end: expected a number``), not a line. :func:`item_lines` adds the line: around
the checks of a file's data, it gives a :class:`~talkover.errors.FormatError` that names an item
and no line the line where that item starts in the file's text (found by a scan of the text,
only when there is an error).

>>> text = '{"segments": [\\n  {"start": 0, "end": 1},\\n  {"start": 2, "end": "x"}\\n]}'
>>> item_line(text, "segments[1].end")
3
>>> try:
...     with item_lines(text):
...         raise FormatError("a.json", "segments[1].end: expected a number")
... except FormatError as exc:
...     print(exc)
a.json:3: segments[1].end: expected a number
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from talkover.errors import FormatError

__all__ = ["item_line", "item_lines"]

#: An item path at the start of a message: ``segments[3]``, ``segments[3].words[0].start``.
_ITEM = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): ")
_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BLANK = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"[^,}\]\s]*")


@contextmanager
def item_lines(text: str) -> Iterator[None]:
    """Re-raise a :class:`FormatError` raised inside that names an item of the JSON ``text``
    (and no line) with the line where that item starts."""
    try:
        yield
    except FormatError as exc:
        found = _ITEM.match(exc.detail) if exc.line is None else None
        line = item_line(text, found.group(1)) if found else None
        if line is None:
            raise
        raise FormatError(exc.path, exc.detail, line=line) from None


def item_line(text: str, item: str) -> int | None:
    """The line (from 1) where the value of ``item`` (``segments[3].end``) starts in the JSON
    ``text``; ``None`` when the text has no such item."""
    target = [name if name else int(index) for name, index in _STEP.findall(item)]
    stack: list[list[str | int | None]] = []  # [kind, key or index] per open container
    expect_key = False
    i, n = 0, len(text)
    while i < n:
        i = _BLANK.match(text, i).end()
        if i >= n:
            break
        c = text[i]
        if c in ",:":
            if c == "," and stack:
                top = stack[-1]
                if top[0] == "array":
                    top[1] = int(top[1] or 0) + 1
                else:
                    expect_key = True
            i += 1
        elif c in "}]":
            if stack:
                stack.pop()
            expect_key = False
            i += 1
        elif expect_key and c == '"':
            end = _string_end(text, i)
            stack[-1][1] = json.loads(text[i:end])
            expect_key = False
            i = end
        else:  # a value starts here
            if [entry[1] for entry in stack] == target:
                return text.count("\n", 0, i) + 1
            if c == "{":
                stack.append(["object", None])
                expect_key = True
                i += 1
            elif c == "[":
                stack.append(["array", 0])
                i += 1
            elif c == '"':
                i = _string_end(text, i)
            else:
                i = max(_SCALAR.match(text, i).end(), i + 1)
    return None


def _string_end(text: str, start: int) -> int:
    found = _STRING.match(text, start)
    return found.end() if found else len(text)
