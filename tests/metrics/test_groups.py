"""Group comparisons on planted conversations: counts, exposures, ratios, coverage, verdicts."""

from __future__ import annotations

import pytest

from talkover import analyze_timeline
from talkover.cast import Cast
from talkover.metrics.groups import GroupComparison
from talkover.testing import TimelineBuilder
from talkover.testing.poisson_conversation import plant_poisson_conversation

GENDER = {"W1": "woman", "W2": "woman", "M1": "man", "M2": "man"}
#: (by, of) -> interruptions per minute of the interrupted group's floor time.
RATES = {("man", "woman"): 2.0, ("woman", "man"): 1.0, ("woman", "woman"): 0.5,
         ("man", "man"): 0.5}
TRUE_RECEIVED = (2.0 + 0.5) / (1.0 + 0.5)  # woman / man
TRUE_CROSS = 1.0 / 2.0  # woman->man per man floor / man->woman per woman floor


def gender_cast(groups: dict[str, str]) -> Cast:
    return Cast().with_groups(["gender:" + ",".join(f"{k}={v}" for k, v in groups.items())])


def contrast(comparison: GroupComparison, kind: str, event_type: str = "interruption"):
    (c,) = [c for c in comparison.contrasts if (c.kind, c.event_type) == (kind, event_type)]
    return c


def test_planted_counts_exposures_and_ratios_exactly() -> None:
    b = TimelineBuilder()
    b.speak("W", 10.0)                                   # W's turn 0.6-10.6: 10 s
    b.interruption("M", overlap_s=1.0, duration_s=6.0)   # M's turn 9.6-15.6: 6 s
    b.failed_interruption("W", at_s=2.0, duration_s=1.5)
    b.interruption("W", overlap_s=1.0, duration_s=8.0)   # W's turn 14.6-22.6: 8 s
    b.speak("M", 4.0)                                    # M's turn: 4 s
    analysis = analyze_timeline(b.timeline(), cast=gender_cast({"W": "woman", "M": "man"}))
    (gender,) = analysis.groups
    woman, man = gender.groups
    assert (woman.value, man.value) == ("woman", "man")
    assert woman.floor_time_s == pytest.approx(18.0) and man.floor_time_s == pytest.approx(10.0)
    assert (woman.interruptions_made, woman.interruptions_received) == (1, 1)
    assert (woman.failed_interruptions_made, man.failed_interruptions_received) == (1, 1)
    assert woman.interruptions_received_per_min == pytest.approx(60 / 18)
    assert woman.talk_share + man.talk_share == pytest.approx(1.0)
    pairs = {(p.by, p.of): p for p in gender.pairs}
    assert pairs["man", "woman"].interruptions == 1 and pairs["woman", "woman"].interruptions == 0
    assert pairs["woman", "man"].failed_interruptions == 1
    assert pairs["man", "woman"].exposure_s == pytest.approx(18.0)
    received, cross = contrast(gender, "received"), contrast(gender, "cross")
    assert received.ratio.ratio == pytest.approx((1 / 18) / (1 / 10))
    assert cross.ratio.ratio == pytest.approx((1 / 10) / (1 / 18))
    for c in gender.contrasts:
        assert not c.conclusive
    assert "too few events to conclude (1 vs 1; at least 10 needed)" in received.verdict
    failed = contrast(gender, "received", "failed_interruption")
    assert "too few events to conclude (0 vs 1" in failed.verdict


def test_poisson_plant_is_found_exactly() -> None:
    planted = plant_poisson_conversation(
        groups=GENDER, rates_per_min=RATES, duration_s=1800.0, seed=7
    )
    analysis = analyze_timeline(planted.timeline, cast=gender_cast(GENDER))
    found = [(round(e.start_s, 6), e.by, e.of) for e in analysis.events if e.type == "interruption"]
    assert found == [(round(p.start_s, 6), p.by, p.of) for p in planted.interruptions]
    assert {e.type for e in analysis.events} == {"interruption", "switch"}
    floor = dict(planted.floor_time_s)
    (gender,) = analysis.groups
    for figures in gender.groups:
        expected = sum(floor[s] for s in GENDER if GENDER[s] == figures.value)
        assert figures.floor_time_s == pytest.approx(expected, abs=1e-4)
        assert figures.interruptions_received == sum(
            1 for p in planted.interruptions if GENDER[p.of] == figures.value
        )


def test_intervals_cover_the_true_ratio_at_about_95_percent() -> None:
    runs, covered = 400, {"received": 0, "cross": 0}
    truth = {"received": TRUE_RECEIVED, "cross": TRUE_CROSS}
    cast = gender_cast(GENDER)
    for seed in range(runs):
        planted = plant_poisson_conversation(
            groups=GENDER, rates_per_min=RATES, duration_s=3600.0, seed=seed
        )
        (gender,) = analyze_timeline(planted.timeline, cast=cast).groups
        for kind in covered:
            r = contrast(gender, kind).ratio
            covered[kind] += r.ci_low <= truth[kind] <= r.ci_high
    for kind, hits in covered.items():
        assert 0.92 <= hits / runs <= 0.985, (kind, hits / runs)


def test_a_strong_difference_is_called() -> None:
    rates = {("man", "woman"): 3.0, ("woman", "man"): 0.5}
    planted = plant_poisson_conversation(groups=GENDER, rates_per_min=rates,
                                         duration_s=3600.0, seed=1)
    (gender,) = analyze_timeline(planted.timeline, cast=gender_cast(GENDER)).groups
    received = contrast(gender, "received")
    assert received.conclusive and received.ratio.ci_low > 1
    assert "gender=woman more" in received.verdict and "95% CI" in received.verdict
    cross = contrast(gender, "cross")
    assert cross.conclusive and cross.ratio.ci_high < 1 and "gender=woman less" in cross.verdict


def test_speakers_without_a_value_are_left_out_and_listed() -> None:
    groups = {"W1": "woman", "M1": "man", "X": "?"}
    planted = plant_poisson_conversation(
        groups=groups, rates_per_min={("man", "woman"): 1.0, ("?", "man"): 1.0},
        duration_s=900.0, seed=2,
    )
    cast = Cast().with_groups(["gender:W1=woman,M1=man"])
    (gender,) = analyze_timeline(planted.timeline, cast=cast).groups
    assert gender.unassigned == ("X",)
    assert [g.value for g in gender.groups] == ["woman", "man"]
    man = gender.groups[1]
    # X's interruptions of M1 count as received by men, but are no group's pair.
    assert man.interruptions_received == sum(1 for p in planted.interruptions if p.of == "M1")
    assert sum(p.interruptions for p in gender.pairs if p.of == "man") == 0
