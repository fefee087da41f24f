"""What every request passes before the app sees it: the token, the host, the origin, the size.

- A server on a loopback address may run without a token; on any other address it needs one
  (:func:`check_bind`). With a token, every request carries it: ``Authorization: Bearer T``,
  or the cookie that opening any page with ``?token=T`` sets (the browser is then sent to the
  same page without the token in its address, so it stays out of history and logs).
- Without a token, the Host header must name the loopback (``allowed_hosts``): a web page
  whose name an attacker points at 127.0.0.1 (DNS rebinding) is refused.
- A request that changes something (POST, PUT, PATCH, DELETE) from another site's page
  (its ``Origin`` is not this server) is refused: a form elsewhere cannot start jobs here.
- Bodies are read whole up to :data:`MAX_BODY` bytes; a larger one is refused with 413.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Callable, Sequence
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["COOKIE", "LOOPBACK_HOSTS", "MAX_BODY", "Guard", "HtmlPage", "check_bind", "is_loopback"]

log = logging.getLogger("plantwin.web")

MAX_BODY = 2 * 1024 * 1024
"""Bytes a request body may have: a scenario of at most 1 MiB, JSON-escaped, fits."""
COOKIE = "plantwin_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),  # the token of a /?token= address never leaks
]

HtmlPage = Callable[[Request, int, str], Response]
"""An HTML error page for a request, a status and a message (the pages' look)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse (ValueError, with the message to print) to serve on ``host`` without a token
    when it is not a loopback address."""
    if token is None and not is_loopback(host):
        raise ValueError(
            f"--host {host} lets other machines reach the server: give a token with --token T "
            "or PLANTWIN_TOKEN (every request must then carry it: the header "
            "'Authorization: Bearer T', or open /?token=T once in the browser)"
        )
    if token is not None and not token.strip():
        raise ValueError("the token is empty: give one with --token T or PLANTWIN_TOKEN")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _host_name(host: str) -> str:
    """``host[:port]`` or ``[v6]:port`` without the port."""
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """The ASGI middleware that applies this module's rules to every HTTP request.

    ``token`` None: no token (a loopback server); ``allowed_hosts``: the Host names accepted
    (None: any); ``html_page``: the page a browser gets for a refused page request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None = None,
        allowed_hosts: Sequence[str] | None = None,
        html_page: HtmlPage | None = None,
    ) -> None:
        self.app = app
        self.token = token.encode() if token is not None else None
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self.html_page = html_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await self._refuse(scope, send, *refusal)
            return
        if self.token is not None and self._query_token(scope) is not None:
            await self._login(scope, send)
            return
        body = await self._body(scope, receive)
        if body is None:
            await self._refuse(scope, send, 413, f"the request is larger than {MAX_BODY:,} bytes")
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # a disconnect, when the app waits for one
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        await self.app(scope, replay, secured)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        """The status and message a request is refused with, or None to let it pass."""
        host = _header(scope, b"host") or ""
        if self.allowed_hosts is not None and _host_name(host).lower() not in self.allowed_hosts:
            return 403, f"this server answers only to {', '.join(sorted(self.allowed_hosts))}"
        origin = _header(scope, b"origin")
        # a page of another site, or one without a site ("null": a sandboxed frame, a file)
        unsafe = scope["method"] in _UNSAFE
        if unsafe and origin is not None and urlsplit(origin).netloc.lower() != host.lower():
            return 403, "a request from another site's page is refused"
        if self.token is None:
            return None
        given = self._query_token(scope)
        if given is not None:
            return None if self._matches(given) else (401, "the token in the address is wrong")
        auth = _header(scope, b"authorization") or ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and self._matches(value.strip()):
            return None
        cookie = SimpleCookie()
        try:
            cookie.load(_header(scope, b"cookie") or "")
        except Exception:  # a malformed Cookie header is no token
            cookie = SimpleCookie()
        if COOKIE in cookie and hmac.compare_digest(cookie[COOKIE].value, self._cookie()):
            return None
        return 401, (
            "this server needs its token: send 'Authorization: Bearer TOKEN', "
            "or open /?token=TOKEN once in the browser"
        )

    def _matches(self, given: str) -> bool:
        assert self.token is not None
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token)

    def _cookie(self) -> str:
        """The cookie's value: derived from the token (any text), so it is a plain word."""
        assert self.token is not None
        return hmac.new(self.token, b"plantwin cookie", hashlib.sha256).hexdigest()

    @staticmethod
    def _query_token(scope: Scope) -> str | None:
        query = scope.get("query_string", b"").decode("latin-1")
        return dict(parse_qsl(query, keep_blank_values=True)).get("token")

    async def _login(self, scope: Scope, send: Send) -> None:
        """Set the token's cookie and send the browser to the same address without it."""
        assert self.token is not None
        query = scope.get("query_string", b"").decode("latin-1")
        rest = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "token"]
        target = (
            scope.get("root_path", "") + scope["path"] + (f"?{urlencode(rest)}" if rest else "")
        )
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        cookie = f"{COOKIE}={self._cookie()}; Path=/; HttpOnly; SameSite=Strict{secure}"
        headers = [
            (b"location", target.encode("latin-1", "replace")),
            (b"set-cookie", cookie.encode("latin-1")),
            (b"cache-control", b"no-store"),
            *_HEADERS,
        ]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def _body(scope: Scope, receive: Receive) -> bytes | None:
        """The whole request body, or None when it has more than MAX_BODY bytes."""
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _refuse(self, scope: Scope, send: Send, status: int, detail: str) -> None:
        """Answer ``status``: JSON for the API and scripts, the HTML page for a browser's page."""
        accept = _header(scope, b"accept") or ""
        headers = {"www-authenticate": "Bearer"} if status == 401 else None
        response: Response = JSONResponse({"detail": detail}, status_code=status, headers=headers)
        page = self.html_page is not None and not scope["path"].startswith("/api/")
        if page and "text/html" in accept:
            assert self.html_page is not None
            try:
                response = self.html_page(Request(scope), status, detail)
            except Exception:  # the page failed: the refusal still goes out, as JSON
                log.exception("the error page failed; answering JSON")
        response.headers.update({k.decode(): v.decode() for k, v in _HEADERS})
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
