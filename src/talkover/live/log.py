"""The session log: one JSON object a line (JSON Lines), written as decisions are made.

Every line has ``t_s`` (stream time of the decision, seconds of audio since the session
began), ``type`` and ``wall_s`` (seconds since the session began on its clock; for a file
replayed with ``--speed 0`` the simulated clock's). The types:

``alert``
    ``by`` is talking over ``over``; ``onset_s``: when ``by`` began (the overlap's start).
``floor``
    The floor passed to ``by`` from ``over`` (``null`` for the first speaker) at ``onset_s``;
    ``cause``: the event type that passed it (``switch``, ``overlap``, ``interruption``...),
    or ``start``.
``event``
    An event under the offline definitions (docs/events.md): ``event`` (its type), ``by``,
    ``over``, ``onset_s``, ``end_s``, ``overlap_s``, ``gap_s``.
``summary``
    The last line: the session's length, dropped blocks, and the live counts compared with
    the offline analysis of the recording (``comparison``), when there was one.

Each line is written whole and flushed, so the file can be followed while the session runs
(``tail -f``) and a session that dies keeps every line written before.

>>> import io, json
>>> from talkover.live.tracker import Alert
>>> out = io.StringIO()
>>> JsonlLog(out).write(Alert(12.5, "me", "Hilaria", 11.25), wall_s=12.61)
>>> json.loads(out.getvalue())["type"], json.loads(out.getvalue())["over"]
('alert', 'Hilaria')
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from talkover.live.tracker import Alert, Decision, FloorChange, LiveEvent

__all__ = ["JsonlLog", "decision_record"]


def decision_record(decision: Decision, *, wall_s: float) -> dict[str, Any]:
    """The log line (as a dict) of one decision."""
    if isinstance(decision, Alert):
        body: dict[str, Any] = {"type": "alert", "by": decision.by, "over": decision.over,
                                "onset_s": _ms(decision.onset_s)}
    elif isinstance(decision, FloorChange):
        body = {"type": "floor", "by": decision.by, "over": decision.over,
                "onset_s": _ms(decision.onset_s), "cause": decision.cause}
    else:
        event = decision.event
        body = {"type": "event", "event": event.type, "by": event.by, "over": event.of,
                "onset_s": _ms(event.start_s), "end_s": _ms(event.end_s),
                "overlap_s": _ms(event.overlap_s),
                "gap_s": None if event.gap_s is None else _ms(event.gap_s)}
    return {"t_s": _ms(decision.t_s), **body, "wall_s": _ms(wall_s)}


def _ms(x: float) -> float:
    return round(float(x), 3)


class JsonlLog:
    """Writes decisions to ``stream`` (an open text file), one JSON object a line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, decision: Decision | LiveEvent, *, wall_s: float) -> None:
        self.write_record(decision_record(decision, wall_s=wall_s))

    def write_record(self, record: dict[str, Any]) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stream.flush()
