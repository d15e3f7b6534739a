"""The ``talkover`` command: a thin shell over the library."""

from talkover.cli.main import main

__all__ = ["main"]
