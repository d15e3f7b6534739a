"""Inter-pausal units + events -> turns (who holds the floor)."""

from talkover.turns.floor import Turn, build_turns

__all__ = ["Turn", "build_turns"]
