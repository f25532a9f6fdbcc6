"""Headers on the way out: security headers on every response of the server
(interface and API alike), CORS on the API's; on the way in, request bodies
bounded on our own routes (the API and `/auth/*`).

All are plain ASGI middleware, so Streamlit's websocket and streamed
responses pass through untouched.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What the interface needs and no more. Streamlit loads its scripts, styles and
# fonts from its own origin and inlines some styles, so script-src and style-src
# are left to the browser's default rather than guessed (a wrong guess blanks the
# page). Everything else that could reach another site is closed: images
# (a Markdown image in some user text would be a tracking pixel), fonts, media,
# frames, workers, fetches and websockets ('self' covers ws:// on the same
# host), form targets; and framing by other sites, plugins and <base> tricks.
# Streamlit still needs data: and blob: images (icons, charts' downloads) and
# blob: workers; tests/test_api_server.py opens every page in Chromium under it.
FRAMING_POLICY = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
CONTENT_SECURITY_POLICY = (
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
    "connect-src 'self'; frame-src 'self'; worker-src 'self' blob:; "
    "manifest-src 'self'; form-action 'self'; " + FRAMING_POLICY
)
# An API answer is data, never a page: nothing in it may load anything.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; " + FRAMING_POLICY
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path == "/healthz"


MAX_BODY = 8192  # the largest form of ours (sign-in code and `next`) is far under


def is_ours(path: str) -> bool:
    """The routes this project serves beside Streamlit's (which bound their own
    bodies: `server.maxUploadSize`)."""
    return is_api(path) or path == "/auth" or path.startswith("/auth/")


class _BodyTooLarge(Exception):
    pass


class BoundedBody:
    """Refuse, with 413, a request to one of our routes whose body is over
    `MAX_BODY`: by its `Content-Length` before anything is read, and, for a
    body sent without one (chunked), as soon as what was received passes the
    limit. Nothing past the limit is read or kept; the server then closes the
    connection instead of draining the rest."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_ours(scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not (declared.isdigit() and int(declared) <= self.limit):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, watched_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"Request body over {self.limit} bytes.\n",
            status_code=413,
            headers={"Connection": "close", "Cache-Control": "no-store"},
        )
        await response(scope, receive, send)


# Streamlit's own routes that tell an outsider about the server and serve no
# visitor: `/_stcore/metrics` counts sessions and cache sizes (OpenMetrics).
PRIVATE_ROUTES = ("/_stcore/metrics",)


def is_private(path: str) -> bool:
    """Whatever the spelling the router would still match: `//`, a trailing
    `/`, an encoded `%2F` (already decoded in the ASGI path), any case."""
    folded = "/" + "/".join(part for part in path.lower().split("/") if part)
    return folded.endswith(PRIVATE_ROUTES)


class PrivateRoutes:
    """404 on Streamlit's routes that are not for the public (`PRIVATE_ROUTES`),
    as if they did not exist; the health check (`/_stcore/health`) stays."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_private(scope["path"]):
            response = PlainTextResponse("Not Found\n", status_code=404)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = API_CONTENT_SECURITY_POLICY if is_api(scope["path"]) else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**SECURITY_HEADERS, "Content-Security-Policy": policy}.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ApiCors:
    """`Access-Control-Allow-Origin: *` on the API's GET and HEAD answers, and
    the preflight answer a browser asks before a conditional request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await Response(status_code=204, headers=PREFLIGHT_HEADERS)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and scope["method"] in ("GET", "HEAD"):
                headers = MutableHeaders(scope=message)
                for name, value in CORS_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_cors)
