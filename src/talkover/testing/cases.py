"""The team's annotated real recordings: where they lie next to a source checkout, and which
folders of them are cases.

A case is a folder ``<name>/`` holding the human reference ``<name>/<name>.rttm``, usually with
the recording ``<name>/<name>.wav`` (the layout :func:`talkover.testing.load_voice_bank` reads).
The tests and the benchmarks list them here; both skip or stop, saying so, where the folder is
absent.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["SHARED_REAL", "SHARED_REAL_ENV", "real_cases", "shared_real_root"]

#: Environment variable that names the cases folder outright.
SHARED_REAL_ENV = "TALKOVER_SHARED_REAL"
_BELOW_SHARED = Path("shared") / "bench" / "real"


def shared_real_root() -> Path:
    """Where the team's real cases are expected.

    In order: the folder named by ``$TALKOVER_SHARED_REAL``; ``../shared/bench/real`` beside
    the source checkout this module lies in (an editable install; ``src/talkover/testing/`` is
    three levels below the repository root), when that exists; else ``../shared/bench/real``
    beside the current directory (a repository root, with talkover installed from it).
    """
    if os.environ.get(SHARED_REAL_ENV):
        return Path(os.environ[SHARED_REAL_ENV])
    beside_checkout = Path(__file__).resolve().parents[3].parent / _BELOW_SHARED
    if beside_checkout.is_dir():
        return beside_checkout
    return Path.cwd().resolve().parent / _BELOW_SHARED


#: :func:`shared_real_root` when talkover was imported. Absent on machines without the team's
#: data: tests that need it skip, saying where they looked.
SHARED_REAL = shared_real_root()


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
