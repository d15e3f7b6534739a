"""``talkover eval``: score a hypothesis annotation against a reference annotation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from talkover.cli.common import EXIT_OK, add_threshold_flags, config_from_args
from talkover.errors import FormatError, InputError
from talkover.events.types import EVENT_TYPES
from talkover.export.json import escape_c1
from talkover.files import path_kind
from talkover.formats import ANNOTATION_READERS, is_annotation, read_annotation
from talkover.report.terminal import terminal_safe
from talkover.timeline import SpeakerTimeline

if TYPE_CHECKING:  # talkover.evaluation imports scipy: only when eval runs
    from talkover.evaluation import EvaluationResult

__all__ = ["register", "run", "format_evaluation"]


def register(commands: argparse._SubParsersAction) -> None:
    formats = ", ".join(sorted(ANNOTATION_READERS))
    parser = commands.add_parser(
        "eval",
        help="score a diarization/event hypothesis against a reference",
        description="DER (collar 0, overlap scored), JER, overlapped-speech precision/recall and "
        "event precision/recall/F1 per type. Hypothesis speakers are mapped to reference "
        "speakers by the optimal DER mapping; events match on type, both speakers and onset. "
        f"Annotation formats: {formats}.",
    )
    parser.add_argument(
        "--ref", required=True, metavar="REF",
        help="reference annotation, or a folder of them (a corpus: files paired by uri, the "
        "file stem)",
    )
    parser.add_argument(
        "--hyp", required=True, metavar="HYP",
        help="hypothesis annotation, or (with a folder --ref) a folder of them or a store "
        "made by talkover batch",
    )
    parser.add_argument(
        "--onset-tolerance",
        type=float,
        default=1.0,
        metavar="S",
        dest="onset_tolerance_s",
        help="largest onset difference of matching events (default 1.0)",
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    add_threshold_flags(parser)
    parser.set_defaults(run=run)


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{100 * value:6.1f}"


def format_evaluation(result: EvaluationResult) -> str:
    """A readable table of the scores (percentages)."""
    d = result.diarization
    lines = [
        f"DER  {_pct(d.der)} %  (miss {d.miss_s:.2f} s, false alarm {d.false_alarm_s:.2f} s, "
        f"confusion {d.confusion_s:.2f} s, of {d.total_s:.2f} s reference speech)",
        f"JER  {_pct(result.jaccard.jer)} %",
        f"overlapped speech  precision {_pct(result.overlap.precision)} %  recall "
        f"{_pct(result.overlap.recall)} %  F1 {_pct(result.overlap.f1)} %  "
        f"(ref {result.overlap.num_ref:.2f} s, hyp {result.overlap.num_hyp:.2f} s)",
        "",
        f"{'event':<20} {'ref':>4} {'hyp':>4} {'hit':>4} {'prec %':>7} {'rec %':>7} {'F1 %':>7}",
    ]
    for t in EVENT_TYPES:
        e = result.events.get(t)
        if e is None:
            continue
        lines.append(
            f"{t:<20} {e.num_ref:4.0f} {e.num_hyp:4.0f} {e.hits:4.0f} "
            f"{_pct(e.precision):>7} {_pct(e.recall):>7} {_pct(e.f1):>7}"
        )
    lines.append(f"{'macro F1 (overlap events)':<42} {_pct(result.event_macro_f1):>7}")
    if result.mapping:
        pairs = ", ".join(f"{h} -> {r}" for h, r in sorted(result.mapping.items()))
        lines.append(f"speaker mapping: {pairs}")
    return terminal_safe("\n".join(lines) + "\n")


def _read(path: str) -> SpeakerTimeline:
    """:func:`read_annotation`; a recording (eval reads annotations) is told how to get one."""
    try:
        return read_annotation(path)
    except FormatError as exc:
        if path_kind(path) == "file" and not is_annotation(path):  # the extension is not ours
            raise InputError(
                f"{exc} (to score a recording, diarize it first: "
                f"talkover diarize {path} -o {Path(path).stem}.rttm)"
            ) from exc
        raise


def run(args: argparse.Namespace) -> int:
    from talkover.evaluation import check_onset_tolerance, evaluate

    if Path(args.ref).is_dir():
        return _run_corpus(args)
    config = config_from_args(args)
    check_onset_tolerance(args.onset_tolerance_s, name="--onset-tolerance")  # before reading
    reference = _read(args.ref)
    hypothesis = _read(args.hyp)
    result = evaluate(
        reference, hypothesis, config=config, onset_tolerance_s=args.onset_tolerance_s
    )
    if args.json:
        payload = {"reference": args.ref, "hypothesis": args.hyp, **result.to_dict()}
        sys.stdout.write(escape_c1(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n")
    else:
        sys.stdout.write(format_evaluation(result))
    return EXIT_OK


def _run_corpus(args: argparse.Namespace) -> int:
    """A folder of references: a corpus (:mod:`talkover.cli.eval_corpus`)."""
    from talkover.cli.eval_corpus import run_corpus

    if not Path(args.hyp).is_dir():
        raise InputError(
            f"--hyp {args.hyp}: --ref is a folder (a corpus), so --hyp must be a folder of "
            "annotations or a store"
        )
    return run_corpus(args)
