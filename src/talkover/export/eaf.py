"""ELAN ``.eaf`` writer (pympi-ling): one tier per speaker (``TIER_ID`` and ``PARTICIPANT`` = the
speaker), annotation values the transcript (empty without one), then the events on ``events``
tiers (linguistic type ``talkover-event``), labelled like ``interruption B>A``. The reader is
:mod:`talkover.formats.eaf`.
"""

from __future__ import annotations

from pathlib import Path

from talkover.analysis import Analysis
from talkover.export.tiers import EVENTS_TIER, event_lanes, speaker_tiers
from talkover.formats.tiers import EVENT_TYPE_REF
from talkover.optional import require

__all__ = ["write_eaf"]


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def write_eaf(analysis: Analysis, path: str | Path) -> None:
    """Write speakers and events as an ELAN 3.0 file."""
    pympi = require("pympi", package="pympi-ling", purpose="writing .eaf")
    eaf = pympi.Elan.Eaf(author="talkover")
    eaf.add_linguistic_type(EVENT_TYPE_REF)
    for speaker, segments in speaker_tiers(analysis.timeline).items():
        eaf.add_tier(speaker, part=speaker)
        for s in segments:
            if _ms(s.end_s) > _ms(s.start_s):
                eaf.add_annotation(speaker, _ms(s.start_s), _ms(s.end_s), s.text or "")
    for i, lane in enumerate(event_lanes(analysis.events, min_s=0.001)):
        name = EVENTS_TIER if i == 0 else f"{EVENTS_TIER} {i + 1}"
        eaf.add_tier(name, ling=EVENT_TYPE_REF)
        for start, end, label in lane:
            eaf.add_annotation(name, _ms(max(start, 0.0)), max(_ms(end), _ms(start) + 1), label)
    if "default" in eaf.tiers and "default" not in analysis.timeline.speakers:
        eaf.remove_tier("default")
    pympi.Elan.to_eaf(str(path), eaf, pretty=True)
