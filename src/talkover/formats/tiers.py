"""What the tier-based readers (TextGrid, EAF) share with talkover's writers of them."""

__all__ = ["EVENTS_TIER", "EVENT_TYPE_REF"]

#: Name of the tier talkover's writers put the events on; the readers skip tiers of this name.
EVENTS_TIER = "events"
#: ELAN linguistic type of talkover's events tiers; the EAF reader skips tiers of this type.
EVENT_TYPE_REF = "talkover-event"
