"""Oversized request bodies on every route of ours (the API, `/auth/*`):
refused by their `Content-Length` before anything is read, and, sent without
one, as soon as they pass the limit. The same as `app.py` composes it, then on
a running server with a body streamed for as long as it keeps reading."""

from __future__ import annotations

import contextlib
import re
import socket
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.browser import running_app
from tests.conftest import fresh_database
from tracker import api
from tracker.api.middleware import MAX_BODY
from tracker.web.auth_routes import auth_routes


def composed() -> Starlette:
    return Starlette(routes=[*api.routes(), *auth_routes()], middleware=api.middleware())


def every_route() -> list[tuple[str, str]]:
    found = []
    for route in [*api.routes(), *auth_routes()]:
        assert isinstance(route, Route)
        path = re.sub(r"\{rest:path\}", "x/y", route.path)
        path = re.sub(r"\{[^}]+\}", "3", path)
        found += [(method, path) for method in sorted(route.methods or []) if method != "HEAD"]
    return found


ROUTES = every_route()


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_a_declared_length_over_the_limit_is_refused_on_every_route(method, path):
    with TestClient(composed()) as client:
        response = client.request(method, path, content=b"x" * (MAX_BODY + 1))
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/auth/session", "/auth/sign-out", "/api/v1/proposals"])
def test_a_body_without_a_length_is_refused_once_past_the_limit(path):
    def chunks():
        for _ in range(64):
            yield b"x" * 1024

    with TestClient(composed()) as client:
        response = client.request("POST", path, content=chunks())
    assert response.status_code in (405, 413) if path.startswith("/api") else (413,)


@pytest.mark.parametrize("length", ["-1", "1e9", "99999999999999999999", "abc"])
def test_a_length_that_is_not_a_number_within_bounds_is_refused(length):
    with TestClient(composed()) as client:
        response = client.post("/auth/sign-out", headers={"content-length": length}, content=b"")
    assert response.status_code in (400, 413)


def test_a_small_form_still_reaches_its_route():
    with TestClient(composed()) as client:
        response = client.post(
            "/auth/sign-out",
            data={"next": "/"},
            headers={"origin": "http://testserver"},
            follow_redirects=False,
        )
    assert response.status_code == 303


# On a running server -------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("bodies")) as url, running_app(url) as base:
        yield base


def server_memory(port: int) -> int:
    """The resident memory (KiB) of the Streamlit process serving `port`."""
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and str(port).encode() in command:
            for line in (status.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    raise LookupError(port)


def stream_until_refused(base: str, path: str, limit: int) -> tuple[bytes, int]:
    """POST a chunked body for as long as the server reads it, up to `limit` bytes."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    chunk = b"x" * 65536
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: {base}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        sock.settimeout(0.01)
        answer = b""
        try:
            while sent < limit and not answer:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                with contextlib.suppress(TimeoutError):
                    answer = sock.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: what it answered is read below
        sock.settimeout(10)
        deadline = time.monotonic() + 10
        while not answer and time.monotonic() < deadline:
            try:
                answer = sock.recv(4096)
            except (TimeoutError, ConnectionResetError):
                break
    return answer, sent


@pytest.mark.parametrize("path", ["/auth/sign-out", "/auth/session", "/api/v1/proposals"])
def test_a_streamed_body_is_cut_off_and_costs_the_server_no_memory(server, path):
    port = int(server.rsplit(":", 1)[1])
    before = server_memory(port)
    answer, sent = stream_until_refused(server, path, 300 * 1024 * 1024)
    # The API's routes answer a POST without reading it (405); ours refuse it (413).
    assert answer.startswith((b"HTTP/1.1 413", b"HTTP/1.1 405")), answer[:200]
    assert sent < 64 * 1024 * 1024  # the server stopped reading long before 300 MB
    assert server_memory(port) - before < 50 * 1024  # KiB: before the fix, +585 MB
