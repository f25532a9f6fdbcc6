"""Persistent sign-in: server-side sessions behind an HttpOnly cookie.

The rules are tested on the services with a given clock, on SQLite and
PostgreSQL; the two HTTP routes on a real app server; and the whole path in a
real Chromium: sign in, open another address, reload, sign out."""

from __future__ import annotations

import http.client
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import inspect, select

from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available, running_app, wait_for_page
from tests.conftest import fresh_database
from tracker.accounts import actions as accounts
from tracker.accounts import queries as account_queries
from tracker.accounts import sessions
from tracker.clock import aware
from tracker.db.engine import alembic_config, current_revision, make_engine, upgrade
from tracker.db.models import AccountSession, AuditEntry, SignInCode
from tracker.db.unit_of_work import transaction
from tracker.operations.seed import DEMO_PASSWORD, prepare_database

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def account(db, email: str = "lille@demo.invalid"):
    return account_queries.get_account(db, email)


def signed_in(db, email: str = "lille@demo.invalid", at: datetime = NOW) -> str:
    """A session opened the way the browser opens one: code, then route."""
    code = sessions.issue_code(db, account(db, email).id, at=at)
    token = sessions.redeem_code(db, code, at=at)
    assert token is not None
    return token


def audit_actions(db, email: str) -> list[str]:
    rows = db.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == email).order_by(AuditEntry.id)
    ).all()
    return [row.action for row in rows]


# Codes and sessions ---------------------------------------------------------------


def test_a_code_opens_a_session_and_the_database_keeps_only_hashes(db):
    lille = account(db)
    code = sessions.issue_code(db, lille.id, at=NOW)
    token = sessions.redeem_code(db, code, at=NOW + timedelta(seconds=5))
    stored_code = db.scalar(select(SignInCode).where(SignInCode.account_id == lille.id))
    stored_session = db.scalar(select(AccountSession).where(AccountSession.account_id == lille.id))
    assert stored_code.code_hash == sessions.digest(code) != code
    assert stored_session.token_hash == sessions.digest(token) != token
    assert len(token) >= 40 and token != code
    found = sessions.resolve(db, token, at=NOW + timedelta(seconds=10))
    assert found.actor.email == "lille@demo.invalid" and found.actor.role.value == "contributor"
    assert "session.sign_in" in audit_actions(db, "lille@demo.invalid")


def test_a_code_opens_only_one_session(db):
    code = sessions.issue_code(db, account(db).id, at=NOW)
    assert sessions.redeem_code(db, code, at=NOW) is not None
    assert sessions.redeem_code(db, code, at=NOW) is None


@pytest.mark.parametrize(("after", "works"), [(59, True), (60, True), (61, False)])
def test_a_code_lasts_one_minute(db, after, works):
    code = sessions.issue_code(db, account(db).id, at=NOW)
    assert (sessions.redeem_code(db, code, at=NOW + timedelta(seconds=after)) is not None) is works


@pytest.mark.parametrize("secret", ["", "inconnu", "x" * 500, None])
def test_an_unknown_code_or_token_is_nobody(db, secret):
    assert sessions.redeem_code(db, secret, at=NOW) is None
    assert sessions.resolve(db, secret, at=NOW).actor is None


def test_a_session_stays_open_while_used_and_ends_after_thirty_idle_minutes(db):
    token = signed_in(db)
    for minutes in (29, 58, 87):  # each visit less than 30 minutes after the last
        assert sessions.resolve(db, token, at=NOW + timedelta(minutes=minutes)).actor
    ended = sessions.resolve(db, token, at=NOW + timedelta(minutes=87 + 31))
    assert ended.actor is None and ended.notice == "auth.expired"
    # Said once; the session stays ended even if used again at once.
    assert sessions.resolve(db, token, at=NOW + timedelta(minutes=87 + 32)) == sessions.Resolved(
        None
    )
    assert audit_actions(db, "lille@demo.invalid")[-1] == "session.expire"


def test_with_a_six_second_idle_timeout_a_used_session_lives_and_an_idle_one_ends(db, monkeypatch):
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "0.1")
    token = signed_in(db)
    for seconds in (5, 10, 15, 20):  # used every five seconds: each use counts
        assert sessions.resolve(db, token, at=NOW + timedelta(seconds=seconds)).actor
    ended = sessions.resolve(db, token, at=NOW + timedelta(seconds=27))
    assert ended.actor is None and ended.notice == "auth.expired"


def test_a_session_ends_after_twelve_hours_however_active(db):
    token = signed_in(db)
    at = NOW
    while at < NOW + timedelta(hours=11, minutes=50):
        at += timedelta(minutes=10)
        assert sessions.resolve(db, token, at=at).actor is not None
    ended = sessions.resolve(db, token, at=NOW + timedelta(hours=12))
    assert ended.actor is None and ended.notice == "session.lifetime_expired"


def test_last_activity_is_written_at_most_once_a_minute(db):
    token = signed_in(db)
    row = db.scalar(
        select(AccountSession).where(AccountSession.token_hash == sessions.digest(token))
    )
    sessions.resolve(db, token, at=NOW + timedelta(seconds=50))
    assert aware(row.last_activity) == NOW
    sessions.resolve(db, token, at=NOW + timedelta(seconds=70))
    assert aware(row.last_activity) == NOW + timedelta(seconds=70)


def test_signing_out_ends_that_session_only(db):
    laptop, phone = signed_in(db), signed_in(db)
    assert sessions.sign_out(db, laptop, at=NOW)
    assert sessions.resolve(db, laptop, at=NOW).actor is None
    assert sessions.resolve(db, phone, at=NOW).actor is not None
    assert not sessions.sign_out(db, laptop, at=NOW)  # once
    assert audit_actions(db, "lille@demo.invalid").count("session.sign_out") == 1


def test_disabling_an_account_ends_its_sessions_and_spends_its_codes(db):
    admin = accounts.sign_in(db, "admin@demo.invalid", DEMO_PASSWORD, at=NOW).actor
    token = signed_in(db, "lyon@demo.invalid")
    waiting = sessions.issue_code(db, account(db, "lyon@demo.invalid").id, at=NOW)
    accounts.set_active(db, admin, "lyon@demo.invalid", False, at=NOW)
    assert sessions.live_sessions(db, account(db, "lyon@demo.invalid").id) == 0
    assert sessions.resolve(db, token, at=NOW).actor is None
    assert sessions.redeem_code(db, waiting, at=NOW) is None
    accounts.set_active(db, admin, "lyon@demo.invalid", True, at=NOW)
    assert sessions.resolve(db, token, at=NOW).actor is None  # enabling again revives nothing


def test_a_new_password_ends_the_accounts_sessions(db):
    admin = accounts.sign_in(db, "admin@demo.invalid", DEMO_PASSWORD, at=NOW).actor
    token = signed_in(db, "lyon@demo.invalid")
    accounts.set_password(db, admin, "lyon@demo.invalid", "un autre mot de passe", at=NOW)
    assert sessions.resolve(db, token, at=NOW).actor is None


def test_a_role_change_or_disabled_account_is_seen_at_the_next_run(db):
    token = signed_in(db)
    account(db).active = False
    db.flush()
    assert sessions.resolve(db, token, at=NOW).actor is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/contributions",
        "/proposition?n=7&lang=en",
        "/connexion?next=%2Fnote",
        "/note?theme=a%2Cb",
        "/seances/",
    ],
)
def test_next_accepts_a_path_of_this_site(path):
    assert sessions.safe_next(path) == path


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/x\\y",
        "javascript:alert(1)",
        "http:/evil.example",
        "contributions",
        " /contributions",
        "/contributions\r\nSet-Cookie: x=y",
        "/" + "a" * 3000,
        "",
        None,
        # What a path-normalising proxy, or a browser, could read as another host
        "/.//evil.example",
        "/./\\evil.example",
        "/%2e//evil.example",
        "/%2E%2E//evil.example",
        "/a/..//evil.example",
        "/%2F%2Fevil.example",
        "/%2fevil.example/%2f",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/%255Cevil.example",
        "/%252e//evil.example",
        "/%09/evil.example",
        "/%0d%0aSet-Cookie:x=y",
    ],
)
def test_next_refuses_anything_that_could_leave_the_site(path):
    assert sessions.safe_next(path, default="/connexion") == "/connexion"


def test_migration_0005_goes_up_and_down(any_url):
    from alembic import command

    engine = make_engine(any_url)
    upgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    assert {"account_sessions", "sign_in_codes"} <= set(inspect(engine).get_table_names())
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003")
    assert "account_sessions" not in set(inspect(engine).get_table_names())
    upgrade(engine)
    engine.dispose()


# The routes, on a real app server -------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running app on a database of its own: (base URL, database URL)."""
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("sessions")) as url:
        engine = make_engine(url)
        prepare_database(engine, demo=True)  # what the first page would do
        engine.dispose()
        with running_app(url) as base:
            yield base, url


def fresh_code(database_url: str, email: str = "lille@demo.invalid") -> str:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        code = sessions.issue_code(session, account_queries.get_account(session, email).id)
    engine.dispose()
    return code


def post(base: str, path: str, fields: dict, headers: dict | None = None, method: str = "POST"):
    """One request, redirects not followed: (status, headers)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = urlencode(fields)
    sent = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base, **(headers or {})}
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.headers


def test_the_route_sets_an_httponly_cookie_and_goes_to_next(server):
    base, url = server
    status, headers = post(
        base, "/auth/session", {"code": fresh_code(url), "next": "/contributions"}
    )
    assert status == 303 and headers["location"] == "/contributions"
    cookie = headers["set-cookie"]
    assert cookie.startswith("tracker_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here
    assert headers["cache-control"] == "no-store"


def test_the_cookie_is_secure_behind_https(server):
    base, url = server
    _, headers = post(
        base, "/auth/session", {"code": fresh_code(url)}, {"X-Forwarded-Proto": "https"}
    )
    assert "Secure" in headers["set-cookie"]


def test_behind_a_proxy_the_forwarded_host_counts_as_this_site(server):
    base, url = server
    proxied = {
        "Origin": "https://suivi.exemple.gouv.fr",
        "X-Forwarded-Host": "suivi.exemple.gouv.fr",
    }
    _, headers = post(base, "/auth/session", {"code": fresh_code(url)}, proxied)
    assert "tracker_session=" in headers["set-cookie"]


def test_the_route_never_sends_anyone_to_another_site(server):
    base, url = server
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        status, headers = post(base, "/auth/session", {"code": fresh_code(url), "next": target})
        assert status == 303 and headers["location"] == "/connexion"


def test_a_spent_code_or_a_get_or_another_sites_form_opens_nothing(server):
    base, url = server
    code = fresh_code(url)
    assert post(base, "/auth/session", {"code": code})[1]["set-cookie"]
    _, headers = post(base, "/auth/session", {"code": code})
    assert headers["location"] == "/connexion?signin=failed" and "set-cookie" not in headers
    other = fresh_code(url)
    _, headers = post(base, "/auth/session", {"code": other}, {"Origin": "https://evil.example"})
    assert headers["location"] == "/connexion?signin=failed" and "set-cookie" not in headers
    # A GET is not this route (Streamlit answers it with its page): no cookie.
    _, headers = post(base, f"/auth/session?code={other}", {}, method="GET")
    assert "tracker_session" not in " ".join(headers.get_all("set-cookie") or [])
    # The refused code was not spent: the person's own browser can still use it.
    assert "set-cookie" in post(base, "/auth/session", {"code": other})[1]


def test_sign_out_ends_the_session_of_its_cookie_and_clears_it(server):
    base, url = server
    _, headers = post(base, "/auth/session", {"code": fresh_code(url)})
    token = headers["set-cookie"].split(";")[0].split("=", 1)[1]
    cookie = {"Cookie": f"tracker_session={token}"}
    # Another site's form is refused: the session stays open.
    post(base, "/auth/sign-out", {}, {**cookie, "Origin": "https://evil.example"})
    engine = make_engine(url)
    with transaction(engine) as session:
        assert sessions.resolve(session, token).actor is not None
    status, headers = post(base, "/auth/sign-out", {"next": "https://evil.example"}, cookie)
    assert status == 303 and headers["location"] == "/"
    assert (
        headers["set-cookie"].startswith('tracker_session=""')
        or "Max-Age=0" in (headers["set-cookie"])
    )
    with transaction(engine) as session:
        assert sessions.resolve(session, token).actor is None
    engine.dispose()


# The whole path in a real browser --------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def shows(page, words: str) -> bool:
    """Whether the page's main area comes to show `words` (pages draw in steps)."""
    wait_for_page(page)
    page.locator("[data-testid='stMain']").get_by_text(words).first.wait_for(timeout=45_000)
    return True


@pytest.mark.browser
def test_a_person_stays_signed_in_across_addresses_and_reloads_until_signing_out(server, chromium):
    base, _ = server
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/connexion")
    wait_for_page(page)
    page.get_by_label("Adresse électronique").fill("lille@demo.invalid")
    page.get_by_label("Mot de passe").fill("demo-demo-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Vous êtes connecté·e", timeout=45_000)
    assert urlsplit(page.url).path == "/connexion" and "code" not in page.url

    # A new page load (typed address, bookmark, link in a new tab).
    page.goto(f"{base}/contributions")
    assert shows(page, "Ce que votre organisation fait")
    assert "lille@demo.invalid" in page.locator("[data-testid='stSidebar']").inner_text()
    page.reload()
    assert shows(page, "Ce que votre organisation fait")

    cookie = next(c for c in context.cookies() if c["name"] == "tracker_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find("tracker_session") == -1

    # Another browser, without the cookie, is a visitor.
    stranger = chromium.new_context()
    other = stranger.new_page()
    other.goto(f"{base}/contributions")
    assert shows(other, "réservée aux comptes contributeur")
    stranger.close()

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(f"{base}/", timeout=45_000)
    wait_for_page(page)
    assert not [c for c in context.cookies() if c["name"] == "tracker_session"]
    page.goto(f"{base}/contributions")
    assert shows(page, "réservée aux comptes contributeur")
    page.reload()
    assert shows(page, "réservée aux comptes contributeur")
    context.close()


@pytest.mark.browser
def test_a_bookmarked_page_asks_for_sign_in_and_comes_back_to_it(server, chromium):
    base, _ = server
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/contributions")
    wait_for_page(page)
    page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first.click()
    wait_for_page(page)
    page.get_by_label("Adresse électronique").fill("lille@demo.invalid")
    page.get_by_label("Mot de passe").fill("demo-demo-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/contributions", timeout=45_000)
    assert shows(page, "Ce que votre organisation fait")
    context.close()
