"""Exception hierarchy.

Every error talkover raises on purpose derives from :class:`TalkoverError`, so a caller can catch
one type. Errors caused by the user's input (a malformed file, an undecodable recording, a bad
option, an output path that cannot be written) derive from :class:`InputError`; the CLI maps
those to exit code 2.
"""

from __future__ import annotations

__all__ = [
    "TalkoverError",
    "InputError",
    "FormatError",
    "DecodeError",
    "OutputError",
    "ConfigError",
    "ModelError",
]


class TalkoverError(Exception):
    """Base class of all talkover errors."""


class InputError(TalkoverError):
    """The user's input cannot be used as given."""


class FormatError(InputError):
    """An input file (annotation, TOML, voice profile) does not follow its format.

    The message starts with ``path:line:`` where a line is known, then says what was expected.
    """

    def __init__(self, path: object, message: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class DecodeError(InputError):
    """A media file cannot be decoded to audio."""

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class OutputError(InputError):
    """An output path cannot be written: it is a folder, a file stands where its folder should
    be, it is one of the inputs, or the system refuses the write. The message starts with the
    path."""

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class ConfigError(InputError):
    """A configuration value is out of range or unknown."""


class ModelError(TalkoverError):
    """Packaged model weights are missing, corrupt or fail to load."""
