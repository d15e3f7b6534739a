from __future__ import annotations

from pathlib import Path

import pytest

from talkover.testing import SHARED_REAL


@pytest.fixture
def shared_real() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip(f"shared benchmark data not found at {SHARED_REAL} (only on team machines/CI)")
    return SHARED_REAL
