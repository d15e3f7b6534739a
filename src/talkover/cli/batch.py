"""``talkover batch``: analyse many recordings into one store, resumably (docs/batch.md)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from talkover.cli.cast_flags import add_cast_flags
from talkover.cli.common import EXIT_FAILED, EXIT_OK, add_threshold_flags, config_from_args, say
from talkover.cli.diarize import add_diarization_flags, check_diarization_flags
from talkover.errors import ConfigError
from talkover.formats import INPUT_FORMATS

__all__ = ["register", "run", "ProgressBar", "EXIT_INTERRUPTED"]

#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "batch",
        help="analyse many recordings into one store (resumable; local workers or Ray)",
        description="Analyse every recording and annotation INPUT names into the store DIR: "
        "one Analysis JSON per recording, a SQLite manifest and Parquet tables (docs/batch.md). "
        "A rerun skips what is done and unchanged, re-derives events when only event options "
        "changed, and redoes what was interrupted. A recording that fails is listed at the end "
        "and the others go on; exit 1 when any failed, 0 when all are done.",
    )
    parser.add_argument(
        "input", metavar="INPUT", nargs="*",
        help="files, folders (searched recursively), quoted globs ('calls/**/*.wav') or a "
        "manifest CSV with a 'path' column; none: finish what the store has queued",
    )
    parser.add_argument("--store", required=True, metavar="DIR",
                        help="the store folder (created when missing)")
    parser.add_argument(
        "--workers", type=int, metavar="N",
        help="worker processes (or Ray actors), each loading the models once; torch threads "
        f"are split so that workers x threads <= cores (default {default_workers()})",
    )
    parser.add_argument(
        "--ray", nargs="?", const="local", metavar="ADDRESS",
        help="run the workers as Ray actors: a local Ray instance, or the cluster at ADDRESS "
        "(needs pip install 'talkover[ray]')",
    )
    parser.add_argument(
        "--ship-inputs", action="store_true",
        help="with --ray ADDRESS: send each input's bytes to the workers (when the cluster "
        "cannot read the input paths)",
    )
    parser.add_argument("--retry-failed", action="store_true",
                        help="analyse recordings that failed before again")
    parser.add_argument(
        "--forget", action="append", default=[], metavar="URI",
        help="remove this recording from the store (its row, analysis, tables and review); "
        "repeatable; before any INPUT is analysed",
    )
    parser.add_argument(
        "--forget-missing", action="store_true",
        help="remove every recording whose file is gone (moved files keep their recording "
        "when INPUT names their new place: give INPUT too)",
    )
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no plan line and no progress bar on stderr")
    parser.add_argument(
        "--input-format", choices=sorted(INPUT_FORMATS), metavar="NAME",
        help="read every INPUT as this annotation format whatever its extension",
    )
    add_threshold_flags(parser)
    add_diarization_flags(parser.add_argument_group("diarization (recordings only)"))
    add_cast_flags(parser)
    parser.set_defaults(run=run)


def default_workers() -> int:
    """Half the cores (at least 1): each worker then runs two torch threads."""
    return max(1, (os.cpu_count() or 1) // 2)


def run(args: argparse.Namespace) -> int:
    from talkover.batch import AnalysisOptions, Runner, find_requests
    from talkover.store import Store

    options = AnalysisOptions(
        config=config_from_args(args), num_speakers=args.num_speakers,
        min_speakers=args.min_speakers, max_speakers=args.max_speakers,
        speakers=args.speakers, cast=str(Path(args.cast).resolve()) if args.cast else None,
        groups=tuple(args.groups), sensitivity=args.sensitivity, input_format=args.input_format,
    )
    _check_flags(args, options)
    requests = find_requests(args.input, options) if args.input else []
    workers = args.workers or default_workers()
    forgetting = bool(args.forget or args.forget_missing)
    if forgetting and not args.input:  # only that: no worker started, nothing queued run
        with Store.open(args.store) as store:
            forgot = _forget(store, args.forget) + (
                _forget_missing(store, keep=()) if args.forget_missing else [])
        _say_forgot(forgot, quiet=args.quiet)
        return EXIT_OK
    # without INPUT there is nothing to create: a mistyped --store is an error, not a new store
    with (Store.open(args.store, create=bool(args.input)) as store,
          _executor(args, workers) as executor):
        runner = Runner(store, executor, retry_failed=args.retry_failed)
        forgot = _forget(store, args.forget)
        plan = runner.resume() if not args.input else runner.plan(requests)
        if args.forget_missing:  # after the plan: a moved file has its row's path by now
            forgot += _forget_missing(store, keep=set(plan.uris))
        if forgetting:
            _say_forgot(forgot, quiet=args.quiet)
        bar = ProgressBar(plan.jobs, sys.stderr, enabled=not args.quiet,
                          plain=not sys.stderr.isatty())
        runner.on_update = bar.update
        _say_plan(plan, store.path, quiet=args.quiet)
        try:
            runner.start(plan)
            runner.run()
        except KeyboardInterrupt:
            bar.finish()
            store.manifest.requeue_running()
            queued = sum(r.status == "queued" for r in runner.statuses(plan).values())
            say(f"talkover: interrupted; {queued} recording(s) left queued: rerun the same "
                "command to finish them")
            return EXIT_INTERRUPTED
        bar.finish()
        rows = runner.statuses(plan)
        failed = runner.failed(plan)
        gone = [r.uri for r in store.recordings(status="done")
                if r.uri not in rows and not os.path.lexists(r.path)]
    done = sum(r.status == "done" for r in rows.values())
    from talkover.report.terminal import terminal_safe

    print(terminal_safe(f"{len(rows)} recording(s) in {args.store}: {done} done, "
                        f"{len(failed)} failed"))
    analysed = {p.uri for p in plan.items if p.stage is not None}
    for row in rows.values():
        if row.uri in analysed:
            for warning in row.warnings:
                say(f"talkover: warning: {row.uri}: {warning}")
    for row in failed:
        say(f"talkover: failed: {row.uri}: {row.error}")
    if failed:
        say("talkover: rerun with --retry-failed to try the failed recordings again")
    if gone and args.input:
        say(f"talkover: note: {len(gone)} done recording(s) of the store have no file any more "
            f"and still count in talkover corpus: {_listed(gone)}")
    return EXIT_OK if done == len(rows) else EXIT_FAILED


def _forget(store, uris: list[str]) -> list[str]:  # noqa: ANN001 - a Store
    """Remove the recordings ``uris`` from the store.

    Raises
    ------
    ConfigError
        A uri the store does not have (nothing is removed then).
    """
    unknown = [u for u in dict.fromkeys(uris) if store.get(u) is None]
    if unknown:
        raise ConfigError(f"--forget: {store.path} has no recording {', '.join(unknown)}")
    for uri in dict.fromkeys(uris):
        store.remove(uri)
    return list(dict.fromkeys(uris))


def _forget_missing(store, *, keep) -> list[str]:  # noqa: ANN001 - a Store, a set of uris
    """Remove the recordings (but those of ``keep``) whose file is gone."""
    gone = [r.uri for r in store.recordings()
            if r.uri not in keep and not os.path.lexists(r.path)]
    for uri in gone:
        store.remove(uri)
    return gone


def _say_forgot(uris: list[str], *, quiet: bool) -> None:
    if not quiet:
        say(f"talkover: forgot {len(uris)} recording(s)" + (f": {_listed(uris)}" if uris else ""))


def _listed(uris: list[str], most: int = 10) -> str:
    more = f" and {len(uris) - most} more" if len(uris) > most else ""
    return ", ".join(uris[:most]) + more


def _check_flags(args: argparse.Namespace, options) -> None:  # noqa: ANN001
    """Refuse bad flags before any work (exit 2)."""
    from talkover.cast import Cast, load_cast, parse_group_spec

    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers must be >= 1, got {args.workers}")
    if args.ray not in (None, "local"):
        from talkover.batch.ray_executor import check_ray_address

        check_ray_address(args.ray)
    if args.ship_inputs and args.ray in (None, "local"):
        raise ConfigError("--ship-inputs applies only with --ray ADDRESS (a cluster)")
    if args.enroll or args.match_threshold is not None:
        flag = "--enroll" if args.enroll else "--match-threshold"
        raise ConfigError(f"batch does not match enrolled voices ({flag}); name speakers with "
                          "--speakers, --cast or a manifest CSV's speakers column")
    if args.speakers and args.cast:
        raise ConfigError("give either --speakers or --cast, not both")
    check_diarization_flags(args)
    if args.cast:
        cast = load_cast(args.cast)
        if any(m.voice for m in cast.members):
            raise ConfigError(f"{args.cast}: batch does not match enrolled voices (voice = ...)")
    if args.speakers is not None:
        Cast.from_names(args.speakers)
    for spec in options.groups:
        parse_group_spec(spec)


def _executor(args: argparse.Namespace, workers: int):  # noqa: ANN202 - an Executor
    if args.ray is None:
        from talkover.batch import LocalExecutor

        return LocalExecutor(workers=workers)
    from talkover.batch.ray_executor import RayExecutor

    address = None if args.ray == "local" else args.ray
    return RayExecutor(workers=workers, address=address, ship_inputs=args.ship_inputs)


def _say_plan(plan, store: Path, *, quiet: bool) -> None:  # noqa: ANN001
    if quiet:
        return
    parts = [f"{plan.count('full')} to analyse"]
    for action, words in (("events", "to re-derive events of"), ("skip", "done already"),
                          ("retable", "with new metadata"), ("failed", "failed before (skipped; "
                          "--retry-failed retries them)"), ("unreadable", "unreadable")):
        if n := plan.count(action):
            parts.append(f"{n} {words}")
    say(f"talkover: {len(plan.items)} recording(s) for {store}: {', '.join(parts)}")


class ProgressBar:
    """One line on stderr: recordings done/total, hours of audio, rate, ETA, failures.

    On a terminal the line is redrawn in place; otherwise (``plain``: a log file, nohup, CI)
    it is written as a new line at the first result, then at most every ``every_s`` seconds,
    and at the last, so that a long run's log shows it is alive without a line per file.
    """

    def __init__(self, total: int, stream: TextIO, *, enabled: bool, plain: bool = False,
                 every_s: float = 60.0) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 0
        self.plain = plain
        self.every_s = every_s
        self.done = self.failed = 0
        self.audio_s = 0.0
        self.started = time.monotonic()
        self._shown = False
        self._written_at: float | None = None

    def update(self, update: object) -> None:
        from talkover.batch import JobResult

        if isinstance(update, JobResult):
            self.done += 1
            self.failed += not update.ok
            self.audio_s += update.duration_s or 0.0
        self.show()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        filled = int(24 * self.done / self.total) if self.total else 24
        rate = self.done / elapsed * 60
        eta = ""
        if self.done:
            left = (self.total - self.done) * elapsed / self.done
            eta = f" | ETA {int(left // 60)}:{int(left % 60):02d}"
        failed = f" | {self.failed} failed" if self.failed else ""
        return (f"[{'#' * filled}{'.' * (24 - filled)}] {self.done}/{self.total} | "
                f"{self.audio_s / 3600:.2f} h audio | {rate:.1f}/min{eta}{failed}")

    def show(self) -> None:
        if not self.enabled:
            return
        if self.plain:
            now = time.monotonic()
            due = self._written_at is None or now - self._written_at >= self.every_s
            if self.done and (due or self.done == self.total):
                self.stream.write(self.line() + "\n")
                self.stream.flush()
                self._written_at = now
            return
        self.stream.write("\r" + self.line() + " ")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
