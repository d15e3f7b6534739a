"""talkover: who talks over whom.

From a speaker timeline (who speaks when, overlaps allowed) to turn-taking events
(interruptions, failed interruptions, backchannels, overlaps, switches) and per-speaker figures.

>>> from talkover import SpeakerTimeline, analyze_timeline
>>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (2, 2.5, "B"), (4, 8, "B")])
>>> [(e.type, e.by, e.of) for e in analyze_timeline(tl).events]
[('backchannel', 'B', 'A'), ('interruption', 'B', 'A')]
"""

from talkover._version import __version__
from talkover.analysis import Analysis, analyze_timeline
from talkover.config import EventConfig, load_event_config
from talkover.errors import (
    ConfigError,
    DecodeError,
    FormatError,
    InputError,
    ModelError,
    OutputError,
    TalkoverError,
)
from talkover.events import EVENT_TYPES, Event, EventType, detect_events
from talkover.export.json import analysis_to_dict
from talkover.formats import read_annotation
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.metrics import EventMatrix, SpeakerStats
from talkover.outputs import write_output
from talkover.timeline import Segment, Span, SpeakerTimeline, Word
from talkover.turns import Turn, build_turns
from talkover.units import IPU, build_ipus

__all__ = [
    "__version__",
    "Analysis",
    "analyze_timeline",
    "analysis_to_dict",
    "EventConfig",
    "load_event_config",
    "TalkoverError",
    "InputError",
    "FormatError",
    "DecodeError",
    "ConfigError",
    "OutputError",
    "ModelError",
    "Event",
    "EventType",
    "EVENT_TYPES",
    "detect_events",
    "read_annotation",
    "write_output",
    "read_rttm",
    "write_rttm",
    "EventMatrix",
    "SpeakerStats",
    "Segment",
    "Span",
    "SpeakerTimeline",
    "Word",
    "IPU",
    "Turn",
    "build_ipus",
    "build_turns",
]
