"""SpeakerTimeline -> inter-pausal units and turns (who holds the floor)."""

from talkover.turns.floor import Turn, build_turns
from talkover.turns.ipus import IPU, build_ipus

__all__ = ["IPU", "build_ipus", "Turn", "build_turns"]
