"""The speakers.toml and the ``--config`` TOML: the same faults give the same errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talkover import EventConfig, FormatError, load_event_config
from talkover.cast import load_cast
from talkover.cli import main

READERS = [pytest.param(load_cast, id="cast"), pytest.param(load_event_config, id="config")]


@pytest.mark.parametrize("load", READERS)
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: None, "{path}: no such file"),
        (Path.mkdir, "{path}: is a directory, expected a file"),
        (lambda path: path.write_bytes("# café\n".encode("latin-1")),
         "{path}:1: expected UTF-8 text"),
        (lambda path: path.write_bytes(b"[[speaker]\n"),
         "{path}: not valid TOML (Expected ']]' at the end of"),
    ],
    ids=["missing", "folder", "latin-1", "not-toml"],
)
def test_unreadable_files_are_format_errors_naming_the_file(
    tmp_path: Path, load: Callable[[Path], object], make: Callable[[Path], object],
    expected: str,
) -> None:
    path = tmp_path / "file.toml"
    make(path)
    with pytest.raises(FormatError) as err:
        load(path)
    assert str(err.value).startswith(expected.format(path=path))


@pytest.mark.parametrize(
    ("load", "body", "expected"),
    [
        (load_cast, "speaker = 3\n", "expected one or more [[speaker]] tables"),
        (load_event_config, "events = 3\n", "expected an [events] table, got 3"),
        (load_event_config, "[events]\nbogus = 1\n",
         "[events]: unknown event setting(s) bogus; valid: backchannel_max_s, grace_s, "
         "min_pause_s, silent_gap_s"),
        (load_event_config, "[events]\ngrace_s = -1\n",
         "grace_s must be between 0 and 3600 seconds, got -1"),
        (load_event_config, "[event]\ngrace_s = 0.2\n",
         "unknown table or key(s) event; expected an [events] table (with min_pause_s, "
         "backchannel_max_s, grace_s, silent_gap_s)"),
        (load_event_config, "grace_s = 0.2\n[events]\nmin_pause_s = 0.2\n",
         "unknown table or key(s) grace_s; expected an [events] table (with min_pause_s, "
         "backchannel_max_s, grace_s, silent_gap_s)"),
    ],
)
def test_wrong_tables_are_format_errors_naming_the_file(
    tmp_path: Path, load: Callable[[Path], object], body: str, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        load(path)
    assert str(err.value) == f"{path}: {expected}"


def test_valid_config_files_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.toml"
    path.write_bytes(b"# thresholds\r\n[events]\r\nmin_pause_s = 0.2\r\ngrace_s = 1\r\n")
    assert load_event_config(path) == EventConfig(min_pause_s=0.2, grace_s=1.0)
    path.write_text("# no settings yet\n", encoding="utf-8")
    assert load_event_config(path) == EventConfig()
    path.write_text('title = "no events table"\n', encoding="utf-8")  # ignored would be wrong
    with pytest.raises(FormatError, match="unknown table or key.s. title; expected an .events."):
        load_event_config(path)


@pytest.mark.parametrize("flag", ["--config", "--cast"])
def test_cli_says_which_file_it_cannot_read(tmp_path: Path, capsys, flag: str) -> None:
    rttm = tmp_path / "call.rttm"
    rttm.write_text("SPEAKER call 1 0.00 1.00 <NA> <NA> A <NA> <NA>\n", encoding="utf-8")
    missing = tmp_path / "missing.toml"
    assert main(["analyze", str(rttm), flag, str(missing)]) == 2
    assert f"talkover: error: {missing}: no such file" in capsys.readouterr().err


def test_the_events_table_in_the_docs_is_what_config_reads(tmp_path) -> None:
    """docs/events.md shows the [events] table with its real key names."""
    import re

    from talkover import EventConfig, load_event_config

    text = (Path(__file__).resolve().parents[1] / "docs" / "events.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    path = tmp_path / "thresholds.toml"
    path.write_text(block, encoding="utf-8")
    assert load_event_config(path) == EventConfig(
        min_pause_s=0.25, backchannel_max_s=1.2, grace_s=0.4, silent_gap_s=0.2
    )
