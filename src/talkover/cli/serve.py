"""``talkover serve``: the local web app over a store (docs/web.md)."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from talkover.cli.common import EXIT_OK
from talkover.errors import ConfigError

__all__ = ["register", "run", "DEFAULT_PORT", "DEFAULT_DATA"]

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
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another Host name to answer to (a reverse proxy's); repeatable")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from talkover.web.app import create_app, new_token
    from talkover.web.security import is_loopback

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {args.port}")
    token = args.token
    if token is None and not is_loopback(args.host):
        token = new_token()
    data = Path(args.data)
    app = create_app(data, host=args.host, port=args.port, token=token,
                     max_upload_mb=args.max_upload_mb, workers=args.workers,
                     allow_hosts=args.allow_host)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"talkover: serving the store {data.resolve()} at {url}", file=sys.stderr)
    if token and args.token is None:
        print("talkover: the token is in the URL above; anyone with it can use the app",
              file=sys.stderr)
    # A review recomputes an analysis per edit (tens of thousands of short-lived objects):
    # fewer collections of the youngest generation, and what exists at start never scanned,
    # keep the slowest edits of an hour-long meeting near the typical one (docs/web.md).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                timeout_graceful_shutdown=5)
    return EXIT_OK
