"""What the person sees: a terminal view (rich) redrawn a few times a second, or plain lines.

:func:`render_snapshot` draws one :class:`~talkover.live.tracker.FloorSnapshot`: one lane per
speaker over the last 30 s, who holds the floor, talk shares, interruptions made and received
so far, and the latest alert ("you're talking over Hilaria" / "Alec is talking over you" when
``--me`` is known, "Alec is talking over Hilaria" otherwise). :class:`TerminalView` shows it
live (and rings the terminal bell on a new alert when asked); :class:`PlainView` prints one
line per alert and floor change, for logs and pipes.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from talkover.live.session import LiveUpdate
from talkover.live.tracker import Alert, FloorChange, FloorSnapshot
from talkover.report.terminal import terminal_safe

__all__ = ["alert_text", "render_snapshot", "TerminalView", "PlainView"]

#: Lane colours, by speaker order.
COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")
#: How long an alert stays on screen (stream seconds).
ALERT_SHOWN_S = 4.0


def alert_text(alert: Alert, watch: str | None) -> str:
    """The words of an alert, from the watched speaker's side when there is one.

    >>> alert_text(Alert(3.0, "me", "Hilaria", 2.0), "me")
    "you're talking over Hilaria"
    >>> alert_text(Alert(3.0, "Alec", "me", 2.0), "me")
    'Alec is talking over you'
    >>> alert_text(Alert(3.0, "Alec", "Hilaria", 2.0), None)
    'Alec is talking over Hilaria'
    """
    if watch is not None and alert.by == watch:
        return f"you're talking over {alert.over}"
    if watch is not None and alert.over == watch:
        return f"{alert.by} is talking over you"
    return f"{alert.by} is talking over {alert.over}"


def _lane(spans: tuple[tuple[float, float], ...], start_s: float, end_s: float, width: int
          ) -> str:
    cell = (end_s - start_s) / width
    cells = [" "] * width
    for a, b in spans:
        first = max(0, int((a - start_s) / cell))
        last = min(width, int((b - start_s) / cell + 0.999))
        for i in range(first, last):
            cells[i] = "█"
    return "".join(cells)


def _clock(t_s: float) -> str:
    minutes, seconds = divmod(int(t_s), 60)
    return f"{minutes:02d}:{seconds:02d}"


def render_snapshot(snapshot: FloorSnapshot, *, width: int = 48) -> RenderableType:
    """The view of one snapshot: lanes, floor, shares, counts, alert."""
    end_s = max(snapshot.t_s, snapshot.span_s)
    start_s = end_s - snapshot.span_s
    total = sum(snapshot.talk_s) or 1.0
    made, received = _interruption_counts(snapshot)
    table = Table(box=None, expand=False, pad_edge=False, padding=(0, 1))
    table.add_column("speaker", no_wrap=True)
    table.add_column(f"last {snapshot.span_s:.0f} s", no_wrap=True, min_width=width)
    table.add_column("talk", justify="right", no_wrap=True)
    table.add_column("interrupted", justify="right", no_wrap=True)
    table.add_column("was interrupted", justify="right", no_wrap=True)
    for i, name in enumerate(snapshot.speakers):
        colour = COLOURS[i % len(COLOURS)]
        label = f"{name} (you)" if name == snapshot.watch else name
        if name == snapshot.floor:
            label = f"▶ {label}"
        table.add_row(
            Text(label, style=f"bold {colour}" if name == snapshot.floor else colour),
            Text(_lane(snapshot.lanes[i], start_s, end_s, width), style=colour),
            f"{snapshot.talk_s[i] / total:4.0%}",
            str(made.get(name, 0)),
            str(received.get(name, 0)),
        )
    floor = Text.assemble(("floor: ", "dim"), (snapshot.floor or "nobody yet", "bold"))
    parts: list[RenderableType] = [table, Text(""), floor]
    alert = snapshot.alert
    if alert is not None and snapshot.t_s - alert.t_s <= ALERT_SHOWN_S:
        parts.append(Text(f"⚠  {alert_text(alert, snapshot.watch)}", style="bold white on red"))
    else:
        parts.append(Text("no one is talking over anyone", style="dim"))
    return Panel(Group(*parts), title=f"talkover live  {_clock(snapshot.t_s)}",
                 title_align="left", expand=False)


def _interruption_counts(snapshot: FloorSnapshot) -> tuple[dict[str, int], dict[str, int]]:
    made: dict[str, int] = {}
    received: dict[str, int] = {}
    for kind, by, of, n in snapshot.counts:
        if kind == "interruption":
            made[by] = made.get(by, 0) + n
            received[of] = received.get(of, 0) + n
    return made, received


class TerminalView:
    """The live view in a terminal (use as a context manager around the session).

    Parameters
    ----------
    console
        Where to draw (default: stdout).
    bell
        Ring the terminal bell on each new alert.
    refresh_hz
        Redraws per second.
    """

    def __init__(self, console: Console | None = None, *, bell: bool = False,
                 refresh_hz: float = 4.0) -> None:
        self.console = console or Console()
        self.bell = bell
        self._live = Live(Text("listening..."), console=self.console,
                          refresh_per_second=refresh_hz, transient=False)

    def __enter__(self) -> TerminalView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(*exc)  # type: ignore[arg-type]

    def on_update(self, update: LiveUpdate) -> None:
        self._live.update(render_snapshot(update.snapshot))
        if self.bell and any(isinstance(d, Alert) and _watched(d, update.snapshot.watch)
                             for d in update.decisions):
            self.console.bell()


def _watched(alert: Alert, watch: str | None) -> bool:
    return watch is None or watch in (alert.by, alert.over)


class PlainView:
    """One line per alert and floor change on ``stream`` (stream time first)."""

    def __init__(self, stream: TextIO, *, watch: str | None = None, bell: bool = False) -> None:
        self.stream = stream
        self.watch = watch
        self.bell = bell

    def on_update(self, update: LiveUpdate) -> None:
        for decision in update.decisions:
            if isinstance(decision, Alert) and _watched(decision, self.watch):
                bell = "\a" if self.bell else ""
                self.stream.write(f"{_clock(decision.t_s)} {decision.t_s:7.2f}  ALERT  "
                                  f"{terminal_safe(alert_text(decision, self.watch))}{bell}\n")
            elif isinstance(decision, FloorChange):
                self.stream.write(f"{_clock(decision.t_s)} {decision.t_s:7.2f}  floor  "
                                  f"{terminal_safe(decision.by)}\n")
        self.stream.flush()
