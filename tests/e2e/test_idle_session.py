"""An idle session ends, and the person is told so in their language: on a
server of its own whose idle timeout is 12 seconds (`TRACKER_IDLE_MINUTES=0.2`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, func, select, text

from tests.browser import chromium_available, go, running_app, signed_in
from tests.conftest import fresh_database
from tests.e2e.conftest import ready
from tracker.clock import aware, now
from tracker.db.models import Account, AccountSession
from tracker.i18n import quantity, t

IDLE_MINUTES = 0.2


@pytest.fixture(scope="module")
def short_idle_app(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("idle")) as url:
        ready(url)
        settings = {"TRACKER_IDLE_MINUTES": str(IDLE_MINUTES)}
        with running_app(url, settings=settings) as base:
            yield base, url


def ended_reasons(url: str, email: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT s.ended_reason FROM account_sessions s "
                        "JOIN accounts a ON a.id = s.account_id WHERE a.email = :email"
                    ),
                    {"email": email},
                ).scalars()
            )
    finally:
        engine.dispose()


def idle_deadline(url: str, emails: list[str]) -> datetime:
    """The moment after which the server ends these people's sessions as idle:
    their last recorded activity plus the configured idle timeout (the server
    ends a session idle for longer than that: `passwords.is_idle`)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            last = connection.execute(
                select(func.max(AccountSession.last_activity))
                .join(Account, Account.id == AccountSession.account_id)
                .where(Account.email.in_(emails), AccountSession.revoked_at.is_(None))
            ).scalar_one()
    finally:
        engine.dispose()
    return aware(last) + timedelta(minutes=IDLE_MINUTES)


def test_an_idle_session_ends_and_says_so_in_the_persons_language(short_idle_app, tabs):
    base, url = short_idle_app
    people = {"fr": ("lille@demo.invalid", tabs()), "en": ("lyon@demo.invalid", tabs())}
    for lang, (email, page) in people.items():
        signed_in(page, base, email, lang=lang)
        go(page, t("nav.contributions", lang), t("contrib.title", lang))
        expect(page.get_by_role("tab", name=t("contrib.tab_new", lang))).to_have_count(1)
    # used all along so far: still open
    assert all(reason == "" for reason in ended_reasons(url, "lille@demo.invalid"))

    # Nobody touches anything until both sessions have been idle for longer
    # than the server allows: a wait on the clock, the length the test is about.
    deadline = idle_deadline(url, [email for email, _ in people.values()])
    page = people["fr"][1]
    while now() <= deadline:
        page.wait_for_timeout((deadline - now()).total_seconds() * 1000 + 1)
    for lang, (email, page) in people.items():
        go(page, t("nav.contributions", lang), t("contrib.title", lang))
        expired = t("auth.expired", lang, minutes=quantity(IDLE_MINUTES, lang))
        page.locator(
            "[data-testid='stSidebar'] [data-testid='stAlert']", has_text=expired
        ).wait_for(timeout=20_000)
        needed = t("auth.sign_in_needed", lang, role=t("contrib.role_contributor", lang))
        expect(page.locator("[data-testid='stMain']")).to_contain_text(needed.split("{")[0][:30])
        expect(page.get_by_role("tab", name=t("contrib.tab_new", lang))).to_have_count(0)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        assert "idle" in ended_reasons(url, email)
