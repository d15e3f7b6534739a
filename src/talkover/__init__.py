"""talkover: who talks over whom.

Any recording or annotation in (:func:`analyze`), an :class:`Analysis` out: the speaker
timeline, the turn-taking events (interruptions, failed interruptions, backchannels, overlaps,
switches), turns, per-speaker figures, the who-over-whom matrix and group comparisons; written
in any format (:func:`write_output`), read back (:func:`read_analysis`), or as pandas
DataFrames (:meth:`Analysis.to_frames`).

>>> from talkover import SpeakerTimeline, analyze
>>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (2, 2.5, "B"), (4, 8, "B")])
>>> [(e.type, e.by, e.of) for e in analyze(tl).events]
[('backchannel', 'B', 'A'), ('interruption', 'B', 'A')]

The names here are the task-level API (docs/api.md documents each); the stages live in their
packages (:mod:`talkover.units`, :mod:`talkover.events`, :mod:`talkover.turns`,
:mod:`talkover.metrics`...). Importing talkover loads no model and no PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from talkover._moved import moved_names
from talkover._version import __version__
from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast, load_cast
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
from talkover.events import EVENT_TYPES, Event, EventType
from talkover.export.json import analysis_to_dict
from talkover.export.read_json import read_analysis
from talkover.formats import read_annotation
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.io import Waveform, decode_audio
from talkover.metrics import EventMatrix, SpeakerStats
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.multichannel import MultichannelConfig
from talkover.outputs import write_output
from talkover.provenance import InputFile, Provenance
from talkover.sources import Channels, Tracks, analyze
from talkover.timeline import Segment, Span, SpeakerTimeline, Word
from talkover.turns import Turn
from talkover.units import IPU
from talkover.voices import VoiceClip, VoiceMatch, VoiceProfile, load_profiles

if TYPE_CHECKING:
    from talkover.corpus import open_corpus
    from talkover.diarize import DiarizationConfig, Diarizer

__all__ = [
    "__version__",
    # the entry and its result
    "analyze",
    "analyze_timeline",
    "Analysis",
    "Tracks",
    "Channels",
    # reading and writing
    "read_annotation",
    "read_analysis",
    "write_output",
    "analysis_to_dict",
    "read_rttm",
    "write_rttm",
    "decode_audio",
    # value types
    "SpeakerTimeline",
    "Segment",
    "Span",
    "Word",
    "Waveform",
    "IPU",
    "Event",
    "EventType",
    "EVENT_TYPES",
    "Turn",
    "SpeakerStats",
    "EventMatrix",
    "Provenance",
    "InputFile",
    # configuration
    "EventConfig",
    "load_event_config",
    "DiarizationConfig",
    "MultichannelConfig",
    "SensitivityGrid",
    # models, names and voices
    "Diarizer",
    "Cast",
    "load_cast",
    "VoiceProfile",
    "VoiceClip",
    "VoiceMatch",
    "load_profiles",
    # corpora (talkover batch's stores)
    "open_corpus",
    # errors
    "TalkoverError",
    "InputError",
    "FormatError",
    "DecodeError",
    "ConfigError",
    "OutputError",
    "ModelError",
]

#: Names that load PyTorch (or pyarrow), resolved on first use.
_LAZY = {"Diarizer": "talkover.diarize", "DiarizationConfig": "talkover.diarize",
         "open_corpus": "talkover.corpus"}
#: Stage functions that left the top level for their packages (kept for one release).
_MOVED = {
    "detect_events": "talkover.events",
    "build_ipus": "talkover.units",
    "build_turns": "talkover.turns",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    return _moved(name)


_moved = moved_names("talkover", _MOVED)
