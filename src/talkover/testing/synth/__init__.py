"""Synthetic conversations from real voices, with planted turn-taking events.

``python -m talkover.testing.synth --bank DIR --out OUT --count 20 --seed 0`` writes a set.
"""

from talkover.testing.synth.conversation import (
    SyntheticConversation,
    build_conversation,
    write_set,
)
from talkover.testing.synth.plan import EventMix, Placement

__all__ = ["SyntheticConversation", "build_conversation", "write_set", "EventMix", "Placement"]
