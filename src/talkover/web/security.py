"""Who may talk to the server: the Host and Origin checks and the token.

* **Host** (DNS rebinding): a page of ``evil.example`` whose name is made to resolve to
  127.0.0.1 reaches the server with ``Host: evil.example``. Only the server's own names are
  served: ``127.0.0.1``, ``localhost`` and ``[::1]`` at its port, and, when it listens on
  another address, that address, IP literals when it listens on all of them, the machine's
  own names; and the names given with ``--allow-host`` (a reverse proxy's) on any port, or
  on the port given as ``NAME:PORT``. Anything else: 403.
* **Origin** (cross-site requests): a request a browser sends from a page of another origin
  carries that ``Origin``; it must be the server's own (the scheme and the Host just checked)
  or an ``--allow-host`` name under the same port rule (``https://proxy.example``: a proxy
  that passes its own Host on, or not).
  Requests a browser marks ``Sec-Fetch-Site: cross-site`` are refused too, except following a
  link to one of the app's pages (a top-level navigation, no side effect). 403.
* **Token** (``--token``, required when listening beyond this machine): every request carries
  it as ``Authorization: Bearer TOKEN``, the ``talkover_token`` cookie (HttpOnly,
  SameSite=Strict) or, once, ``?token=TOKEN`` in the URL printed at start (which sets the
  cookie and redirects to the same page without it). Otherwise: 401.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from talkover.errors import ConfigError

__all__ = ["GuardMiddleware", "HostPolicy", "is_loopback", "parse_allowed_host", "TOKEN_COOKIE"]

TOKEN_COOKIE = "talkover_token"


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class HostPolicy:
    """The Host header values the server answers to (see the module docstring).

    ``extra`` (``--allow-host``) names a reverse proxy's host: ``NAME`` is answered to on any
    port (a proxy's Host is usually its own name without a port, or with :443), ``NAME:PORT``
    on that port only.
    """

    def __init__(self, bind: str, port: int, *, extra: Iterable[str] = ()) -> None:
        self.port = port
        names = {"127.0.0.1", "localhost", "[::1]"}
        self.any_ip = False
        if not is_loopback(bind):
            names.add(_bracket(bind))
            if bind in ("0.0.0.0", "::", ""):
                self.any_ip = True
            for name in (socket.gethostname(), socket.getfqdn()):
                if name:
                    names.add(name.lower())
        self.names = names
        self.proxies: dict[str, int | None] = {}  # --allow-host name -> its port (None: any)
        for entry in extra:
            name, entry_port = parse_allowed_host(entry)
            if name in self.proxies and self.proxies[name] != entry_port:
                entry_port = None  # named with two ports (or with and without): any
            self.proxies[name] = entry_port

    def allows(self, host_header: str | None) -> bool:
        """Whether a request with this ``Host`` is for this server."""
        found = _split_host(host_header)
        if found is None:
            return False
        name, port = found
        if self.allows_proxy(name, port):
            return True
        if (port if port is not None else 80) != self.port:
            return False
        if name in self.names:
            return True
        if self.any_ip:
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return False
        return False

    def allows_proxy(self, name: str, port: int | None) -> bool:
        """Whether ``name`` (lower case, IPv6 bracketed) at ``port`` is an ``--allow-host``."""
        if name not in self.proxies:
            return False
        wanted = self.proxies[name]
        return wanted is None or wanted == port


def parse_allowed_host(entry: str) -> tuple[str, int | None]:
    """``NAME`` or ``NAME:PORT`` (``[v6]:PORT``) of ``--allow-host``, the name in lower case.

    >>> parse_allowed_host("Proxy.Example"), parse_allowed_host("proxy.example:8443")
    (('proxy.example', None), ('proxy.example', 8443))

    Raises
    ------
    ConfigError
        Not a host name with an optional port.
    """
    found = _split_host(entry.strip())
    if found is None or not found[0]:
        raise ConfigError(f"--allow-host: expected NAME or NAME:PORT, got {entry!r}")
    return found


def _split_host(value: str | None) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header (name in lower case, IPv6 in brackets; port
    ``None`` when absent); ``None`` when malformed."""
    if not value:
        return None
    try:
        parts = urlsplit(f"//{value}")
        name, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if not name or parts.username is not None or parts.path or parts.query:
        return None
    return (f"[{name}]" if ":" in name else name), port


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host.lower()


class GuardMiddleware:
    """ASGI middleware applying :class:`HostPolicy`, the Origin check and the token."""

    def __init__(self, app: ASGIApp, *, hosts: HostPolicy, token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan (the app has no websockets)
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host")
        if not self.hosts.allows(host):
            await _refuse(send, 403, f"Host {host!r} is not this server's; open the app at "
                                     "the address it printed")
            return
        origin = headers.get("origin")
        if origin is not None and not self._origin_allowed(origin, scope, host):
            await _refuse(send, 403, f"requests from {origin} are refused (cross-site)")
            return
        if headers.get("sec-fetch-site") == "cross-site" and not _navigation(scope, headers):
            await _refuse(send, 403, "cross-site requests are refused")
            return
        if self.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = query.get("token")
            if given is not None and _equal(given, self.token) and scope["method"] == "GET":
                await _redirect_with_cookie(send, scope.get("path", "/"), query, self.token)
                return
            if not self._authorized(headers):
                await _refuse(send, 401, "this server needs its token: open the URL it "
                                         "printed (with ?token=...) or send "
                                         "'Authorization: Bearer TOKEN'")
                return
        await self.app(scope, receive, send)

    def _origin_allowed(self, origin: str, scope: Scope, host: str | None) -> bool:
        """The server's own origin (the scheme and the Host of the request), or a page of an
        ``--allow-host`` proxy (``https://proxy.example``), which may not pass the Host on."""
        if _same_origin(origin, scope, host):
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https"):
            return False
        found = _split_host(parts.netloc)
        if found is None:
            return False
        name, port = found
        return self.hosts.allows_proxy(name, port if port is not None else
                                       (443 if parts.scheme == "https" else 80))

    def _authorized(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and _equal(auth[7:].strip(), self.token):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no token
            return False
        morsel = cookie.get(TOKEN_COOKIE)
        return morsel is not None and _equal(morsel.value, self.token)


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _same_origin(origin: str, scope: Scope, host: str | None) -> bool:
    if origin == "null" or host is None:
        return False
    parts = urlsplit(origin)
    scheme = scope.get("scheme", "http")
    return parts.scheme == scheme and parts.netloc.lower() == host.lower()


def _navigation(scope: Scope, headers: dict[str, str]) -> bool:
    """A top-level GET of a page (following a link from elsewhere): harmless, allowed."""
    return (scope.get("method") == "GET" and headers.get("sec-fetch-mode") == "navigate"
            and headers.get("sec-fetch-dest") == "document"
            and not scope.get("path", "").startswith("/api/"))


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Send, path: str, query: dict[str, str], token: str) -> None:
    rest = {k: v for k, v in query.items() if k != "token"}
    location = path + (f"?{urlencode(rest)}" if rest else "")
    cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")),
                            (b"set-cookie", cookie.encode("latin-1")),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
