"""Write a set of synthetic conversations.

    python -m talkover.testing.synth --bank ../shared/bench/real --out DIR --count 20 --seed 0

Conversation i gets seed ``seed + i`` and 2, 3, 4, 2, ... speakers. Each is written as
``<uri>.wav``, ``<uri>.rttm`` and ``<uri>.events.json``; ``index.json`` lists them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from talkover.errors import InputError
from talkover.testing.synth.conversation import build_conversation
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
    index = []
    for i in range(args.count):
        n = args.speakers or 2 + i % 3
        conv = build_conversation(bank, seed=args.seed + i, num_speakers=n,
                                  duration_s=args.duration)
        wav, rttm, events = conv.write(args.out)
        index.append({"uri": conv.uri, "wav": wav.name, "rttm": rttm.name,
                      "events": events.name, "num_speakers": n,
                      "duration_s": round(conv.duration_s, 3),
                      "planted": len(conv.planted)})
        print(f"{wav}  {n} speakers  {conv.duration_s:.1f} s  {len(conv.planted)} events")
    (args.out / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
