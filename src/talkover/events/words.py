"""What was said refines the events: backchannel words, utterances cut off mid-sentence.

Applied after :func:`~talkover.events.detect_events` when the timeline carries a transcript
(``Segment.text``); on a timeline without text the events are returned unchanged.

- A **backchannel** needs backchannel-like words (:data:`BACKCHANNEL_WORDS`): a short overlapped
  unit whose text is anything else ("no wait I") is a **failed_interruption** instead.
- A **switch** within ``EventConfig.silent_gap_s`` (0.2 s) of the end of an
  utterance that was cut off is a **silent_interruption**: B took the floor without
  overlapping, but A had not finished.
  An utterance is cut off when it carries CHAT's ``+/.`` or ``+/?`` (interrupted by another), or,
  in a punctuated transcript, when its text lacks final punctuation (``. ? ! …``).

```
A  |=== "so what I wanted to"|            A's utterance ends without punctuation
B                             |=== "no."  B starts 0.1 s later -> silent_interruption(B over A)
```

Every event gets ``text_by`` (B's unit) and ``text_of`` (A's unit around the event).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from talkover.config import EventConfig
from talkover.events.types import Event
from talkover.timeline import Segment
from talkover.units import IPU, Units

__all__ = [
    "BACKCHANNEL_WORDS",
    "CUT_OFF_CODES",
    "is_backchannel_text",
    "is_cut_off",
    "refine_events",
]

#: Words and phrases that make a backchannel (compared lower-case, without punctuation; hyphens
#: count as spaces, so "mm-hmm" and "mm hmm" are the same). A unit is backchannel-like when its
#: whole text is a sequence of these. English first, then a few French, German, Spanish and
#: Italian ones.
BACKCHANNEL_WORDS: frozenset[str] = frozenset(
    {
        # English
        "mm hmm", "mhm", "mm", "hm", "hmm", "mmm", "uh huh", "uh hum", "um hum", "yeah", "yea",
        "yep", "yup", "yes", "ya", "right", "okay", "ok", "oh", "ah", "aha", "wow", "i see",
        "sure", "true", "exactly", "really", "indeed", "alright", "all right", "got it",
        "of course", "that's right", "that's true", "cool", "great", "nice", "no", "nope",
        "absolutely", "definitely", "totally", "fair enough", "uh", "um", "huh", "oh okay",
        # French, German, Spanish, Italian
        "oui", "ouais", "d'accord", "ah bon", "voilà", "ja", "genau", "achso", "stimmt",
        "sí", "si", "claro", "vale", "certo", "esatto",
    }
)
_PHRASE_WORDS = max(len(p.split()) for p in BACKCHANNEL_WORDS)

#: CHAT terminators that mark an utterance interrupted by another speaker.
CUT_OFF_CODES: frozenset[str] = frozenset({"+/.", "+/?"})
_FINAL_PUNCTUATION = (".", "?", "!", "…", "。", "？", "！", "؟")
_CLOSING = "\"'”’»)]"


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower().replace("-", " ")
    return re.findall(r"[\w']+", text)


def is_backchannel_text(text: str) -> bool:
    """Whether ``text`` consists only of backchannel words (:data:`BACKCHANNEL_WORDS`).

    >>> is_backchannel_text("Mm-hmm, yeah.") and is_backchannel_text("I see")
    True
    >>> is_backchannel_text("yeah but no")
    False
    """
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        for n in range(min(_PHRASE_WORDS, len(tokens) - i), 0, -1):
            if " ".join(tokens[i : i + n]) in BACKCHANNEL_WORDS:
                i += n
                break
        else:
            return False
    return bool(tokens)


def _ends_a_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSING).endswith(_FINAL_PUNCTUATION)


def is_cut_off(text: str | None, annotations: Sequence[str], *, punctuated: bool) -> bool:
    """Whether an utterance was broken off: a CHAT ``+/.`` / ``+/?``, or (in a punctuated
    transcript) a text without final punctuation.

    >>> is_cut_off("so what I wanted to", (), punctuated=True)
    True
    >>> is_cut_off("that's the uh", ("+/.",), punctuated=False)
    True
    >>> is_cut_off("fine.", (), punctuated=True)
    False
    """
    if CUT_OFF_CODES.intersection(annotations):
        return True
    return punctuated and bool(text and text.strip()) and not _ends_a_sentence(text or "")


@dataclass(frozen=True, slots=True)
class _UnitText:
    text: str | None  # all the unit's segment texts joined; None when none has text
    cut_off: bool  # its last utterance was broken off


_NO_TEXT = _UnitText(None, False)


def _unit_texts(units: Units, *, punctuated: bool) -> dict[IPU, _UnitText]:
    by_speaker: dict[str, list[Segment]] = {}
    for segment in units.timeline:  # sorted by start
        by_speaker.setdefault(segment.speaker, []).append(segment)
    starts = {speaker: [s.start_s for s in segs] for speaker, segs in by_speaker.items()}
    texts: dict[IPU, _UnitText] = {}
    for unit in units.ipus:
        # A unit is the union of its speaker's segments: they start within it.
        own = by_speaker.get(unit.speaker, [])
        lo = bisect_left(starts.get(unit.speaker, []), unit.start_s)
        hi = bisect_right(starts.get(unit.speaker, []), unit.end_s)
        inside = [s for s in own[lo:hi] if s.end_s <= unit.end_s]
        parts = [s.text.strip() for s in inside if s.text and s.text.strip()]
        last = max(inside, key=lambda s: (s.end_s, s.start_s), default=None)
        cut = last is not None and is_cut_off(last.text, last.annotations, punctuated=punctuated)
        texts[unit] = _UnitText(" ".join(parts) if parts else None, cut)
    return texts


def refine_events(
    events: Sequence[Event], units: Units, config: EventConfig
) -> tuple[Event, ...]:
    """Re-judge events with the transcript and attach ``text_by`` / ``text_of``.

    Parameters
    ----------
    events
        The events of :func:`detect_events` on ``units``.
    units
        The inter-pausal units the events were detected on; their timeline's segments carry
        the text.
    config
        Thresholds; ``silent_gap_s`` is used here: the longest silence (seconds) between a
        cut-off utterance and the next speaker's onset that makes a silent interruption.

    Returns
    -------
    tuple of Event
        ``events`` itself when the timeline has no text.
    """
    timeline = units.timeline
    if not timeline.has_text:
        return tuple(events)
    punctuated = any(s.text and _ends_a_sentence(s.text) for s in timeline)
    texts = _unit_texts(units, punctuated=punctuated)
    refined = []
    for event in events:
        by_text = texts.get(event.by_unit, _NO_TEXT) if event.by_unit else _NO_TEXT
        of_text = texts.get(event.of_unit, _NO_TEXT) if event.of_unit else _NO_TEXT
        kind = event.type
        if kind == "backchannel" and by_text.text and not is_backchannel_text(by_text.text):
            kind = "failed_interruption"
        elif (kind == "switch" and (event.gap_s or 0.0) <= config.silent_gap_s
              and of_text.cut_off):
            kind = "silent_interruption"
        refined.append(replace(event, type=kind, text_by=by_text.text, text_of=of_text.text))
    return tuple(refined)
