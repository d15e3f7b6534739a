"""Text bound for a terminal, made safe: control characters escaped.

Speaker names, file names and transcripts come from files anyone can write. Printed raw, an
escape sequence in a speaker name can set the terminal's title and colours, move the cursor
or hide lines; a bidirectional override can reorder what is shown. :func:`terminal_safe`
writes every such character as a visible escape instead (``\\x1b``, ``\\u202e``), keeping line
breaks. Everything talkover prints for people goes through it: the summary (also ``-o x.txt``),
the ``eval`` table, error and warning messages.

>>> terminal_safe("A\\x1b]0;owned\\x07 spoke\\n")
'A\\\\x1b]0;owned\\\\x07 spoke\\n'
"""

from __future__ import annotations

__all__ = ["terminal_safe"]

#: C0 controls but the line break, DEL, C1 controls, and the bidirectional embeddings,
#: overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNSAFE = [*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0),
           *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}


def terminal_safe(text: str) -> str:
    """``text`` with every control character (but ``\\n``) as a visible escape."""
    return text.translate(_ESCAPES)
