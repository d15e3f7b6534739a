"""Names that moved to another module, still found at the old one for a release (with a
``DeprecationWarning`` naming the new place). A module sets ``__getattr__`` with
:func:`moved_names`."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any


def moved_names(module: str, moved: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``module`` that finds each name of ``moved`` (name -> the
    module it moved to) there, warning once per use.

    >>> getattr_ = moved_names("old", {"sqrt": "math"})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     getattr_("sqrt")(4.0), str(caught[0].message)
    (2.0, 'old.sqrt is deprecated; use math.sqrt')
    """

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(f"{module}.{name} is deprecated; use {moved[name]}.{name}",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(moved[name]), name)

    return __getattr__
