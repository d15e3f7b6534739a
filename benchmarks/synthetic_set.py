"""Generate the fixed synthetic benchmark set into benchmarks/out/synthetic/ (ignored by git).

20 conversations of about 60 s, seeds 1000-1019, 2, 3, 4, 2, ... speakers, voices cut from the
shared real cases (``--bank``, default ``../shared/bench/real``). The same bank and seeds give
the same files byte for byte.

    python benchmarks/synthetic_set.py [--bank DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

from talkover.testing import SHARED_REAL
from talkover.testing.synth import write_set
from talkover.testing.voices import VoiceBank, load_voice_bank

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "out" / "synthetic"
FIRST_SEED = 1000
COUNT = 20
DURATION_S = 60.0


@cache
def voice_bank(root: Path) -> VoiceBank:
    """The bank cut from ``root``, once per process (events.py may generate two sets from it)."""
    return load_voice_bank(root)


def generate(bank_root: Path, out: Path, *, count: int = COUNT, first_seed: int = FIRST_SEED
             ) -> list[dict]:
    """Write the set and its ``index.json``; return the index rows."""
    return write_set(voice_bank(bank_root), out, count=count, first_seed=first_seed,
                     duration_s=DURATION_S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", type=Path, default=SHARED_REAL)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED,
                        help="a held-back set takes other seeds (e.g. 2000)")
    args = parser.parse_args(argv)
    if not args.bank.is_dir():
        print(f"error: voice bank folder {args.bank} not found", file=sys.stderr)
        return 2
    rows = generate(args.bank, args.out, count=args.count, first_seed=args.first_seed)
    total = sum(r["duration_s"] for r in rows)
    print(f"wrote {len(rows)} conversations ({total / 60:.1f} min) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
