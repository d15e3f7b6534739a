"""How the command line reports what talkover logs (the handler every command shares)."""

from __future__ import annotations

import logging

from talkover.cli.main import _show_warnings


def test_warnings_are_one_line_and_errors_say_what_failed(capsys) -> None:
    _show_warnings()
    log = logging.getLogger("talkover.web.reviews")
    log.warning("%s: skipped %d line(s)", "x.rttm", 2)
    assert capsys.readouterr().err == "talkover: warning: x.rttm: skipped 2 line(s)\n"
    try:
        {}["missing"]
    except KeyError:
        log.exception("could not write the corrected version of %s", "call")
    err = capsys.readouterr().err
    first, *rest = err.splitlines()
    assert first == ("talkover: error: could not write the corrected version of call "
                     "(KeyError: 'missing')")
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "KeyError: 'missing'"
    log.error("the batch runner stopped")  # no exception: one line
    assert capsys.readouterr().err == "talkover: error: the batch runner stopped\n"
