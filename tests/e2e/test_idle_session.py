"""An idle session ends, and the person is told so in their language: on a
server of its own whose idle timeout is 12 seconds (`TRACKER_IDLE_MINUTES=0.2`)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.browser import chromium_available, go, running_app, signed_in
from tests.e2e.conftest import ready
from tracker.i18n import quantity, t

IDLE_MINUTES = 0.2


@pytest.fixture(scope="module")
def short_idle_app(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    url = f"sqlite:///{tmp_path_factory.mktemp('idle') / 'tracker.db'}"
    ready(url)
    with running_app(url, settings={"TRACKER_IDLE_MINUTES": str(IDLE_MINUTES)}) as base:
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


def test_an_idle_session_ends_and_says_so_in_the_persons_language(short_idle_app, tabs):
    base, url = short_idle_app
    people = {"fr": ("lille@demo.invalid", tabs()), "en": ("lyon@demo.invalid", tabs())}
    for lang, (email, page) in people.items():
        signed_in(page, base, email, lang=lang)
        go(page, t("nav.contributions", lang), t("contrib.title", lang))
        assert page.get_by_role("tab", name=t("contrib.tab_new", lang)).count() == 1
    # used all along so far: still open
    assert all(reason == "" for reason in ended_reasons(url, "lille@demo.invalid"))

    page = people["fr"][1]
    page.wait_for_timeout(IDLE_MINUTES * 60_000 + 2_000)  # nobody touches anything
    for lang, (email, page) in people.items():
        go(page, t("nav.contributions", lang), t("contrib.title", lang))
        expired = t("auth.expired", lang, minutes=quantity(IDLE_MINUTES, lang))
        page.locator(
            "[data-testid='stSidebar'] [data-testid='stAlert']", has_text=expired
        ).wait_for(timeout=20_000)
        needed = t("auth.sign_in_needed", lang, role=t("contrib.role_contributor", lang))
        assert needed.split("{")[0][:30] in page.locator("[data-testid='stMain']").inner_text()
        assert page.get_by_role("tab", name=t("contrib.tab_new", lang)).count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
        assert "idle" in ended_reasons(url, email)
