from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL = REPO.parent / "shared" / "bench" / "real"


def real_cases(root: Path = SHARED_REAL) -> list[Path]:
    """Folders of the real benchmark cases under ``root`` (those with ``<name>/<name>.rttm``;
    empty when ``root``, by default ../shared/bench/real, is absent)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / f"{p.name}.rttm").is_file())


@pytest.fixture
def shared_real() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip(f"shared benchmark data not found at {SHARED_REAL} (only on team machines/CI)")
    return SHARED_REAL
