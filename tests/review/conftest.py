"""A planted conversation to review: every event type, three speakers, a gender attribute."""

from __future__ import annotations

import pytest

from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast
from talkover.provenance import Provenance
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline


def planted_timeline() -> SpeakerTimeline:
    """Ann, Bob, Cy over ~34 s:

    backchannel Bob>Ann 2.1, interruption Bob>Ann 4.6, failed_interruption Ann>Bob 6.1,
    overlap Cy>Bob 10.3 (Bob ends 10.6), switch Ann>Cy 15.9, interruption Cy>Ann 19.1,
    backchannel Bob>Cy 20.6, switch Bob>Cy 23.7, interruption Ann>Bob 27.5.
    """
    b = TimelineBuilder()
    b.speak("Ann", 5.0).backchannel("Bob", at_s=1.5, duration_s=0.5)
    b.interruption("Bob", overlap_s=1.0, duration_s=6.0)
    b.failed_interruption("Ann", at_s=1.5, duration_s=1.5)
    b.overlap("Cy", overlap_s=0.3, duration_s=5.0).speak("Ann", 4.0)
    b.interruption("Cy", overlap_s=0.8, duration_s=4.0).backchannel("Bob", at_s=1.5)
    b.speak("Bob", 5.0).interruption("Ann", overlap_s=1.2, duration_s=5.0)
    return b.timeline(tail_s=2.0)


@pytest.fixture
def planted() -> Analysis:
    cast = Cast().with_groups(["gender:Ann=woman,Bob=man,Cy=woman"])
    return analyze_timeline(planted_timeline(), input_path="planted.rttm", cast=cast)


@pytest.fixture
def diarized() -> Analysis:
    """The same timeline as if talkover's diarizer had made it: events carry a confidence."""
    timeline = planted_timeline()
    return analyze_timeline(timeline.stamped(Provenance("audio", uri=timeline.uri)),
                            input_path="planted.flac")
