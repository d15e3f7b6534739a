"""One test per security rule of ``talkover serve``, each through a real server (raw HTTP where
the rule is about what a client may send), and a restart that resumes jobs."""

from __future__ import annotations

import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from talkover.batch import AnalysisOptions, LocalExecutor, Request, Runner
from talkover.cli import main
from talkover.errors import ConfigError
from talkover.store import Store
from talkover.web.app import create_app
from tests.web.server import Server, wait_done


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("sec") / "store"
    s = Server(store, args=("--max-upload-mb", "1")).start()
    yield s
    s.stop()


def raw(port: int, request: bytes, *, body_chunks=(), read_s: float = 10.0) -> tuple[int, bytes]:
    """Send ``request`` (and chunked ``body_chunks``) on a socket; the status and the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_s) as sock:
        sock.sendall(request)
        try:
            for chunk in body_chunks:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            if body_chunks:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the end of the body
        reply = b""
        while True:  # to the end: every request here says Connection: close
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            reply += data
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return status, reply


def get(port: int, path: str, **headers: str) -> int:
    lines = [f"GET {path} HTTP/1.1"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return raw(port, ("\r\n".join(lines) + "\r\nConnection: close\r\n\r\n").encode())[0]


def test_a_foreign_host_is_refused(server) -> None:
    port = server.port
    assert get(port, "/api/recordings", Host=f"127.0.0.1:{port}") == 200
    assert get(port, "/api/recordings", Host=f"localhost:{port}") == 200
    # DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1
    assert get(port, "/api/recordings", Host=f"evil.example:{port}") == 403
    assert get(port, "/", Host=f"evil.example:{port}") == 403
    assert get(port, "/api/recordings", Host="127.0.0.1:1") == 403  # another port
    assert raw(port, b"GET / HTTP/1.0\r\n\r\n")[0] == 403  # no Host at all


def test_a_foreign_origin_is_refused(server) -> None:
    port = server.port
    host = f"127.0.0.1:{port}"
    assert get(port, "/api/recordings", Host=host, Origin=f"http://{host}") == 200
    assert get(port, "/api/recordings", Host=host, Origin="http://evil.example") == 403
    assert get(port, "/api/recordings", Host=host, Origin="null") == 403
    assert get(port, "/api/recordings", Host=host, Sec_Fetch_Site="cross-site") == 403
    # following a link to the app from another site opens the page (no side effect)
    assert get(port, "/", Host=host, Sec_Fetch_Site="cross-site", Sec_Fetch_Mode="navigate",
               Sec_Fetch_Dest="document") == 200
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.rttm"\r\n\r\n' \
           b"SPEAKER x 1 0 1 <NA> <NA> A <NA> <NA>\r\n--b--\r\n"
    post = (f"POST /api/recordings HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body
    assert raw(port, post)[0] == 403
    with server.client() as client:
        assert client.get("/api/recordings").json() == []  # nothing was queued


def test_an_oversized_upload_is_413_and_leaves_nothing_on_disk(server) -> None:
    port, host = server.port, f"127.0.0.1:{server.port}"
    media = server.store / "media"
    before = sorted(p.name for p in media.iterdir())
    # declared too large: refused before a byte of the body is read
    head = (f"POST /api/recordings HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000000\r\n"
            "Connection: close\r\n\r\n").encode()
    status, reply = raw(port, head)
    assert status == 413 and b"larger than the limit of 1 MB" in reply
    # streamed without a length: refused the moment the file passes 1 MB
    head = (f"POST /api/recordings HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n").encode()
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n'
    chunks = [part] + [b"\x00" * 65536] * 48  # 3 MB
    status, reply = raw(port, head, body_chunks=chunks)
    assert status == 413
    time.sleep(0.2)
    assert sorted(p.name for p in media.iterdir()) == before
    with server.client() as client:
        assert client.get("/api/recordings").json() == []


@pytest.mark.parametrize("name", ["../../../../evil.rttm", "..\\..\\evil.rttm",
                                  "/etc/cron.d/evil.rttm", "....//evil.rttm", ".rttm",
                                  "a b\u00e9/../../evil.rttm"])
def test_client_file_names_never_become_paths(server, name) -> None:
    content = (b"SPEAKER x 1 0.0 2.0 <NA> <NA> A <NA> <NA>\n"
               b"SPEAKER x 1 1.5 3.0 <NA> <NA> B <NA> <NA>\n")
    with server.client() as client:
        res = client.post("/api/recordings", files={"file": (name, content)})
        assert res.status_code == 201, res.text
        uri = res.json()["id"]
        assert "/" not in uri and "\\" not in uri and not uri.startswith(".")
        assert wait_done(client, uri)["status"] == "done"
        stored = [p for p in server.store.rglob("*") if p.is_file() and uri in p.name]
        assert stored and all(p.resolve().is_relative_to(server.store.resolve()) for p in stored)
        assert (server.store / "media" / f"{uri}.rttm").is_file()
        outside = [p for p in server.store.parent.parent.rglob("evil*")
                   if not p.resolve().is_relative_to(server.store.resolve())]
        assert outside == [] and not Path("/etc/cron.d/evil.rttm").exists()
        assert client.delete(f"/api/recordings/{uri}").status_code == 204


def test_a_non_local_bind_needs_a_token(tmp_path) -> None:
    with pytest.raises(ConfigError, match="needs a token"):
        create_app(tmp_path / "s", host="0.0.0.0")
    assert main(["serve", "--data", str(tmp_path / "s"), "--host", "0.0.0.0", "--token", ""]) == 2
    # talkover serve makes one and prints it with the URL
    s = Server(tmp_path / "store", args=("--host", "0.0.0.0"))
    s.start()
    try:
        deadline = time.monotonic() + 10
        while "?token=" not in s.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        token = re.search(r"\?token=(\S+)", s.log.read_text()).group(1)
        host = f"127.0.0.1:{s.port}"
        assert get(s.port, "/api/recordings", Host=host) == 401
        assert get(s.port, "/", Host=host) == 401
        assert get(s.port, "/api/recordings", Host=host, Authorization="Bearer wrong") == 401
        assert get(s.port, "/api/recordings", Host=host, Authorization=f"Bearer {token}") == 200
        status, reply = raw(s.port, f"GET /?token={token} HTTP/1.1\r\nHost: {host}\r\n"
                                    "Connection: close\r\n\r\n".encode())
        assert status == 303 and b"HttpOnly; SameSite=Strict" in reply
        assert get(s.port, "/", Host=host, Cookie=f"talkover_token={token}") == 200
        # the machine's own name is a Host it answers to; a foreign one is still refused
        assert get(s.port, "/", Host=f"{socket.gethostname()}:{s.port}",
                   Authorization=f"Bearer {token}") == 200
        assert get(s.port, "/", Host=f"evil.example:{s.port}",
                   Authorization=f"Bearer {token}") == 403
    finally:
        s.stop()


def test_a_restart_resumes_queued_and_interrupted_jobs(tmp_path, planted_files) -> None:
    store_path = tmp_path / "store"
    queued, interrupted = tmp_path / "queued.rttm", tmp_path / "interrupted.rttm"
    shutil.copy(planted_files[0], queued)
    shutil.copy(planted_files[0], interrupted)
    # a previous server queued two jobs; it died while a worker had the second one
    with Store.open(store_path, create=True) as store:
        runner = Runner(store, LocalExecutor(workers=1))
        runner.plan([Request(str(queued), "annotation", AnalysisOptions()),
                     Request(str(interrupted), "annotation", AnalysisOptions())])
        store.mark_running("interrupted", worker="local:1")
    s = Server(store_path).start()
    try:
        with s.client() as client:
            assert wait_done(client, "queued")["status"] == "done"
            assert wait_done(client, "interrupted")["status"] == "done"
            # and a server killed (SIGKILL) right after an upload: its job resumes as well
            res = client.post("/api/recordings",
                              files={"file": ("killed.rttm", planted_files[0].read_bytes())})
            uri = res.json()["id"]
        s.kill()
        with Store.open(store_path, readonly=True) as store:
            assert store.get(uri).status in ("queued", "running", "done")
        s = Server(store_path).start()
        with s.client() as client:
            assert wait_done(client, uri)["status"] == "done"
            assert client.get(f"/api/recordings/{uri}/analysis").status_code == 200
    finally:
        s.stop()


def test_behind_a_reverse_proxy(tmp_path) -> None:
    """``--allow-host proxy.example``: the proxy's Host on any port (none, :443) and pages of
    ``https://proxy.example`` (whether the proxy passes its Host on or not) are answered;
    other names and origins, and other ports of this machine, are still refused."""
    s = Server(tmp_path / "store", args=("--allow-host", "proxy.example", "--token", "t0k3n"),
               token="t0k3n").start()
    try:
        port, auth = s.port, "Bearer t0k3n"
        local = f"127.0.0.1:{port}"
        for host in ("proxy.example", "proxy.example:443", "Proxy.Example:8080"):
            assert get(port, "/api/recordings", Host=host, Authorization=auth) == 200, host
        assert get(port, "/api/recordings", Host="proxy.example",
                   Origin="https://proxy.example", Authorization=auth) == 200
        assert get(port, "/api/recordings", Host=local, Origin="https://proxy.example",
                   Authorization=auth) == 200  # a proxy that sets Host to the upstream
        assert get(port, "/api/recordings", Host="evil.example", Authorization=auth) == 403
        assert get(port, "/api/recordings", Host="proxy.example", Origin="https://evil.example",
                   Authorization=auth) == 403
        assert get(port, "/api/recordings", Host=local, Origin="http://localhost:3000",
                   Authorization=auth) == 403  # another server of this machine
        assert get(port, "/api/recordings", Host="proxy.example") == 401  # still the token
    finally:
        s.stop()
