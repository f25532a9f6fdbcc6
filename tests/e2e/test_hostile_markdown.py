"""Markdown and HTML in every user-writable field a public page shows, in
Chromium: no page makes the browser fetch anything from anyone but the app.

A listener of the test's own stands for a third-party site; the payloads
(`![x](http://127.0.0.1:PORT/pixel)`, `<img src=…>`, links) point at it and
are planted through the actions after the server has started. Every public
page that shows one of them is opened; the listener must receive no request
and every request the page makes must go to the app (or be data:/blob:).
Two defences are checked at once: user text is escaped (tests/
test_user_text_pages.py checks that alone) and the Content-Security-Policy
allows images, fonts, fetches and frames from the app only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import running_app, wait_for_page
from tests.conftest import fresh_database
from tests.e2e.conftest import ready
from tests.user_text import NUMBER, plant

PAGES = [
    "/note",
    f"/proposition?n={NUMBER}",
    f"/proposition?n={NUMBER}&lang=en",
    "/",
    "/propositions",
    "/a-propos",
]
ALL_IMAGES_SETTLED = "() => Array.from(document.images).every((image) => image.complete)"


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    """A stand-in for a third-party site: its base URL and the paths it was asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/gif")
            self.end_headers()
            self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def planted_app(tmp_path_factory, listener) -> Iterator[str]:
    base, _ = listener
    with fresh_database(tmp_path_factory.mktemp("e2e-markdown")) as url:
        ready(url)
        with running_app(url) as app:
            # After the server prepared the database (which reloads the
            # catalogue's files): the pages then show what was typed.
            plant(url, base)
            yield app


@pytest.mark.parametrize("path", PAGES)
def test_no_public_page_fetches_what_user_text_points_at(page, planted_app, listener, path):
    base, asked = listener
    before = len(asked)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{planted_app}{path}")
    wait_for_page(page)
    page.wait_for_function(ALL_IMAGES_SETTLED, timeout=30_000)
    main = page.locator("[data-testid='stMain']")
    assert asked[before:] == [], requests
    outside = [
        url
        for url in requests
        if not url.startswith((planted_app, "data:", "blob:")) and "127.0.0.1" in url
    ]
    assert outside == []
    live = main.locator(f"img[src^='{base}'], a[href^='{base}']")
    assert [
        live.nth(i).evaluate("e => e.closest('[data-testid]').outerHTML.slice(0, 600)")
        for i in range(live.count())
    ] == []
    if path.startswith(("/note", "/proposition?")):
        # The planted text is on the page, as typed (and not only absent).
        assert f"{base}/pixel-".replace("://", ":\u2060//") in main.inner_text()
    if path == "/":
        # The lead owner's name, in the chart of owners: shown as typed, tags and all.
        # (Plotly reads <a href>, <b>, <span style> in its labels.)
        label = page.locator(".js-plotly-plot .ytick text", has_text=f"{base}/a-org")
        label.first.wait_for(state="attached", timeout=30_000)
        assert f"<a href='{base}/a-org'><b>x</b></a>" in label.first.text_content()
