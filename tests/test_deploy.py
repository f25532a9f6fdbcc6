"""deploy/nginx/tracker.conf, as an operator installs it, run by Debian's
nginx with TLS in front of a real app server (deploy/cluster.py renders it for
loopback, as `make cluster` does): the page, Streamlit's websocket session,
compression passed through, HSTS, the route cookie, the upload limit."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import free_port, running_app
from tests.conftest import fresh_database
from tests.nginx import cluster, needs_nginx

pytestmark = needs_nginx


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> tuple[str, ssl.SSLContext, Path]:
    # Not under pytest's own folder (0700): nginx's workers (www-data) write
    # request bodies and large answers in its tmp/.
    home = Path(tempfile.mkdtemp(prefix="tracker-nginx-"))
    home.chmod(0o755)
    with fresh_database(tmp_path_factory.mktemp("deploy")) as url, running_app(url) as base:
        port = free_port()
        cluster.start_nginx(home, [int(base.rsplit(":", 1)[1])], port)
        try:
            yield (
                f"https://127.0.0.1:{port}",
                ssl.create_default_context(cafile=str(home / "cert.pem")),
                home,
            )
        finally:
            cluster.stop_nginx(home)
            shutil.rmtree(home, ignore_errors=True)


def get(url: str, context: ssl.SSLContext, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60, context=context) as answer:
        return answer.status, answer.headers, answer.read()


def test_every_line_an_operator_edits_is_replaced_for_loopback(tmp_path):
    site = cluster.site_for([8511, 8512], 8443, tmp_path)
    assert "# EDIT" not in site and "example.org" not in site
    assert "server 127.0.0.1:8511 " in site and "server 127.0.0.1:8512 " in site
    assert "listen 127.0.0.1:8443 ssl" in site


def test_the_page_comes_over_tls_with_hsts_and_the_apps_own_compression(proxied):
    base, context, _ = proxied
    status, headers, _ = get(f"{base}/", context, **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"  # the app's, passed on
    assert "tracker_route=" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]
    assert "nginx/" not in headers.get("Server", "")  # no version given away


def test_a_browser_that_has_its_route_cookie_is_not_given_another(proxied):
    base, context, _ = proxied
    _, headers, _ = get(f"{base}/healthz", context, Cookie="tracker_route=abc")
    assert headers.get("Set-Cookie") is None


def test_healthz_answers_through_the_proxy_and_is_never_cached(proxied):
    base, context, _ = proxied
    status, headers, body = get(f"{base}/healthz", context)
    assert status == 200 and b'"database": true' in body
    assert headers["Cache-Control"] == "no-store"


def test_a_streamlit_session_runs_over_the_websocket_through_nginx(proxied):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    base, context, _ = proxied

    async def dashboard() -> int:
        async with connect(
            base.replace("https", "wss") + "/_stcore/stream",
            ssl=context,
            additional_headers={"Origin": base},
            max_size=None,
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = ""
            await ws.send(msg.SerializeToString())
            elements = 0
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    assert forward.delta.new_element.WhichOneof("type") != "exception"
                    elements += 1
                if kind == "script_finished":
                    return elements

    assert asyncio.run(dashboard()) > 5


def test_a_body_over_the_upload_limit_is_refused_by_the_proxy(proxied):
    base, context, home = proxied
    request = urllib.request.Request(
        f"{base}/_stcore/upload_file/x/y", data=b"\0" * (12 * 1024 * 1024), method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60, context=context)
    assert answer.value.code == 413
    assert "client intended to send too large body" in (home / "nginx-error.log").read_text()


def test_the_plotly_bundle_comes_through_whole_and_compressed(proxied):
    import brotli
    from streamlit import file_util

    base, context, _ = proxied
    plotly = next((Path(file_util.get_static_dir()) / "static" / "js").glob("PlotlyChart.*.js"))
    _, headers, body = get(f"{base}/static/js/{plotly.name}", context, **{"Accept-Encoding": "br"})
    assert headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == plotly.read_bytes()
