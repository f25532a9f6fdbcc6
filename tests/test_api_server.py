"""The API as `streamlit run app.py` serves it, beside the interface, on one
port: the data package validated over HTTP, OpenAPI-driven fuzzing, and the
interface still drawn in a real browser under the security headers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available, running_app, wait_for_page
from tests.conftest import ROOT, fresh_database
from tracker.db.engine import make_engine
from tracker.opendata import package as opendata
from tracker.operations.seed import prepare_database


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    with fresh_database(tmp_path_factory.mktemp("server")) as url:
        engine = make_engine(url)
        prepare_database(engine, demo=True)
        engine.dispose()
        with running_app(url) as base:
            yield base


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_app_py_is_discovered_as_an_st_app_by_streamlit_run():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app
    assert found.import_string == "app:app"


def test_one_port_serves_the_interface_and_the_api(server):
    status, _, body = get(f"{server}/")
    assert status == 200 and b"<!DOCTYPE html>" in body
    status, _, body = get(f"{server}/api/v1/proposals")
    assert status == 200 and len(json.loads(body)["data"]) == 20
    status, _, body = get(f"{server}/healthz")
    assert status == 200 and json.loads(body)["database"] is True


@pytest.mark.parametrize("path", ["/", "/propositions", "/api/v1/proposals", "/healthz"])
def test_security_headers_on_the_interface_and_the_api(server, path):
    _, headers, _ = get(f"{server}{path}")
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in headers["permissions-policy"]
    for directive in ("frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"):
        assert directive in headers["content-security-policy"]


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect itself is the answer to look at


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def any_answer(url: str, method: str = "GET", data: bytes | None = None, **headers: str):
    """Status and headers of any answer, an error's included."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with NO_REDIRECTS.open(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def streamlit_asset(base: str) -> str:
    """One of the scripts Streamlit's page loads (its name changes with each release)."""
    _, _, body = get(f"{base}/")
    found = re.search(r'src="(\.?/?static/js/[^"]+\.js)"', body.decode())
    assert found, "the page names no Streamlit script"
    return "/" + found.group(1).lstrip("./")


STRICT_REFERRERS = ("strict-origin-when-cross-origin", "same-origin", "no-referrer")


def test_every_kind_of_response_carries_the_security_headers(server):
    etag = any_answer(f"{server}/api/v1/proposals")[1]["etag"]
    responses = {
        "a page": ("GET", "/propositions", None, {}),
        "Streamlit's health check": ("GET", "/_stcore/health", None, {}),
        "a Streamlit script": ("GET", streamlit_asset(server), None, {}),
        "an app static file": ("GET", "/app/static/topojson/world_110m.json", None, {}),
        "a missing static file": ("GET", "/app/static/nothing-here.txt", None, {}),
        "the API": ("GET", "/api/v1/proposals", None, {}),
        "the API's CSV": ("GET", "/api/v1/contributions.csv", None, {}),
        "the API, not modified": ("GET", "/api/v1/proposals", None, {"If-None-Match": etag}),
        "the API's 404": ("GET", "/api/v1/nothing-here", None, {}),
        "the API's 400": ("GET", "/api/v1/proposals?theme=%3Cscript%3E", None, {}),
        "the API's preflight": ("OPTIONS", "/api/v1/proposals", None, {"Origin": "https://x"}),
        "a sign-in with no code": (
            "POST",
            "/auth/session",
            b"code=&next=/",
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": server},
        ),
        "a sign-in from another site": (
            "POST",
            "/auth/session",
            b"code=x",
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.invalid"},
        ),
        "a sign-out": (
            "POST",
            "/auth/sign-out",
            b"next=/",
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": server},
        ),
        "GET on a POST-only route": ("GET", "/auth/session", None, {}),
    }
    statuses = set()
    for kind, (method, path, data, headers) in responses.items():
        status, got = any_answer(f"{server}{path}", method, data, **headers)
        statuses.add(status // 100)
        assert got.get("x-content-type-options") == "nosniff", kind
        # the sign-in routes set a stricter one of their own
        assert got.get("referrer-policy") in STRICT_REFERRERS, kind
        assert "camera=()" in got.get("permissions-policy", ""), kind
        assert got.get("x-frame-options") == "SAMEORIGIN", kind
        policy = got.get("content-security-policy", "")
        for directive in ("frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"):
            assert directive in policy, (kind, policy)
        if path.startswith("/api/"):
            assert policy.startswith("default-src 'none'"), kind
    assert statuses >= {2, 3, 4}  # successes, redirects or 304, and errors alike


def test_frictionless_validates_the_served_package_fetching_every_resource(server):
    descriptor = f"{server}/api/v1/datapackage.json"
    assert opendata.validation_errors(descriptor) == []
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", descriptor],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-2000:]
    assert {task["name"] for task in report["tasks"]} == {
        "proposals",
        "history",
        "contributions",
        "organisations",
        "sessions",
        "decisions",
    }
    # The demonstration data have no published minutes yet: no session, no decision.
    rows = {task["name"]: task["stats"].get("rows", 0) for task in report["tasks"]}
    assert rows.pop("sessions") == rows.pop("decisions") == 0
    assert all(count > 0 for count in rows.values())


def test_schemathesis_finds_no_failure_against_the_running_app(server, tmp_path):
    """Bounded: a few examples per operation and phase, a fixed seed, a time
    limit; only this machine's loopback address is ever called."""
    assert server.startswith("http://127.0.0.1:")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{server}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "8",
            "--seed",
            "2018",
            "--workers",
            "1",
            "--max-response-time",
            "20",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=420,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "No issues found" in result.stdout
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "schemathesis.txt").write_text(result.stdout, encoding="utf-8")


PUBLIC_PAGES = {  # a page → something it draws only once its script has run
    "/": ".js-plotly-plot .main-svg",
    "/proposition?n=7": "[data-testid='stProgress'], [data-testid='stCaptionContainer']",
    "/note": "[data-testid='stMetric']",
    "/a-propos": "[data-testid='stMarkdownContainer']",
    "/accessibilite": "[data-testid='stMarkdownContainer']",
    "/connexion": "input",
    "/seances": "[data-testid='stMain'] h1",
}


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")
def test_the_interface_still_renders_in_a_browser_under_the_security_headers(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            violations: list[str] = []
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text) if "Content Security Policy" in m.text else None
                ),
            )
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            response = page.goto(f"{server}/propositions")
            policy = response.headers["content-security-policy"]
            for directive in (
                "frame-ancestors 'self'",
                "img-src 'self' data:",
                "connect-src 'self'",
            ):
                assert directive in policy
            wait_for_page(page)
            # The app's own navigation (st.navigation), not the pages/ folder's file
            # names that Streamlit lists for a moment while the first run starts.
            page.locator("[data-testid='stSidebarNav'] a", has_text="Note de synthèse").wait_for(
                timeout=30_000
            )
            page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).wait_for(
                timeout=30_000
            )
            page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
            assert page.locator("[data-testid='stMain'] h1").first.inner_text() == (
                "Les propositions"
            )
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / "interface-with-csp.png"))
            # Every public page draws (charts, maps, tables) under the policy,
            # and asks nothing of anyone but the app.
            for path, drawn in PUBLIC_PAGES.items():
                page.goto(f"{server}{path}")
                wait_for_page(page)
                page.locator(drawn).first.wait_for(timeout=30_000)
            assert violations == []
            assert [u for u in requests if not u.startswith((server, "data:", "blob:"))] == []
        finally:
            browser.close()


@pytest.mark.parametrize(
    "path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore/metrics", "/_stcore/metrics?x=1"]
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_streamlits_metrics_are_not_public(server, path, method):
    status, headers = any_answer(f"{server}{path}", method)
    assert status == 404
    assert "openmetrics" not in headers.get("content-type", "")


@pytest.mark.parametrize("path", ["/_STCORE/metrics", "/_stcore/Metrics", "/_stcore/metrics%2F"])
def test_no_spelling_of_the_metrics_route_serves_them(server, path):
    try:
        status, _, body = get(f"{server}{path}")
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status == 404 or b"session_events" not in body


def test_streamlits_health_check_stays_public(server):
    assert get(f"{server}/_stcore/health")[0] == 200
