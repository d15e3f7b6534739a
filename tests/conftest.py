from __future__ import annotations

from pathlib import Path

import pytest

from talkover.testing import SHARED_REAL, real_cases

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
