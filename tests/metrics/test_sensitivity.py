"""Threshold sensitivity: ranges of the headline numbers over the grid."""

from __future__ import annotations

from talkover import EventConfig, analyze_timeline
from talkover.cast import Cast
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.testing import TimelineBuilder
from talkover.testing.poisson_conversation import plant_poisson_conversation


def test_grid_is_every_combination() -> None:
    configs = SensitivityGrid().configs()
    assert len(configs) == 27 and len(set(configs)) == 27
    assert EventConfig() in configs


def test_grid_keeps_the_chosen_config_s_other_settings() -> None:
    chosen = EventConfig(silent_gap_s=0.6)
    configs = SensitivityGrid().configs(chosen)
    assert {c.silent_gap_s for c in configs} == {0.6}
    assert chosen in configs


def test_an_interruption_that_depends_on_grace() -> None:
    # B starts 0.6 s before A stops: an interruption for grace 0.3/0.5, an overlap for 0.8.
    b = TimelineBuilder().speak("A", 5.0).interruption("B", overlap_s=0.6, duration_s=3.0)
    analysis = analyze_timeline(
        b.timeline(), cast=Cast.from_names("Ann,Bo"), sensitivity=SensitivityGrid()
    )
    s = analysis.sensitivity
    assert s is not None and s.configs == 27
    heads = {(h.quantity, h.subject): h for h in s.headlines}
    bo_ann = heads["interruptions", "Bo->Ann"]
    assert (bo_ann.chosen, bo_ann.low, bo_ann.high) == (1.0, 0.0, 1.0)
    ann_bo = heads["interruptions", "Ann->Bo"]
    assert (ann_bo.chosen, ann_bo.low, ann_bo.high) == (0.0, 0.0, 0.0)


def test_group_ratio_range_and_conclusive_count() -> None:
    groups = {"W1": "woman", "W2": "woman", "M1": "man", "M2": "man"}
    cast = Cast().with_groups(["gender:" + ",".join(f"{k}={v}" for k, v in groups.items())])
    # Interruptions overlap 0.7 s: under grace 0.8 (9 of 27 configurations) they are overlaps.
    planted = plant_poisson_conversation(
        groups=groups, rates_per_min={("man", "woman"): 3.0, ("woman", "man"): 0.5},
        duration_s=2400.0, seed=4, overlap_s=0.7,
    )
    analysis = analyze_timeline(planted.timeline, cast=cast, sensitivity=SensitivityGrid())
    heads = {(h.quantity, h.subject): h for h in analysis.sensitivity.headlines}
    received = heads["received_rate_ratio", "gender: woman/man"]
    (gender,) = analysis.groups
    chosen = next(c for c in gender.contrasts if (c.kind, c.event_type) ==
                  ("received", "interruption"))
    assert received.chosen == chosen.ratio.ratio and received.chosen_conclusive
    assert received.low <= received.chosen <= received.high
    assert received.conclusive_configs == 18 and received.defined_configs == 18
    m1_w1 = heads["interruptions", "M1->W1"]
    assert m1_w1.low == 0.0 and m1_w1.high >= m1_w1.chosen > 0
