"""Aligned plain-text tables for the text summary."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["aligned_table"]


def aligned_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """One line per row (header first): the first column left-aligned, the others
    right-aligned, each as wide as its widest cell, columns two spaces apart."""
    table = (header, *rows)
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    return [
        "  ".join(c.rjust(w) if i else c.ljust(w)
                  for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in table
    ]
