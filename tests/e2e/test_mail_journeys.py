"""In Chromium, with the app's own background sender and a real SMTP server
(aiosmtpd, STARTTLS and a login): an administrator invites a contributor, who
opens the link of the e-mail received, chooses a password and lands signed
in; then forgets it, and gets back in with the link of a reset e-mail."""

from __future__ import annotations

import os

import pytest

from tests.a11y import axe_available, blocking, run_axe
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    free_port,
    go,
    running_app,
    signed_in,
    wait_for_page,
    watch,
)
from tests.conftest import fresh_database
from tests.mail_links import password_link
from tests.smtp import smtp_server
from tracker.i18n import t

pytestmark = pytest.mark.browser

INVITEE = "agent.lyon@demo.invalid"


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    folder = tmp_path_factory.mktemp("mail")
    # the links in the e-mail name the server's address: its port is chosen here
    port = int(os.environ.get("TRACKER_TEST_APP_PORT", "0") or 0) or free_port()
    base = f"http://127.0.0.1:{port}"
    with smtp_server(folder) as smtp, fresh_database(folder) as url:
        settings = {
            "TRACKER_SMTP_URL": smtp.url,
            "TRACKER_SMTP_CA_FILE": smtp.ca_file,
            "TRACKER_PUBLIC_URL": base,
            "TRACKER_MAIL_FROM": "Suivi CNCD <suivi@cncd.example>",
        }
        with running_app(url, settings=settings, port=port) as started:
            assert started == base
            yield base, smtp.inbox


@pytest.fixture(scope="module")
def chromium():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _tab(chromium):
    return watch(chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page())


def _choose_password(tab, link: str, password: str, audit: str = "") -> None:
    tab.goto(link)
    wait_for_page(tab)
    if audit and axe_available():  # the page a person lands on from the e-mail
        assert blocking(run_axe(tab, audit)) == []
    tab.get_by_label(t("password_page.new", "fr"), exact=True).fill(password)
    tab.get_by_label(t("password_page.again", "fr"), exact=True).fill(password)
    tab.get_by_role("button", name=t("password_page.submit", "fr")).click()
    welcome = t("auth.welcome", "fr", role="").split("(")[0].strip()
    tab.wait_for_selector(f"[data-testid='stMain'] :text('{welcome}')", timeout=45_000)
    wait_for_page(tab)


def test_an_invited_contributor_opens_the_link_chooses_a_password_and_is_signed_in(
    chromium, mail_app
):
    base, inbox = mail_app
    admin = _tab(chromium)
    signed_in(admin, base, "admin@demo.invalid")
    go(admin, t("nav.administration", "fr"), t("admin.title", "fr"))
    form = admin.locator("[data-testid='stForm']").filter(has_text=t("invite.heading", "fr"))
    form.get_by_label(t("auth.email", "fr")).fill(INVITEE)
    form.get_by_label(t("admin.col.display_name", "fr")).fill("Agent de Lyon")
    organisation = form.get_by_role("combobox", name=t("admin.col.organisation", "fr"))
    organisation.scroll_into_view_if_needed()
    organisation.click()
    admin.keyboard.type("Métropole de Lyon")
    admin.get_by_role("option", name="Métropole de Lyon").first.click()
    form.get_by_role("button", name=t("invite.submit", "fr")).click()
    admin.wait_for_selector("[data-testid='stMain'] :text('Invitation envoyée')", timeout=45_000)

    (received,) = [r for r in inbox.wait_for(1, timeout=60) if INVITEE in r.rcpt_tos]
    message = received.message
    assert "Métropole de Lyon" in message.get_body(("plain",)).get_content()
    link = password_link(message)
    assert link.startswith(f"{base}/mot-de-passe?jeton=")

    invitee = _tab(chromium)
    _choose_password(invitee, link, "la-tour-de-fourviere-2026", audit="mot-de-passe-invitation-fr")
    assert invitee.get_by_text(INVITEE).count() >= 1
    assert invitee.dialogs == []

    # the link worked once
    again = _tab(chromium)
    again.goto(link)
    wait_for_page(again)
    assert again.get_by_text(t("password_page.used", "fr")[:30]).count() == 1


def test_a_forgotten_password_comes_back_with_the_link_of_a_reset_email(chromium, mail_app):
    base, inbox = mail_app
    before = len(inbox.received)
    tab = _tab(chromium)
    tab.goto(f"{base}/connexion")
    wait_for_page(tab)
    tab.get_by_text(t("reset.open", "fr")).click()
    tab.get_by_label(t("reset.email", "fr")).fill("lyon@demo.invalid")
    tab.get_by_role("button", name=t("reset.submit", "fr")).click()
    tab.wait_for_selector(f"[data-testid='stMain'] :text('{t('reset.answer', 'fr')[:40]}')")
    if axe_available():
        assert blocking(run_axe(tab, "connexion-reset-fr")) == []
    received = inbox.wait_for(before + 1, timeout=60)[before]
    assert received.rcpt_tos == ["lyon@demo.invalid"]
    fresh = _tab(chromium)
    _choose_password(fresh, password_link(received.message), "un-nouveau-mot-de-passe-lyon")
    # and the new password signs in, the old one no longer
    other = _tab(chromium)
    signed_in_page = other
    from tests.browser import sign_in

    sign_in(signed_in_page, base, "lyon@demo.invalid", "un-nouveau-mot-de-passe-lyon")
    welcome = t("auth.welcome", "fr", role="").split("(")[0].strip()
    other.wait_for_selector(f"[data-testid='stMain'] :text('{welcome}')", timeout=45_000)
