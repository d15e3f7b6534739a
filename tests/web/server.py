"""``talkover serve`` as a real process for the tests: started on a free port of 127.0.0.1,
waited for, stopped (or killed) by the fixture."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import talkover

SRC = Path(talkover.__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``talkover serve --data STORE`` on a free port (``args``: more flags)."""

    def __init__(self, store: Path, *, args: tuple[str, ...] = (), token: str | None = None,
                 log: Path | None = None) -> None:
        self.store = store
        self.port = free_port()
        self.args = args
        self.token = token
        self.log = log or store.parent / f"serve-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60.0, **kwargs)

    def start(self, timeout_s: float = 90.0) -> Server:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "talkover", "serve", "--data", str(self.store),
                 "--port", str(self.port), *self.args],
                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()}")
            try:
                with self.client() as c:
                    c.get("/favicon.ico")
                return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer in {timeout_s} s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the server and its workers (its process group)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def wait_done(client: httpx.Client, uri: str, timeout_s: float = 180.0) -> dict:
    """Poll a recording until its job is done or failed; its status."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get(f"/api/recordings/{uri}").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise TimeoutError(f"{uri} still {status['status']} after {timeout_s} s")
