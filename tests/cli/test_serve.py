"""``talkover serve`` as a command: it refuses a port in use before making anything, and
Ctrl+C stops it at once with pages open."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

from tests.web.server import SRC, Server


def test_a_port_in_use_is_refused_before_anything_is_made(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        done = subprocess.run(
            [sys.executable, "-m", "talkover", "serve", "--data", str(tmp_path / "store"),
             "--port", str(port)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"talkover: error: --port {port}: the port is in use on 127.0.0.1 "
                           "(another server is listening there); choose another with --port\n")
    assert not (tmp_path / "store").exists()  # no store, no lock, no worker


def test_ctrl_c_with_a_page_listening_stops_at_once(tmp_path) -> None:
    server = Server(tmp_path / "store").start()
    lines: list[str] = []
    opened = threading.Event()

    def listen() -> None:
        try:
            with server.client() as c, c.stream("GET", "/api/events") as stream:
                for line in stream.iter_lines():
                    opened.set()
                    lines.append(line)
        except Exception:  # noqa: BLE001 - the server went away: what this test does
            pass

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    try:
        assert opened.wait(10)
        t0 = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        server.process.wait(20)
        took = time.monotonic() - t0
    finally:
        server.kill()
    thread.join(5)
    log = server.log.read_text()
    assert took < 3.0, (took, log)
    assert "Traceback" not in log and "CancelledError" not in log, log
    assert not thread.is_alive()  # the stream ended (the page reconnects to the next server)


def test_a_store_another_server_writes_is_said_at_once(tmp_path) -> None:
    first = Server(tmp_path / "store").start()
    try:
        port = Server(tmp_path / "other").port
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        done = subprocess.run(
            [sys.executable, "-m", "talkover", "serve", "--data", str(tmp_path / "store"),
             "--port", str(port)], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"talkover: error: {tmp_path / 'store'}: is being "
                                      "written by pid"), done.stderr
        assert "Traceback" not in done.stderr and "serving" not in done.stderr
        with first.client() as client:  # the first one goes on
            assert client.get("/api/recordings").status_code == 200
    finally:
        first.stop()
    # and once it is gone, the store opens (nothing was left locked)
    again = Server(tmp_path / "store").start()
    again.stop()
