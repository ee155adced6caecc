"""What keeps the web app safe on a clinic network: one ASGI layer in front of every page.

* **Host check** (DNS rebinding): a page on another site cannot make a
  browser talk to this server under that site's name, because a request
  whose ``Host`` is not one of the server's own names is refused (421).
* **Password** (HTTP Basic, any user name) for a server other computers can
  reach; compared in constant time, and each wrong try waits a second.
* **Cross-site POSTs** are refused before they reach a page: a POST whose
  ``Origin`` is another site, or that the browser marks ``Sec-Fetch-Site:
  cross-site``. Every form also carries a CSRF token (:func:`csrf_token`):
  an HMAC of a random cookie (``SameSite=Strict``, ``HttpOnly``) with a
  secret only this process knows, checked by :func:`check_csrf`.
* **Security headers** on every response: a strict Content-Security-Policy
  (scripts and styles from this server only, no frames), ``nosniff``,
  ``Referrer-Policy: same-origin`` (not ``no-referrer``: with it a browser
  sends ``Origin: null``, which the cross-site check must refuse), and
  ``Cache-Control: no-store`` on everything but the library's PDFs and pictures.
* **Access log** without query strings or bodies: method, path, status, time.

Request bodies are limited by Starlette (``max_body_size``, 413); header
sizes by uvicorn.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

access_log = logging.getLogger("brochure.web.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "brochure_csrf"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]
#: Paths whose responses a browser may keep (built brochures and the app's own files).
CACHEABLE = ("/files/", "/static/")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _plain(send: Send, status: int, text: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
        *HEADERS, *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The ASGI layer described in the module's docstring."""

    def __init__(self, app: ASGIApp, *, hosts: set[str], password: str | None) -> None:
        self.app = app
        self.hosts = {host.lower() for host in hosts}
        self.password = password

    def _authorised(self, scope: Scope) -> bool:
        if self.password is None:
            return True
        header = _header(scope, b"authorization") or ""
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _user, _, given = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(given.encode(), self.password.encode())

    def _cross_site(self, scope: Scope, host: str) -> bool:
        if _header(scope, b"sec-fetch-site") == "cross-site":
            return True
        origin = _header(scope, b"origin")
        if origin is None:
            return False
        if origin == "null":
            return True
        return urlsplit(origin).netloc.lower() != host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method, path = scope["method"], scope["path"]
        host = (_header(scope, b"host") or "").lower()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                names = {key.lower() for key, _ in headers}
                headers.extend(pair for pair in HEADERS if pair[0] not in names)
                if b"content-type" in names and any(
                        key.lower() == b"content-type" and value.startswith(b"text/html")
                        for key, value in headers):
                    headers.append((b"content-security-policy",
                                    CONTENT_SECURITY_POLICY.encode()))
                if b"cache-control" not in names and not path.startswith(CACHEABLE):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            if host not in self.hosts:
                status = 421
                await _plain(send, 421, "This server does not answer to that name. Open it "
                                        "by the address it printed when it started.")
            elif not self._authorised(scope):
                status = 401
                if self.password is not None and _header(scope, b"authorization"):
                    await asyncio.sleep(1.0)  # slows down guessing
                await _plain(send, 401, "This app needs its password.",
                             [(b"www-authenticate", b'Basic realm="brochure", charset="UTF-8"')])
            elif method not in ("GET", "HEAD", "POST"):
                status = 405
                await _plain(send, 405, "Method not allowed.", [(b"allow", b"GET, HEAD, POST")])
            elif method == "POST" and self._cross_site(scope, host):
                status = 403
                await _plain(send, 403, "A form on another web site cannot be sent to this "
                                        "app.")
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            # Never the query string or the body: only what every request has.
            access_log.info('%s "%s %s" %s %.0f ms', (scope.get("client") or ("-",))[0],
                            method, path, status or "-",
                            (time.perf_counter() - started) * 1000)


# CSRF tokens ------------------------------------------------------------------

class Csrf:
    """Tokens for this process's forms: HMAC(secret, the browser's random cookie)."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(32)

    def token(self, cookie: str) -> str:
        return hmac.new(self._secret, cookie.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token or len(cookie) > 100 or len(token) > 100:
            return False
        return hmac.compare_digest(self.token(cookie), token)


def cookie_header(value: str) -> str:
    """The ``Set-Cookie`` value of the CSRF cookie (this browser session only)."""
    return f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"
