"""Two app servers on one PostgreSQL behind Debian's nginx with TLS, as
deploy/ installs them (deploy/cluster.py renders the site for loopback), in
Chromium: the secretariat signs in and plans a session; the server that holds
its Streamlit session is killed as a crash would kill it; the page reconnects
through nginx to the other server, the person is still signed in, and what was
saved on the first server is there on the second.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.browser import SERVERS, free_port, go, running_app, signed_in, wait_for_page
from tests.conftest import postgres_schema
from tests.e2e.test_journeys import button, committed_value, field, flash
from tests.nginx import cluster, needs_nginx
from tracker.db.engine import make_engine
from tracker.i18n import t
from tracker.operations.seed import prepare_database
from tracker.web.auth_routes import SESSION_COOKIE

pytestmark = needs_nginx

LANG = "fr"
WAIT = 90.0  # seconds: a restart of the websocket on a loaded machine
STREAM = re.compile(r'"GET /_stcore/stream [^"]*" \d+ \d+ upstream=127\.0\.0\.1:(\d+) ')


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """(https base URL through nginx, database URL, nginx's folder, app ports)."""
    home = Path(tempfile.mkdtemp(prefix="tracker-failover-"))
    home.chmod(0o755)  # nginx's workers (www-data) write in its tmp/
    with postgres_schema() as url:
        engine = make_engine(url)
        try:
            prepare_database(engine, demo=True)
        finally:
            engine.dispose()
        # One after the other: each takes the first free port when it starts.
        with running_app(url) as first, running_app(url) as second:
            ports = [int(base.rsplit(":", 1)[1]) for base in (first, second)]
            port = free_port()
            cluster.start_nginx(home, ports, port)
            try:
                yield f"https://127.0.0.1:{port}", url, home, ports
            finally:
                cluster.stop_nginx(home)
                shutil.rmtree(home, ignore_errors=True)


def stream_upstreams(home: Path) -> list[int]:
    """The app port of each websocket nginx has passed on so far, in order
    (a websocket's line is written when it closes, or at once if it failed)."""
    log = home / "nginx-access.log"
    if not log.exists():
        return []
    return [int(port) for port in STREAM.findall(log.read_text(encoding="utf-8"))]


def test_a_crashed_server_hands_the_person_to_the_other_still_signed_in(browser, two_servers):
    base, url, home, ports = two_servers
    context = browser.new_context(
        ignore_https_errors=True, viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    try:
        signed_in(page, base, "secretariat@demo.invalid", lang=LANG)
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert cookies[SESSION_COOKIE]["secure"] and cookies[SESSION_COOKIE]["httpOnly"]
        assert cookies["tracker_route"]["secure"]

        # Work: plan a session (saved in PostgreSQL by the server that holds the tab).
        label = f"Séance avant la panne {uuid.uuid4().hex[:6]}"
        go(page, t("sessions.nav", LANG), t("sessions.title", LANG))
        field(page, t("session.label", LANG)).fill(label)
        button(page, t("sessions.plan", LANG)).click()
        flash(
            page,
            t(
                "sessions.planned",
                LANG,
                id=committed_value(
                    url, "SELECT id FROM review_sessions WHERE label = :l", timeout=WAIT, l=label
                ),
            ),
        )

        # Which server holds the tab: the one nginx chose for the page's
        # requests carrying its route cookie (the websocket's own line is
        # written only when it closes).
        holder = _holder(home, cookies["tracker_route"]["value"], ports)
        other = ports[1 - ports.index(holder)]
        closed_before = stream_upstreams(home).count(holder)  # earlier pages' websockets
        logged_before = len(_log_lines(home))
        SERVERS[f"http://127.0.0.1:{holder}"].kill()
        SERVERS[f"http://127.0.0.1:{holder}"].wait(timeout=30)

        # The tab's websocket closes with the server (nginx writes its line
        # then); the page reconnects on its own and nginx passes the new
        # websocket to the other server.
        deadline = time.monotonic() + WAIT
        while stream_upstreams(home).count(holder) <= closed_before:
            assert time.monotonic() < deadline, "nginx never saw the websocket close"
            time.sleep(0.2)  # polling nginx's log with a deadline
        wait_for_page(page)

        # Still signed in, on the other server, and what was saved is there.
        go(page, t("sessions.nav", LANG), t("sessions.title", LANG))
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("secretariat@demo.invalid").wait_for(timeout=WAIT * 1000)
        assert button(page, t("auth.sign_out", LANG)).count() == 1
        # The session's own link on the list (its row is in the grid too, a canvas).
        page.get_by_role("link", name=label).first.wait_for(timeout=WAIT * 1000)
        # Every request after the crash (after the line of the websocket it
        # closed) was answered by the other server (nginx lists each server
        # it tried, the one that answered last).
        after = _log_lines(home)[logged_before:]
        closed = next(i for i, line in enumerate(after) if STREAM.search(line))
        answered = [
            found.group(1).split(", ")[-1]
            for line in after[closed + 1 :]
            if (found := re.search(r"upstream=(.+?) route=", line))
        ]
        assert answered and set(answered) == {f"127.0.0.1:{other}"}, answered
    finally:
        context.close()


def _log_lines(home: Path) -> list[str]:
    return (home / "nginx-access.log").read_text(encoding="utf-8").splitlines()


def _holder(home: Path, route: str, ports: list[int]) -> int:
    """The app port nginx gives the requests of this route cookie."""
    pattern = re.compile(rf"upstream=127\.0\.0\.1:(\d+) route={re.escape(route)}")
    found = [int(port) for port in pattern.findall((home / "nginx-access.log").read_text())]
    assert found and set(found) <= set(ports), found
    return found[-1]
