"""Every text response compressed by the app server itself (brotli, or gzip
for a client that does not take brotli), so that `make run` sends a first
visit in about a third of the bytes, with or without a proxy in front.

Streamlit deliberately sends its own bundle (`/static/…`) and the page itself
uncompressed: its gzip layer would compress the 4.7 MB Plotly bundle again on
every request. Here a response the server marks `immutable` (the hashed
files of that bundle) is compressed once, in a worker thread, and the
compressed bytes are kept for the life of the process: the set is bounded by
the files Streamlit ships (a few MB once compressed), and later visitors get
them at no cost. Anything else that is text (the page, our API's JSON, the
world outline) is compressed per response, quickly (brotli quality 4).

Only complete `200` answers to `GET` are touched: `HEAD`, ranges, conditional
answers (`304`), answers that are already encoded and binary types (images,
fonts, PDF, XLSX…) pass through as they are. Streamlit's own gzip layer, inside
this one, is told that the client accepts no encoding, so nothing is
compressed twice.
"""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

import brotli
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 512  # bytes: below it, an encoded answer is not smaller
TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/manifest+json",
    "application/xml",
    "application/x-javascript",
    "image/svg+xml",
)
NOT_TEXT = ("text/event-stream",)  # streamed: never buffered
# Kept once per process, so worth the time: brotli 9 makes the Plotly bundle
# 1.18 MB (gzip 9: 1.42 MB) in about 1 s of one core, once.
KEPT_QUALITY = 9
# Per response, fast: brotli 4 is close to gzip 9 in size at a fraction of its time.
PER_RESPONSE_QUALITY = 4


def _compress(body: bytes, encoding: str, kept: bool) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=KEPT_QUALITY if kept else PER_RESPONSE_QUALITY)
    return gzip.compress(body, compresslevel=9 if kept else 6, mtime=0)


def chosen_encoding(accept_encoding: str) -> str | None:
    """`br` or `gzip` as the client's `Accept-Encoding` allows (a `q=0`
    refuses), brotli first; None for neither."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[name.strip()] = quality
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, accepted.get("*", 0.0)) > 0:
            return encoding
    return None


def is_text(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith(TEXT_TYPES) and not kind.startswith(NOT_TEXT)


@dataclass(frozen=True)
class _Kept:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class CompressedResponses:
    """ASGI middleware; `app.py` puts it outside every other one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        encoding = chosen_encoding(request.get("accept-encoding", ""))
        if encoding is None or "range" in request:
            await self.app(scope, receive, send)
            return
        conditional = "if-none-match" in request or "if-modified-since" in request
        key = (scope.get("root_path", "") + scope["path"], encoding)
        if not conditional and await self._send_kept(key, send):
            return
        inner_scope = dict(scope)
        inner_scope["headers"] = [
            (name, value) for name, value in scope["headers"] if name != b"accept-encoding"
        ]
        await _Responder(self, key, encoding, send)(self.app, inner_scope, receive)

    async def _send_kept(self, key: tuple[str, str], send: Send) -> bool:
        kept = self._kept.get(key)
        if kept is None:
            return False
        await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
        await send({"type": "http.response.body", "body": kept.body})
        return True

    def _lock(self, key: tuple[str, str]) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())


class _Responder:
    """One response: passed through, or collected then sent compressed."""

    def __init__(
        self, owner: CompressedResponses, key: tuple[str, str], encoding: str, send: Send
    ) -> None:
        self.owner, self.key, self.encoding, self.send = owner, key, encoding, send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.passing = False

    async def __call__(self, app: ASGIApp, scope: Scope, receive: Receive) -> None:
        await app(scope, receive, self.on_send)

    async def on_send(self, message: Message) -> None:
        if self.passing:
            await self.send(message)
            return
        if message["type"] == "http.response.start":
            headers = Headers(raw=message.get("headers", []))
            if (
                message["status"] != 200
                or "content-encoding" in headers
                or not is_text(headers.get("content-type", ""))
            ):
                self.passing = True
                await self.send(message)
                return
            self.start = message
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        await self.finish()

    async def finish(self) -> None:
        assert self.start is not None
        body = b"".join(self.chunks)
        headers = MutableHeaders(raw=list(self.start.get("headers", [])))
        vary = headers.get("vary", "")
        if "accept-encoding" not in vary.lower():
            headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        if len(body) < MINIMUM_SIZE:
            await self._send(headers, body)
            return
        kept = "immutable" in headers.get("cache-control", "")
        if kept:
            async with self.owner._lock(self.key):
                if self.key not in self.owner._kept:
                    compressed = await run_in_threadpool(_compress, body, self.encoding, True)
                    self._encoded(headers, compressed)
                    self.owner._kept[self.key] = _Kept(headers.raw, compressed)
                body = self.owner._kept[self.key].body
                headers = MutableHeaders(raw=list(self.owner._kept[self.key].headers))
        else:
            if len(body) > 256 * 1024:  # large: off the event loop
                body = await run_in_threadpool(_compress, body, self.encoding, False)
            else:
                body = _compress(body, self.encoding, False)
            self._encoded(headers, body)
        await self._send(headers, body)

    def _encoded(self, headers: MutableHeaders, body: bytes) -> None:
        headers["Content-Encoding"] = self.encoding
        headers["Content-Length"] = str(len(body))
        etag = headers.get("etag")
        if etag and not etag.startswith("W/"):
            headers["ETag"] = f"W/{etag}"  # the same resource, not the same bytes

    async def _send(self, headers: MutableHeaders, body: bytes) -> None:
        if "content-encoding" not in headers:
            headers["Content-Length"] = str(len(body))
        await self.send({**self.start, "headers": headers.raw})
        await self.send({"type": "http.response.body", "body": body})
