"""The exact conditional interval and test for a ratio of Poisson rates."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from talkover.metrics.rate_ratio import compare_rates


def test_textbook_values() -> None:
    # 20 events in 10 min against 10 in 10 min: the conditional binomial is Bin(30, 1/2).
    r = compare_rates(20, 600.0, 10, 600.0)
    assert r.rate_a_per_min == pytest.approx(2.0) and r.rate_b_per_min == pytest.approx(1.0)
    assert r.ratio == pytest.approx(2.0)
    assert r.p_value == pytest.approx(stats.binomtest(20, 30, 0.5).pvalue)
    ci = stats.binomtest(20, 30).proportion_ci(0.95, method="exact")
    assert r.ci_low == pytest.approx(ci.low / (1 - ci.low))
    assert r.ci_high == pytest.approx(ci.high / (1 - ci.high))
    assert r.bootstrap_low < r.ratio < r.bootstrap_high


def test_exposures_scale_the_ratio() -> None:
    # The same counts over half the exposure for a: twice the rate ratio.
    base, half = compare_rates(12, 600.0, 8, 600.0), compare_rates(12, 300.0, 8, 600.0)
    assert half.ratio == pytest.approx(2 * base.ratio)
    assert half.ci_low == pytest.approx(2 * base.ci_low)
    assert half.ci_high == pytest.approx(2 * base.ci_high)


@pytest.mark.parametrize("a", range(0, 31))
def test_p_value_agrees_with_interval(a: int) -> None:
    r = compare_rates(a, 700.0, 30 - a, 500.0, bootstrap_draws=0)
    excludes_one = r.ci_low > 1 or r.ci_high < 1
    assert excludes_one == (r.p_value < 0.05)


def test_edges() -> None:
    none = compare_rates(0, 60.0, 0, 60.0)
    assert none.ratio is None and none.ci_low is None and none.p_value is None
    no_floor = compare_rates(3, 0.0, 2, 60.0)
    assert no_floor.ratio is None and no_floor.rate_a_per_min is None
    only_a = compare_rates(5, 60.0, 0, 60.0)
    assert math.isinf(only_a.ratio) and math.isinf(only_a.ci_high) and only_a.ci_low > 0
    only_b = compare_rates(0, 60.0, 5, 60.0)
    assert only_b.ratio == 0.0 and only_b.ci_low == 0.0 and only_b.ci_high < math.inf
