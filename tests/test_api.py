"""The public API: talkover.__all__ holds task-level names, each documented in docs/api.md and
with a docstring; the page lists nothing that is not exported; deprecated names still work."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import talkover

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def documented() -> set[str]:
    """The names in the first column of the page's tables (before the Frames section)."""
    text = API_DOC.read_text(encoding="utf-8").split("## Frames")[0]
    return set(re.findall(r"^\| `([A-Za-z_]+)` \|", text, flags=re.M))


def test_every_exported_name_is_documented_and_nothing_else() -> None:
    exported = set(talkover.__all__) - {"__version__"}
    assert documented() == exported


@pytest.mark.parametrize("name", sorted(set(talkover.__all__) - {"__version__"}))
def test_every_exported_name_resolves_and_has_a_docstring(name: str) -> None:
    value = getattr(talkover, name)
    if isinstance(value, type) or inspect.isfunction(value):
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_stage_functions_left_the_top_level_with_a_deprecation() -> None:
    from talkover.events import detect_events

    for name in ("detect_events", "build_ipus", "build_turns"):
        assert name not in talkover.__all__
    with pytest.deprecated_call():
        assert talkover.detect_events is detect_events


def test_deprecated_aliases_still_answer() -> None:
    from talkover.events import OVERLAP_EVENT_TYPES, SIMULTANEOUS_TYPES
    from talkover.multichannel import MultichannelConfig

    assert OVERLAP_EVENT_TYPES == SIMULTANEOUS_TYPES
    analysis = talkover.analyze(talkover.SpeakerTimeline.from_tuples([(0, 1, "A")]))
    assert analysis.speakers[0].id == analysis.speakers[0].speaker == "A"
    assert analysis.source == "annotation"
    with pytest.deprecated_call():
        config = MultichannelConfig().updated(min_speech_s=0.3)
    assert config.min_segment_s == config.min_speech_s == 0.3
    with pytest.deprecated_call():
        from talkover.formats import write_output  # noqa: F401
