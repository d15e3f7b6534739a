"""Running the app with uvicorn on a socket the command bound (talkover serve).

The server ends the app's event streams (``GET /api/events``) the moment a signal asks it to
stop: uvicorn waits for open responses before it shuts the app down, and a page's stream
would otherwise hold Ctrl+C for the graceful-shutdown timeout and then be cancelled.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import FrameType

import uvicorn
from fastapi import FastAPI

from talkover.web.app import end_streams

__all__ = ["serve", "GRACEFUL_SHUTDOWN_S"]

#: Seconds a shutdown waits for requests still being answered (uploads, edits).
GRACEFUL_SHUTDOWN_S = 5


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, *, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def serve(app: FastAPI, sock: socket.socket, *, host: str, port: int) -> bool:
    """Serve ``app`` on ``sock`` (bound to ``host``:``port``) until a signal stops it;
    whether it started (``False``: the app's start failed, said in uvicorn's log)."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    server = _Server(config, on_exit=lambda: end_streams(app))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl+C again once it has shut down
        pass
    except SystemExit:  # uvicorn's way to say the app's start failed
        return False
    return server.started
