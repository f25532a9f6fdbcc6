"""The server as `make run` serves it: every text response compressed by the
app server itself, hashed static files cached for a year, and the serving
configuration read from .streamlit/config.toml. A real `streamlit run app.py`."""

from __future__ import annotations

import gzip
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest
from streamlit import file_util

from tests.browser import running_app
from tests.conftest import ROOT, fresh_database
from tracker.db.engine import make_engine
from tracker.operations.seed import prepare_database
from tracker.web.compression import chosen_encoding, is_text

STATIC = Path(file_util.get_static_dir())
PLOTLY = next((STATIC / "static" / "js").glob("PlotlyChart.*.js"))
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    with fresh_database(tmp_path_factory.mktemp("serving")) as url:
        engine = make_engine(url)
        prepare_database(engine, demo=True)
        engine.dispose()
        with running_app(url) as base:
            yield base


def get(url: str, accept_encoding: str, **headers: str):
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding, **headers})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers, response.read()


def decoded(headers, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def cache_directives(headers) -> set[str]:
    return {part.strip() for part in headers.get("Cache-Control", "").split(",")}


def test_the_plotly_bundle_is_sent_in_brotli_a_quarter_of_its_size_and_cached_for_a_year(server):
    path = "/static/js/"
    original = PLOTLY.read_bytes()
    for _ in range(2):  # compressed once, then sent from memory: the same answer
        status, headers, body = get(server + path + PLOTLY.name, "gzip, deflate, br, zstd")
        assert status == 200
        assert headers["Content-Encoding"] == "br"
        assert int(headers["Content-Length"]) == len(body) < len(original) / 3.5
        assert decoded(headers, body) == original
        assert "accept-encoding" in headers.get("Vary", "").lower()
        assert {"public", "immutable", f"max-age={YEAR}"} <= cache_directives(headers)


def test_a_client_without_brotli_gets_gzip_and_one_without_either_the_plain_bytes(server):
    original = PLOTLY.read_bytes()
    _, headers, body = get(f"{server}/static/js/{PLOTLY.name}", "gzip")
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < len(original) / 3 and gzip.decompress(body) == original
    _, headers, body = get(f"{server}/static/js/{PLOTLY.name}", "br;q=0, gzip;q=0")
    assert "Content-Encoding" not in headers and body == original


@pytest.mark.parametrize("path", ["/", "/propositions"])
def test_the_page_itself_is_compressed_and_revalidated(server, path):
    original = (STATIC / "index.html").read_bytes()
    status, headers, body = get(server + path, "br, gzip")
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert len(body) < len(original) / 2 and decoded(headers, body) == original
    assert "no-cache" in cache_directives(headers)  # a new release is seen at once
    assert headers["X-Content-Type-Options"] == "nosniff"  # the security headers stay


def test_our_api_json_is_compressed_by_the_same_layer_and_only_once(server):
    status, headers, body = get(f"{server}/api/v1/proposals", "br, gzip")
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert decoded(headers, body).lstrip().startswith(b"{")


def test_a_conditional_request_still_gets_its_not_modified(server):
    _, headers, _ = get(f"{server}/", "br")
    request = urllib.request.Request(
        f"{server}/", headers={"Accept-Encoding": "br", "If-None-Match": headers["ETag"]}
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30)
    assert answer.value.code == 304


def test_binary_files_are_not_compressed_again(server):
    status, headers, _ = get(f"{server}/favicon.png", "br, gzip")
    assert status == 200 and "Content-Encoding" not in headers


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("gzip;q=0", None),
        ("br;q=oops", None),
    ],
)
def test_the_encoding_follows_accept_encoding(accept, chosen):
    assert chosen_encoding(accept) == chosen


def test_only_text_types_are_compressed():
    assert is_text("text/html; charset=utf-8") and is_text("application/javascript")
    assert is_text("application/json") and is_text("image/svg+xml")
    assert not is_text("font/woff2") and not is_text("image/png")
    assert not is_text("text/event-stream") and not is_text("application/pdf")


def test_make_run_serves_without_per_run_garbage_collection_nor_source_watching():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False
