"""The team's annotated real recordings: where they lie next to a source checkout, and which
folders of them are cases.

A case is a folder ``<name>/`` holding the human reference ``<name>/<name>.rttm``, usually with
the recording ``<name>/<name>.wav`` (the layout :func:`talkover.testing.load_voice_bank` reads).
The tests and the benchmarks list them here; both skip or stop, saying so, where the folder is
absent.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SHARED_REAL", "real_cases"]

#: ``../shared/bench/real`` beside the repository root of a source checkout (``src/talkover/
#: testing/`` is three levels below it). Absent on machines without the team's data, and
#: meaningless in an installed copy.
SHARED_REAL = Path(__file__).resolve().parents[3].parent / "shared" / "bench" / "real"


def real_cases(root: Path = SHARED_REAL) -> list[Path]:
    """Case folders under ``root``, sorted by name.

    Parameters
    ----------
    root
        A folder of cases; by default :data:`SHARED_REAL`.

    Returns
    -------
    list of Path
        The sub-folders ``<name>`` of ``root`` that hold ``<name>.rttm``; empty when ``root``
        is not a folder.
    """
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / f"{p.name}.rttm").is_file())
