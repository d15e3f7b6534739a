"""``talkover eval --ref DIR --hyp DIR_OR_STORE``: score a corpus, per file and pooled."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from talkover.cli.common import EXIT_FAILED, EXIT_OK, say

if TYPE_CHECKING:
    from talkover.evaluation.corpus import CorpusEvaluation

__all__ = ["run_corpus", "format_corpus_evaluation", "rounded"]


def rounded(value: Any, digits: int = 6) -> Any:
    """``value`` with every float rounded (JSON output)."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    return value


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{100 * value:6.1f}"


def format_corpus_evaluation(evaluation: CorpusEvaluation) -> str:
    """Per-file scores, then the pooled ones (percentages), then what was not scored."""
    from talkover.cli.eval import format_evaluation
    from talkover.report.terminal import terminal_safe

    width = max([4, *(len(f.uri) for f in evaluation.files)])
    lines = [f"{'uri':<{width}}  {'DER %':>6}  {'ovl P %':>7}  {'ovl R %':>7}  "
             f"{'events':>6}  {'macro F1 %':>10}"]
    for f in evaluation.files:
        r = f.result
        events = sum(d.num_ref for d in r.events.values())
        lines.append(
            f"{f.uri:<{width}}  {_pct(r.diarization.der)}  {_pct(r.overlap.precision):>7}  "
            f"{_pct(r.overlap.recall):>7}  {events:6.0f}  {_pct(r.event_macro_f1):>10}"
        )
    lines += ["", f"pooled over {evaluation.pooled.num_files} file(s) (components summed):",
              format_evaluation(evaluation.pooled).rstrip("\n")]
    for uri in evaluation.missing_hypothesis:
        lines.append(f"not scored: {uri}: no hypothesis")
    for uri in evaluation.missing_reference:
        lines.append(f"not scored: {uri}: no reference")
    return terminal_safe("\n".join(lines) + "\n")


def _hypotheses(folder: str, references: Collection[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``{uri: path}``: a folder's annotation files, or a store's done analyses; and for a
    store, why a reference has none (``{uri: "failed: ..."}``).

    A store's recording pairs with the reference of its uri, or else with the reference named
    after its file (``Meeting 1.rttm`` for the store's ``Meeting_1`` from ``Meeting 1.wav``),
    when one recording alone has that file stem.
    """
    from pathlib import Path

    from talkover.evaluation.corpus import annotation_files
    from talkover.store import MARKER, Store

    if not (Path(folder) / MARKER).is_file():
        return annotation_files(folder), {}
    with Store.open(folder, readonly=True) as store:
        rows = {r.uri: r for r in store.recordings()}
        paths = {u: str(store.analysis_path(u)) for u in rows}
    stems: dict[str, list[str]] = {}
    for row in rows.values():
        stems.setdefault(Path(row.path).stem, []).append(row.uri)
    key = {u: u for u in rows}  # the reference uri each recording is scored against
    for reference in references:
        named = stems.get(reference, [])
        if reference not in rows and len(named) == 1 and named[0] not in references:
            key[named[0]] = reference
    found = {key[u]: paths[u] for u, row in rows.items() if row.status == "done"}
    why = {key[u]: row.status + (f": {row.error}" if row.error else "")
           for u, row in rows.items() if row.status != "done"}
    return found, why


def run_corpus(args: argparse.Namespace) -> int:
    """Score the folders ``--ref`` and ``--hyp``; exit 1 when a reference has no readable
    hypothesis (listed on stderr)."""
    from talkover.cli.eval import config_from_args
    from talkover.evaluation import check_onset_tolerance
    from talkover.evaluation.corpus import annotation_files, evaluate_corpus

    config = config_from_args(args)
    check_onset_tolerance(args.onset_tolerance_s, name="--onset-tolerance")
    references = annotation_files(args.ref)
    hypotheses, why = _hypotheses(args.hyp, references)
    evaluation = evaluate_corpus(references, hypotheses, config=config,
                                 onset_tolerance_s=args.onset_tolerance_s)
    if args.json:
        payload = {
            "reference": args.ref,
            "hypothesis": args.hyp,
            "pooled": evaluation.pooled.to_dict(),
            "files": [{"uri": f.uri, "reference": f.reference, "hypothesis": f.hypothesis,
                       **f.result.to_dict()} for f in evaluation.files],
            "missing_hypothesis": list(evaluation.missing_hypothesis),
            "missing_reference": list(evaluation.missing_reference),
            "failed": [{"uri": u, "error": e} for u, e in evaluation.failed],
        }
        from talkover.export.json import escape_c1

        text = json.dumps(rounded(payload), indent=2, ensure_ascii=False)
        sys.stdout.write(escape_c1(text) + "\n")
    else:
        sys.stdout.write(format_corpus_evaluation(evaluation))
    for uri, error in evaluation.failed:
        say(f"talkover: failed: {uri}: {error}")
    for uri in evaluation.missing_hypothesis:
        reason = f": {why[uri]}" if uri in why else ""
        say(f"talkover: no hypothesis for {uri} (in {args.hyp}{reason})")
    return EXIT_FAILED if evaluation.failed or evaluation.missing_hypothesis else EXIT_OK
