"""``talkover serve``: the local web app over a store (docs/web.md)."""

from __future__ import annotations

import argparse
import errno
import gc
import socket
import sys
from pathlib import Path

from talkover.cli.common import EXIT_FAILED, EXIT_OK
from talkover.errors import ConfigError

__all__ = ["register", "run", "listen_socket", "DEFAULT_PORT", "DEFAULT_DATA"]

DEFAULT_PORT = 8765
DEFAULT_DATA = "talkover-data"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="the local web app: upload, queue, history, and a review that corrects the counts",
        description="Serve the web app over a talkover store (the folder `talkover batch` "
        "writes; made when missing). It listens on 127.0.0.1 only unless --host says otherwise, "
        "and then every request needs a token (generated and printed with the URL unless "
        "--token is given). Stop it with Ctrl+C; queued and interrupted jobs resume at the next "
        "start.",
    )
    parser.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                        help=f"the store folder (default ./{DEFAULT_DATA})")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--token", default=None,
                        help="the token requests must carry (default: none on 127.0.0.1, a "
                        "random one otherwise)")
    parser.add_argument("--max-upload-mb", type=float, default=2048.0, metavar="MB",
                        help="largest upload, in MB (default 2048)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes analysing recordings (default 1; each loads the "
                        "models once)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME[:PORT]",
                        help="a reverse proxy's host name to answer to (and accept pages of), "
                        "on any port or on PORT only; repeatable (docs/web.md)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from talkover.web.app import check_settings, create_app, new_token
    from talkover.web.security import is_loopback
    from talkover.web.server import serve
    from talkover.web.service import StoreService

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {args.port}")
    token = args.token
    if token is None and not is_loopback(args.host):
        token = new_token()
    check_settings(host=args.host, token=token, max_upload_mb=args.max_upload_mb,
                   workers=args.workers, allow_hosts=args.allow_host)
    data = Path(args.data)
    # In order, each undone if a later step fails: the port (in use: nothing is made), the
    # store (another writer: said at once; its lock and the workers let go on any failure),
    # then the app.
    sock = listen_socket(args.host, args.port)
    service = StoreService(data.resolve(), workers=args.workers)
    try:
        service.start()
        app = create_app(data, host=args.host, port=args.port, token=token,
                         max_upload_mb=args.max_upload_mb, workers=args.workers,
                         allow_hosts=args.allow_host, service=service)
        _announce(args, data, token)
        # A review recomputes an analysis per edit (tens of thousands of short-lived objects):
        # fewer collections of the youngest generation, and what exists at start never
        # scanned, keep the slowest edits of an hour-long meeting near the typical one
        # (docs/web.md).
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 50, 100)
        started = serve(app, sock, host=args.host, port=args.port)
    finally:
        sock.close()
        service.stop()  # (the app stops it too; again is harmless)
    if not started:
        print("talkover: error: the server did not start (see above)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _announce(args: argparse.Namespace, data: Path, token: str | None) -> None:
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"talkover: serving the store {data.resolve()} at {url}", file=sys.stderr)
    if token and args.token is None:
        print("talkover: the token is in the URL above; anyone with it can use the app",
              file=sys.stderr)
    if args.allow_host and not token:
        print("talkover: warning: --allow-host without --token: anyone who reaches the proxy "
              "can use the app (docs/web.md, behind a reverse proxy)", file=sys.stderr)


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (uvicorn listens on it).

    Raises
    ------
    ConfigError
        The port is in use, or the address is not this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"--port {port}: the port is in use on {host} (another server is "
                              "listening there); choose another with --port") from None
        raise ConfigError(f"--host {host} --port {port}: cannot listen there "
                          f"({exc.strerror or exc})") from None
    sock.set_inheritable(True)
    return sock
