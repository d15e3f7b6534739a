"""Coverage of the group rate-ratio intervals on planted Poisson conversations.

Plants ``--runs`` seeded conversations (four speakers, two groups, interruptions as Poisson
processes with known per-group rates, see talkover.testing.poisson_conversation), analyses each,
and prints how often the exact 95% interval and the bootstrap interval cover the true received
and cross rate ratios. Results are in docs/groups.md.

    PYTHONPATH=src python benchmarks/group_rate_coverage.py --duration 3600 --runs 400
"""

from __future__ import annotations

import argparse

from talkover import analyze_timeline
from talkover.cast import Cast
from talkover.testing.poisson_conversation import plant_poisson_conversation

GROUPS = {"W1": "woman", "W2": "woman", "M1": "man", "M2": "man"}
RATES = {("man", "woman"): 2.0, ("woman", "man"): 1.0, ("woman", "woman"): 0.5,
         ("man", "man"): 0.5}
TRUTH = {"received": (2.0 + 0.5) / (1.0 + 0.5), "cross": 1.0 / 2.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    cast = Cast().with_groups(["gender:" + ",".join(f"{k}={v}" for k, v in GROUPS.items())])
    exact = dict.fromkeys(TRUTH, 0)
    boot = dict.fromkeys(TRUTH, 0)
    events = 0
    for seed in range(args.runs):
        planted = plant_poisson_conversation(
            groups=GROUPS, rates_per_min=RATES, duration_s=args.duration, seed=seed
        )
        (gender,) = analyze_timeline(planted.timeline, cast=cast).groups
        for c in gender.contrasts:
            if c.event_type != "interruption":
                continue
            r, truth = c.ratio, TRUTH[c.kind]
            exact[c.kind] += r.ci_low <= truth <= r.ci_high
            boot[c.kind] += (r.bootstrap_low or 0.0) <= truth <= (r.bootstrap_high or 0.0)
            events += r.events
    print("| duration | runs | mean events per contrast | contrast | exact 95% CI | bootstrap |")
    print("|---|---|---|---|---|---|")
    for kind in TRUTH:
        print(f"| {args.duration:.0f} s | {args.runs} | {events / (2 * args.runs):.1f} | {kind} "
              f"| {exact[kind] / args.runs:.3f} | {boot[kind] / args.runs:.3f} |")


if __name__ == "__main__":
    main()
