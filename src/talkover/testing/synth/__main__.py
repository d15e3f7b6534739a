"""Write a set of synthetic conversations.

    python -m talkover.testing.synth --bank ../shared/bench/real --out DIR --count 20 --seed 0

Conversation i gets seed ``seed + i`` and 2, 3, 4, 2, ... speakers. Each is written as
``<uri>.wav``, ``<uri>.rttm`` and ``<uri>.events.json``; ``index.json`` lists them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from talkover.errors import InputError
from talkover.testing.synth.conversation import write_set
from talkover.testing.voices import load_voice_bank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m talkover.testing.synth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", required=True, type=Path,
                        help="folder of annotated cases to cut voices from")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--count", type=int, default=20, help="number of conversations")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first conversation")
    parser.add_argument("--duration", type=float, default=60.0, help="target length (s)")
    parser.add_argument("--speakers", type=int, choices=(2, 3, 4), default=None,
                        help="speakers per conversation (default: cycle 2, 3, 4)")
    args = parser.parse_args(argv)
    try:
        bank = load_voice_bank(args.bank)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def written(row: dict) -> None:
        print(f"{args.out / row['wav']}  {row['num_speakers']} speakers  "
              f"{row['duration_s']:.1f} s  {row['planted']} events")

    write_set(bank, args.out, count=args.count, first_seed=args.seed, duration_s=args.duration,
              num_speakers=args.speakers, on_write=written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
