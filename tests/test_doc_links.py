"""Relative links and ``#anchors`` in README.md and docs/*.md point at files and headings
that exist.

Anchors follow GitHub's heading slugs: lower case, inline markup dropped, every character other
than letters, digits, ``_``, ``-`` and spaces removed, each space turned into a hyphen, and
``-1``, ``-2``, ... appended to repeated headings.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            out.append((number, line))
    return out


def github_slug(heading: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.replace("`", "").replace("*", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    out = set()
    for _, line in _prose_lines(path.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if match:
            slug = github_slug(match.group(2))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            out.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(out)


def broken_links(path: Path) -> list[str]:
    """``file:line: target (why)`` for every relative link of ``path`` that does not resolve."""
    problems = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        for target in _LINK.findall(line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.name}:{number}: {target}"
            if not linked.exists():
                problems.append(f"{where} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                problems.append(f"{where} (no such heading in {linked.name})")
    return problems


def test_github_slug_rules() -> None:
    heading = "A 2.5 s window step: measured, not adopted (session 3, run 22:49-22:53 UTC)"
    assert github_slug(heading) \
        == "a-25-s-window-step-measured-not-adopted-session-3-run-2249-2253-utc"
    assert github_slug("From audio: clean-up and confidence") \
        == "from-audio-clean-up-and-confidence"
    assert github_slug("1. Segmentation (`diarize/segmentation.py`)") \
        == "1-segmentation-diarizesegmentationpy"


def test_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("# Some heading\n\n## Twice\n\n## Twice\n", encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text(
        "[ok](b.md#some-heading) [ok](b.md#twice-1) [ok](https://example.org/#x)\n"
        "[gone](missing.md) [bad](b.md#no-such-heading)\n"
        "```\n[in code](ignored.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "a.md:2: missing.md (no such file)",
        "a.md:2: b.md#no-such-heading (no such heading in b.md)",
    ]


def test_the_docs_have_links_to_check() -> None:
    assert (ROOT / "README.md").is_file()
    assert len(DOCS) > 5
    links = [t for page in DOCS for _, line in _prose_lines(page.read_text(encoding="utf-8"))
             for t in _LINK.findall(line) if "#" in t]
    assert len(links) >= 3  # anchors into other pages exist and are checked below


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_and_anchors_resolve(page: Path) -> None:
    assert broken_links(page) == []
