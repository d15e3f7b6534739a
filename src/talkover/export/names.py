"""Speakers by name in the formats that carry one label per speaker (RTTM, TextGrid, ELAN,
CHAT, WebVTT, SRT, the segments and events CSVs): a speaker named by ``--speakers``, a cast,
voice matching or a review is written under that name instead of its id (``Ann`` rather than
``SPEAKER_00``), so that ELAN shows Ann's tier and the RTTM reads back with Ann in it. The
talkover JSON keeps both, id and name.

>>> from talkover.analysis import analyze_timeline
>>> from talkover.cast import Cast
>>> from talkover.timeline import SpeakerTimeline
>>> timeline = SpeakerTimeline.from_tuples([(0, 5, "S0"), (4, 8, "S1")])
>>> named = by_name(analyze_timeline(timeline, cast=Cast.from_names("Ann,Bob")))
>>> named.timeline.speakers, [(e.by, e.of) for e in named.events]
(('Ann', 'Bob'), [('Bob', 'Ann')])
"""

from __future__ import annotations

import logging
from dataclasses import replace

from talkover.analysis import Analysis

__all__ = ["by_name"]

_log = logging.getLogger(__name__)


def by_name(analysis: Analysis) -> Analysis:
    """``analysis`` with each named speaker's id replaced by its name in the timeline and the
    events (what the formats above write); ``analysis`` itself when no speaker is named, or
    when the names would not tell the speakers apart (a name is an unnamed speaker's id),
    with a warning then."""
    mapping = {s.id: s.name.strip() for s in analysis.speakers
               if s.name and s.name.strip() and s.name.strip() != s.id}
    if not mapping:
        return analysis
    labels = [mapping.get(sid, sid) for sid in analysis.timeline.speakers]
    if len(set(labels)) != len(labels):
        _log.warning("speakers written by id, not by name: the names (%s) would not tell "
                     "them apart", ", ".join(labels))
        return analysis
    events = tuple(replace(e, by=mapping.get(e.by, e.by), of=mapping.get(e.of, e.of))
                   for e in analysis.events)
    return replace(analysis, timeline=analysis.timeline.renamed(mapping), events=events)
