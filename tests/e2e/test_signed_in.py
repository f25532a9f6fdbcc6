"""Signed-in pages in the browser: axe-core on each in French and English, and
the lockout after wrong passwords. These tests write (failed attempts, locks),
so they run on a server and a database of their own.

A Streamlit session lives as long as the tab's connection: after signing in,
the tests move with the sidebar links and the language switch, never by
reloading, as a person would.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from tests.a11y import axe_available, blocking, run_axe
from tests.browser import (
    DEMO_PASSWORD,
    chromium_available,
    go,
    running_app,
    settled,
    sign_in,
    wait_for_page,
)
from tests.conftest import fresh_database
from tracker.i18n import t


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    if not axe_available():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: `make e2e` installs it")
        pytest.skip("axe-core is not installed (make e2e)")
    with fresh_database(tmp_path_factory.mktemp("signed-in")) as url, running_app(url) as base:
        yield base, url


def switch_to_english(page, heading: str) -> None:
    page.get_by_role("radio", name="English").click()
    page.wait_for_selector(f"[data-testid='stMain'] h1:has-text(\"{heading}\")", timeout=45_000)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    wait_for_page(page)
    # elements of the previous run fade out while the new one draws: audit the new
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=20_000)


def audit_every_tab(page, name: str, lang: str) -> list[str]:
    """axe on each tab of the page in turn (a tab's content is drawn only once
    it is shown); every run saved as test-artifacts/axe/<name>-<tab>-<lang>.json."""
    found = []
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        settled(page)
        found += blocking(run_axe(page, f"{name}-tab{index + 1}-{lang}"))
    return found


@pytest.mark.parametrize(
    ("email", "nav", "title"),
    [
        ("admin@demo.invalid", "nav.administration", "admin.title"),
        ("secretariat@demo.invalid", "nav.validation", "review.title"),
        ("lyon@demo.invalid", "nav.contributions", "contrib.title"),
    ],
)
def test_signed_in_pages_have_no_serious_axe_violation_in_either_language(
    page, own_app, email, nav, title
):
    base, _ = own_app
    sign_in(page, base, email, DEMO_PASSWORD)
    page.wait_for_selector(f"text={t('auth.welcome', 'fr', role='').split('(')[0].strip()}")
    name = email.split("@")[0]
    settled(page)
    assert blocking(run_axe(page, f"connexion-signed-in-{name}-fr")) == []
    go(page, t(nav, "fr"), t(title, "fr"))
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=10_000)
    page_name = f"{t(nav, 'fr').lower()}-{name}"
    settled(page)  # audit the page at rest, not Streamlit's « Stop » button of a run
    assert blocking(run_axe(page, f"{page_name}-fr")) == []
    assert audit_every_tab(page, page_name, "fr") == []
    switch_to_english(page, t(title, "en"))
    settled(page)
    assert blocking(run_axe(page, f"{page_name}-en")) == []
    assert audit_every_tab(page, page_name, "en") == []
    assert page.dialogs == []


def test_the_follow_up_editor_on_a_proposal_page_passes_the_audit(page, own_app):
    """Signed in as the secretariat, a proposal's page adds the follow-up form."""
    base, _ = own_app
    sign_in(page, base, "secretariat@demo.invalid", DEMO_PASSWORD)
    page.wait_for_selector(f"text={t('auth.welcome', 'fr', role='').split('(')[0].strip()}")
    for lang in ("fr", "en"):
        page.goto(f"{base}/proposition?n=5&lang={lang}")
        wait_for_page(page)
        page.get_by_text(t("review.followup_heading", lang)).click()
        page.get_by_role("button", name=t("admin.save", lang)).first.wait_for(timeout=20_000)
        settled(page)
        assert blocking(run_axe(page, f"proposition-followup-secretariat-{lang}")) == []
    assert page.dialogs == []


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(page, own_app):
    base, url = own_app
    for _ in range(5):
        sign_in(page, base, "lille@demo.invalid", "not-the-password")
        page.wait_for_selector(f"text={t('auth.failed', 'fr')[:40]}", timeout=30_000)
    sign_in(page, base, "lille@demo.invalid", DEMO_PASSWORD)
    page.wait_for_selector(f"text={t('auth.failed', 'fr')[:40]}", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    engine = create_engine(url)
    with engine.connect() as connection:
        locked = connection.execute(
            text("SELECT locked_until FROM accounts WHERE email = 'lille@demo.invalid'")
        ).scalar()
    engine.dispose()
    assert locked is not None
    # the login page itself passes the audit, with its error message shown
    assert blocking(run_axe(page, "connexion-locked-fr")) == []
