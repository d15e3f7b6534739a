"""SpeakerTimeline -> inter-pausal units (IPUs): each speaker's speech with no pause of
``min_pause_s`` or more, the units the event definitions are applied to."""

from talkover.units.index import Units
from talkover.units.ipus import IPU, build_ipus, ipus_by_speaker

__all__ = ["IPU", "Units", "build_ipus", "ipus_by_speaker"]
