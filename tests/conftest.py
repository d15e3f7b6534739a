from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from talkover.testing import SHARED_REAL, real_cases

# Property-based tests (tests/fuzz, tests/evaluation/test_scaling.py): a short run in `make test`,
# a long one with HYPOTHESIS_PROFILE=nightly (docs/testing.md).
settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

MISSING_SHARED = f"shared benchmark data not found at {SHARED_REAL} (only on team machines/CI)"


def real_case_params(limit: int | None = None) -> list:
    """The shared real cases for ``parametrize`` (the first ``limit``), or one skipped
    parameter that says where they were looked for (not pytest's bare "empty parameter set")."""
    cases = real_cases()[:limit]
    if cases:
        return cases
    return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING_SHARED), id="no-shared-data")]


@pytest.fixture
def shared_real() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip(MISSING_SHARED)
    return SHARED_REAL
