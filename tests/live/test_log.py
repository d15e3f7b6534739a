"""The JSONL log: one JSON object a line with the fields docs/live.md lists."""

from __future__ import annotations

import io
import json

from talkover.events import Event
from talkover.live.log import JsonlLog
from talkover.live.tracker import Alert, FloorChange, LiveEvent

REQUIRED = {"t_s", "type", "by", "over", "onset_s", "wall_s"}


def test_each_decision_is_one_line_with_the_required_fields() -> None:
    out = io.StringIO()
    log = JsonlLog(out)
    log.write(Alert(12.5004, "me", "Hilaria", 11.25), wall_s=12.61)
    log.write(FloorChange(3.0, "Alec", None, 2.5, "start"), wall_s=3.1)
    log.write(LiveEvent(8.2, Event("interruption", 6.0, 7.3, "Alec", "me", 1.3)), wall_s=8.3)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["type"] for line in lines] == ["alert", "floor", "event"]
    for line in lines:
        assert REQUIRED <= set(line)
    assert lines[0] == {"t_s": 12.5, "type": "alert", "by": "me", "over": "Hilaria",
                        "onset_s": 11.25, "wall_s": 12.61}
    assert lines[1]["over"] is None and lines[1]["cause"] == "start"
    assert lines[2]["event"] == "interruption" and lines[2]["overlap_s"] == 1.3
    assert lines[2]["gap_s"] is None


def test_unicode_names_stay_readable() -> None:
    out = io.StringIO()
    JsonlLog(out).write(Alert(1.0, "Zoë", "Mário", 0.0), wall_s=1.0)
    assert "Zoë" in out.getvalue() and json.loads(out.getvalue())["over"] == "Mário"
