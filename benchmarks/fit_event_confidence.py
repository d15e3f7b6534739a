"""Fit the event confidence model (talkover.events.confidence) and measure its reliability.

For every case of a set: the cached diarizer timeline (``benchmarks/events.py`` writes them to
``--hyp-dir/talkover/<uri>.rttm``), cleaned as the pipeline cleans it
(:func:`talkover.cleanup.clean_timeline`), gives events; an event is *correct* when
``talkover eval`` matches it to a reference event (same type, mapped speakers, onset within
1 s). A logistic regression (scikit-learn, L2; C chosen by 5-fold cross-validation over the
files, see :func:`choose_c`) on :data:`talkover.events.confidence.FEATURE_NAMES` is fitted on
the synthetic set and ``--extra`` (another synthetic set with other seeds, e.g.
``synthetic_set.py --first-seed 3000``) only; the held-back synthetic set and the real cases
check it. ``--update`` writes the fitted constants into ``src/talkover/events/confidence.py``;
``--write`` writes the reliability tables.

    python benchmarks/fit_event_confidence.py --hyp-dir DIR [--heldout DIR] [--update]
        [--write out.md]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from synthetic_set import DEFAULT_OUT
from talkover import EventConfig, analyze_timeline, read_rttm
from talkover.cleanup import clean_timeline
from talkover.evaluation.diarization import optimal_mapping
from talkover.evaluation.events import match_events
from talkover.events import confidence
from talkover.testing import SHARED_REAL, real_cases
from talkover.units import Units

REPO = Path(__file__).resolve().parents[1]

BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


def set_cases(real: Path, synthetic: Path, heldout: Path | None, extra: Path | None = None
              ) -> dict[str, list[tuple]]:
    """Set name -> [(uri, reference rttm)]."""
    sets = {"real": [(p.name, p / f"{p.name}.rttm") for p in real_cases(real)]}
    for name, root in (("synthetic", synthetic), ("extra", extra), ("heldout", heldout)):
        if root is not None and (root / "index.json").is_file():
            rows = json.loads((root / "index.json").read_text(encoding="utf-8"))
            sets[name] = [(r["uri"], root / r["rttm"]) for r in rows]
    return sets


def labelled_events(cases: list[tuple], hyp_dir: Path
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (events, features), correctness (events,) and file index (events,) of every
    event of the cases."""
    config = EventConfig()
    xs, ys, files = [], [], []
    for index, (uri, rttm) in enumerate(cases):
        hyp_path = hyp_dir / f"{uri}.rttm"
        if not hyp_path.is_file():
            continue
        ref = read_rttm(rttm)
        hyp = clean_timeline(read_rttm(hyp_path))
        analysis = analyze_timeline(hyp, config=config)
        ref_events = analyze_timeline(ref, config=config).events
        pairs = match_events(ref_events, analysis.events, mapping=optimal_mapping(ref, hyp))
        correct = {h for _, h in pairs}
        units = Units.build(analysis.timeline, min_pause_s=config.min_pause_s)
        talk = {s: sum(x.duration_s for x in hyp.speech_of(s)) for s in hyp.speakers}
        for j, event in enumerate(analysis.events):
            x = confidence.event_features(event, units, talk, config,
                                          num_speakers=len(hyp.speakers))
            if x is not None:
                xs.append(x)
                ys.append(j in correct)
                files.append(index)
    width = len(confidence.FEATURE_NAMES)
    return np.array(xs, dtype=float).reshape(-1, width), np.array(ys), np.array(files)


def choose_c(x: np.ndarray, y: np.ndarray, files: np.ndarray) -> tuple[float, list[str]]:
    """The regularisation C, chosen by 5-fold cross-validation over the synthetic files.

    Among the C whose out-of-fold events with confidence >= 0.8 are right at least 80% of the
    time (the promise the confidence makes), the one with the best log-loss; the best log-loss
    overall when none keeps the promise. Also returns the table of what each C gave.
    """
    from sklearn.metrics import log_loss
    from sklearn.model_selection import GroupKFold

    rows, keeps, losses = ["| C | log-loss | events >= 0.8 | right |", "|---|---|---|---|"], [], {}
    for c in C_GRID:
        p = np.zeros(len(y))
        for train, test in GroupKFold(n_splits=5).split(x, y, files):
            model = LogisticRegression(C=c, max_iter=5000).fit(x[train], y[train])
            p[test] = model.predict_proba(x[test])[:, 1]
        losses[c] = log_loss(y, p)
        high = p >= 0.8
        right = float(y[high].mean()) if high.any() else float("nan")
        if high.sum() >= 10 and right >= 0.8:
            keeps.append(c)
        rows.append(f"| {c:g} | {losses[c]:.3f} | {int(high.sum())} | {right:.2f} |")
    best = min(keeps or losses, key=losses.get)
    return best, rows


def reliability(p: np.ndarray, y: np.ndarray) -> list[str]:
    """Markdown rows: per confidence bin, events, mean confidence, fraction correct."""
    rows = []
    for lo, hi in zip(BINS[:-1], BINS[1:], strict=True):
        sel = (p >= lo) & (p < hi)
        n = int(sel.sum())
        acc = f"{y[sel].mean():.2f}" if n else "-"
        mean = f"{p[sel].mean():.2f}" if n else "-"
        rows.append(f"| {lo:.1f}-{min(hi, 1.0):.1f} | {n} | {mean} | {acc} |")
    hi_sel = p >= 0.8
    n = int(hi_sel.sum())
    rows.append(f"| **>= 0.8** | **{n}** | {p[hi_sel].mean():.2f} | **{y[hi_sel].mean():.2f}** |"
                if n else "| **>= 0.8** | 0 | - | - |")
    return rows


def update_constants(model: LogisticRegression) -> None:
    path = REPO / "src" / "talkover" / "events" / "confidence.py"
    text = path.read_text(encoding="utf-8")
    weights = [f"{w:.4f}," for w in model.coef_[0]]
    coefs = "\n    ".join(" ".join(weights[i:i + 8]) for i in range(0, len(weights), 8))
    text = re.sub(r"COEFFICIENTS: tuple\[float, \.\.\.\] = \([^)]*\)[^\n]*",
                  f"COEFFICIENTS: tuple[float, ...] = (\n    {coefs}\n)", text, count=1)
    text = re.sub(r"INTERCEPT: float = [-0-9.e]+", f"INTERCEPT: float = {model.intercept_[0]:.4f}",
                  text, count=1)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=SHARED_REAL)
    parser.add_argument("--synthetic", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--heldout", type=Path, default=None)
    parser.add_argument("--extra", type=Path, default=None,
                        help="another synthetic set (other seeds) to fit on as well")
    parser.add_argument("--hyp-dir", type=Path, default=REPO / "benchmarks" / "out" / "hyp")
    parser.add_argument("--update", action="store_true", help="write the constants into the code")
    parser.add_argument("--write", type=Path, default=None, help="write the tables (markdown)")
    args = parser.parse_args(argv)
    hyp_dir = args.hyp_dir / "talkover"
    sets = set_cases(args.real, args.synthetic, args.heldout, args.extra)
    data = {name: labelled_events(cases, hyp_dir) for name, cases in sets.items()}
    fit_sets = [data[n] for n in ("synthetic", "extra") if n in data]
    x = np.concatenate([d[0] for d in fit_sets])
    y = np.concatenate([d[1] for d in fit_sets])
    files = np.concatenate([d[2] + 1000 * i for i, d in enumerate(fit_sets)])
    c, cv_rows = choose_c(x, y, files)
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    lines = ["| feature | weight |", "|---|---|"]
    lines += [f"| {n} | {w:+.3f} |" for n, w in zip(confidence.FEATURE_NAMES, model.coef_[0],
                                                      strict=True)]
    lines += [f"| intercept | {model.intercept_[0]:+.3f} |", "",
              f"C = {c:g} (L2), chosen by 5-fold cross-validation over the synthetic files: the "
              "best out-of-fold log-loss among the C whose out-of-fold events with confidence "
              ">= 0.8 were right at least 80% of the time:", "", *cv_rows, ""]
    for name, (xs, ys, _) in data.items():
        if not len(ys):
            continue
        p = model.predict_proba(xs)[:, 1]
        lines += [f"{name} ({len(ys)} events, {ys.mean():.0%} correct"
                  f"{', fitted here' if name in ('synthetic', 'extra') else ''}):", "",
                  "| confidence | events | mean confidence | correct |", "|---|---|---|---|",
                  *reliability(p, ys), ""]
    text = "\n".join(lines)
    print(text)
    if args.update:
        update_constants(model)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
