"""Libraries only some formats need, imported when a file of that format is read or written,
so that ``import talkover`` works without them."""

from __future__ import annotations

import importlib
from types import ModuleType

from talkover.errors import TalkoverError

__all__ = ["MissingDependencyError", "require"]


class MissingDependencyError(TalkoverError):
    """A library a format needs is not installed (``pip install ...`` fixes it)."""


def require(module: str, *, package: str, purpose: str) -> ModuleType:
    """``module`` imported, or a :class:`MissingDependencyError` that says what to install.

    >>> require("json", package="json", purpose="JSON").__name__
    'json'
    >>> require("no_such_module_here", package="nope", purpose="testing")
    Traceback (most recent call last):
    ...
    talkover.optional.MissingDependencyError: testing needs the package nope: pip install nope
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{purpose} needs the package {package}: pip install {package}"
        ) from None
