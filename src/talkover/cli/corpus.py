"""``talkover corpus``: pooled statistics of a store's recordings (docs/batch.md)."""

from __future__ import annotations

import argparse
import json
import sys

from talkover.cli.common import EXIT_OK
from talkover.errors import ConfigError

__all__ = ["register", "run", "format_statistics"]

#: Most units a text table lists (``--json`` lists all).
MAX_ROWS = 25
#: Most units the text matrix shows.
MAX_MATRIX = 10
#: Longest label a text table shows.
MAX_LABEL = 40


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "corpus",
        help="pooled statistics of a store: per speaker, per group, who interrupts whom",
        description="Pool every done recording of a store (made by talkover batch): per "
        "speaker (by name when named) and per group or metadata value, talk and floor time, "
        "interruptions, backchannels and overlaps made and received per minute of floor time, "
        "with 95%% intervals from a cluster bootstrap over recordings; the pooled "
        "who-interrupts-whom matrix; failed and pending recordings named.",
    )
    parser.add_argument("store", metavar="DIR", help="a store folder (talkover batch --store)")
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    parser.add_argument(
        "--by", metavar="COLUMN",
        help="break down by this group attribute (group_gender, or just gender) or metadata "
        "column of the manifest CSV (site); default: every group attribute",
    )
    parser.add_argument(
        "--version", choices=("corrected", "automatic"), default="corrected",
        help="corrected (default): a recording reviewed in talkover serve counts with its "
        "corrected version; automatic: the automatic analyses only",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from talkover.corpus import open_corpus

    corpus = open_corpus(args.store, version=args.version)
    by = args.by
    columns = set(corpus.frames()["speakers"].columns)
    if by is not None and by not in columns and f"group_{by}" in columns:
        by = f"group_{by}"
    try:
        stats = corpus.statistics(by=by)
    except KeyError as exc:
        raise ConfigError(f"--by: {exc.args[0]}") from None
    if args.json:
        from talkover.export.json import escape_c1

        sys.stdout.write(escape_c1(json.dumps(stats.to_dict(), indent=2, ensure_ascii=False))
                         + "\n")
    else:
        sys.stdout.write(format_statistics(stats))
    return EXIT_OK


def _rate(rate) -> str:  # noqa: ANN001 - a CorpusRate
    if rate.per_min is None:
        return "-"
    if rate.ci_low is None:
        return f"{rate.per_min:.2f}"
    return f"{rate.per_min:.2f} ({rate.ci_low:.2f}-{rate.ci_high:.2f})"


def _width(labels: list[str]) -> int:
    return min(MAX_LABEL, max([6, *(len(x) for x in labels)]))


def _table(breakdown, title: str) -> list[str]:  # noqa: ANN001 - a Breakdown
    shown = breakdown.units[:MAX_ROWS]
    w = _width([u.label for u in shown])
    lines = [title]
    header = (f"  {'':<{w}} {'recs':>5} {'talk min':>9} {'floor min':>9}  "
              f"{'interrupts/min':<18} {'interrupted/min':<18} {'backchannels/min':<18} "
              f"{'overlaps/min'}")
    lines.append(header)
    for unit in shown:
        lines.append((
            f"  {unit.label[:w]:<{w}} {unit.recordings:>5} {unit.talk_time_s / 60:>9.1f} "
            f"{unit.floor_time_s / 60:>9.1f}  {_rate(unit.interruptions_made):<18} "
            f"{_rate(unit.interruptions_received):<18} {_rate(unit.backchannels_made):<18} "
            f"{_rate(unit.overlaps_made)}"
        ).rstrip())
    if len(breakdown.units) > MAX_ROWS:
        lines.append(f"  ... and {len(breakdown.units) - MAX_ROWS} more (--json lists all)")
    if breakdown.unassigned:
        lines.append(f"  ({breakdown.unassigned} speaker(s) without a value left out)")
    return lines


def _matrix(stats) -> list[str]:  # noqa: ANN001 - CorpusStatistics
    if not stats.matrix:
        return []
    units = (stats.speakers.units if stats.matrix_by == "speaker"
             else next(b.units for b in stats.breakdowns if b.by == stats.matrix_by))
    labels = [u.label for u in units[:MAX_MATRIX]]
    cells = {(c.by, c.of): c.interruptions for c in stats.matrix}
    lines = [f"Who interrupts whom ({stats.matrix_by}; interruptions pooled, rows interrupt "
             "columns):"]
    for i, label in enumerate(labels, start=1):
        lines.append(f"  {i:>3}  {label}")
    lines.append("  " + " " * 5 + "".join(f"{i:>6}" for i in range(1, len(labels) + 1)))
    for i, a in enumerate(labels, start=1):
        row = "".join(f"{'-' if a == b else cells.get((a, b), 0):>6}" for b in labels)
        lines.append(f"  {i:>3}  {row}")
    if len(units) > MAX_MATRIX:
        lines.append(f"  (the {MAX_MATRIX} with the most talk time; --json has every pair)")
    return lines


def format_statistics(stats) -> str:  # noqa: ANN001 - CorpusStatistics
    """A readable report of :class:`~talkover.corpus.CorpusStatistics` (control characters in
    names escaped)."""
    from talkover.report.terminal import terminal_safe

    lines = [f"{stats.store}: {stats.recordings} recording(s), {stats.done} done, "
             f"{len(stats.failed)} failed, {len(stats.pending)} pending"
             + (f", {len(stats.reviewed)} counted as corrected in review"
                if stats.reviewed else "")]
    for uri, error in stats.failed:
        lines.append(f"  failed: {uri}: {error}")
    if stats.pending:
        lines.append(f"  pending: {', '.join(stats.pending)}")
    if not stats.done:
        lines.append("no done recordings: nothing to pool")
        return terminal_safe("\n".join(lines) + "\n")
    lines.append("")
    lines += [
        "Rates per minute of floor time (received: of the unit's own floor; made: of the floor "
        "others held),",
        f"with {stats.level:.0%} intervals from a cluster bootstrap over recordings "
        f"({stats.draws} draws, seed {stats.seed}); a unit in one recording has none.", "",
    ]
    lines += _table(stats.speakers, "Per speaker:")
    for breakdown in stats.breakdowns:
        lines += ["", *_table(breakdown, f"By {breakdown.by}:")]
    matrix = _matrix(stats)
    if matrix:
        lines += ["", *matrix]
    return terminal_safe("\n".join(lines) + "\n")
