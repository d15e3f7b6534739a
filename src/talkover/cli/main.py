"""``talkover`` command-line interface: parse, call the library, write.

Each command lives in its own module with ``register(commands)`` (adds its parser and sets
``run``) and ``run(args) -> exit code``.

Exit codes (as README.md says): 0 all went well, 1 a failure inside talkover, 2 bad usage or
bad input (an output path that cannot be written included), 130 interrupted (Ctrl-C; outputs
are renamed into place only once all are written, so nothing is left half-written).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from talkover._version import __version__
from talkover.cli import analyze, batch, corpus, diarize, enroll, live, serve
from talkover.cli import eval as eval_command
from talkover.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from talkover.errors import InputError, TalkoverError
from talkover.report.terminal import terminal_safe

__all__ = ["main", "build_parser"]

COMMANDS = (analyze, diarize, enroll, eval_command, batch, corpus, serve, live)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talkover",
        description="Who talks over whom: interruptions, backchannels and overlaps in a "
        "conversation.",
    )
    parser.add_argument("--version", action="version", version=f"talkover {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


class _WarningsToStderr(logging.Handler):
    """talkover's logged warnings and errors on stderr, like its own error messages
    (``sys.stderr`` is looked up at each message): a warning as one ``talkover: warning: ...``
    line; an error as ``talkover: error: ...`` with the exception's type and message, then
    its traceback (a logged exception is a failure nobody planned for: the traceback is what
    a report of it needs)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.levelno < logging.ERROR:
                sys.stderr.write(f"talkover: warning: {terminal_safe(record.getMessage())}\n")
                return
            line = f"talkover: error: {terminal_safe(record.getMessage())}"
            exc = record.exc_info[1] if record.exc_info else None
            if exc is not None:
                what = type(exc).__name__
                line += f" ({what}: {terminal_safe(str(exc))})" if str(exc) else f" ({what})"
            text = line + "\n"
            if record.exc_info and record.exc_info[2] is not None:
                text += logging.Formatter().formatException(record.exc_info) + "\n"
            sys.stderr.write(text)
        except Exception:  # logging's own policy for a handler that fails
            self.handleError(record)


def _show_warnings() -> None:
    log = logging.getLogger("talkover")
    if not any(isinstance(h, _WarningsToStderr) for h in log.handlers):
        log.addHandler(_WarningsToStderr(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        _show_warnings()
        code = int(args.run(args))
        sys.stdout.flush()  # a full disk (--json > /dev/full) fails here, with a message
        return code
    except KeyboardInterrupt:
        _error("interrupted (nothing half-written)")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of stdout went away (| head): nothing more to say
        _silence_stdout()
        return EXIT_OK
    except InputError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except TalkoverError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except OSError as exc:  # the system refused a file or stdout: the user's to fix
        _silence_stdout()
        where = os.fsdecode(exc.filename) if exc.filename is not None else "stdout"
        _error(f"{where}: {exc.strerror or exc}")
        return EXIT_USAGE


def _error(message: str) -> None:
    print(f"talkover: error: {terminal_safe(message)}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's own flush at exit cannot fail
    again on what is left in its buffer."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass
