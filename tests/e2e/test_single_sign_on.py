"""Single sign-on proven in Chromium against a real OpenID Connect provider
(oidc-provider, from tests/e2e/package-lock.json, started here on loopback and
shaped like ProConnect: its claims `email`, `given_name`, `usual_name`, `uid`,
`siret` only in a signed userinfo JWT), through Streamlit's `st.login`: a
verified address of an active account signs in; an unknown, disabled or
unverified address is refused with a message that says why; signing out
goes through the provider's end-session page and clears Streamlit's identity
cookie (a new page load is signed out)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import (
    chromium_available,
    free_port,
    running_app,
    wait_for_page,
)
from tests.conftest import fresh_database
from tests.e2e.conftest import ready
from tracker.accounts import actions as accounts
from tracker.db.engine import make_engine
from tracker.domain.permissions import SYSTEM
from tracker.i18n import t

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
PROVIDER = HERE / "oidc_provider.mjs"
CLIENT_ID, CLIENT_SECRET = "suivi-cncd", "e2e-client-secret-not-a-real-one"

# The provider's people (login -> claims); the tracker's accounts are the demo ones.
PEOPLE = {
    "claire": {  # the secretariat's account: signs in
        "email": "secretariat@demo.invalid",
        "email_verified": True,
        "given_name": "Claire",
        "usual_name": "Martin",
        "uid": "pc-0001",
        "siret": "13001929400011",
    },
    "inconnue": {"email": "personne.inconnue@demo.invalid", "email_verified": True},
    "desactivee": {"email": "lyon@demo.invalid", "email_verified": True},  # disabled below
    "non-verifiee": {"email": "lille@demo.invalid", "email_verified": False},
}


def _node_ready() -> bool:
    return bool(shutil.which("node")) and (HERE / "node_modules" / "oidc-provider").is_dir()


def _two_ports() -> tuple[int, int]:
    """Two free ports of TRACKER_TEST_PORTS: the first is held while the second is found."""
    first = free_port()
    with socket.socket() as held:
        held.bind(("127.0.0.1", first))
        second = free_port()
    return first, second


@contextmanager
def oidc_provider(port: int, redirect_uri: str):
    process = subprocess.Popen(
        ["node", str(PROVIDER)],
        cwd=HERE,
        env={
            "PATH": "/usr/bin:/bin",
            "OIDC_PORT": str(port),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_REDIRECT_URI": redirect_uri,
            "OIDC_ACCOUNTS": json.dumps(PEOPLE),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration") as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"oidc-provider did not start:\n{output}")
            time.sleep(0.2)  # a polling loop with a deadline: until it answers
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    if not _node_ready():
        pytest.skip("node or tests/e2e/node_modules/oidc-provider missing (make e2e)")
    folder = tmp_path_factory.mktemp("sso")
    app_port, provider_port = _two_ports()
    base = f"http://127.0.0.1:{app_port}"
    with oidc_provider(provider_port, f"{base}/oauth2callback") as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{base}/oauth2callback"\n'
            'cookie_secret = "e2e-cookie-secret-only-for-this-test-0123456789"\n'
            'expose_tokens = ["id", "access"]\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            'client_kwargs = { scope = "openid email given_name usual_name uid siret", '
            'prompt = "login" }\n',
            encoding="utf-8",
        )
        with fresh_database(folder) as url:
            ready(url)
            engine = make_engine(url)
            accounts.set_active(engine, SYSTEM, "lyon@demo.invalid", False, origin="cli")
            engine.dispose()
            settings = {"STREAMLIT_SECRETS_FILES": str(secrets)}
            with running_app(url, settings=settings, port=app_port) as started:
                assert started == base
                yield base


def _through_the_provider(page, base: str, login: str) -> None:
    """From /connexion, through st.login and the provider's own pages, back."""
    page.goto(f"{base}/connexion")
    wait_for_page(page)
    page.get_by_role("button", name=t("auth.sso_button", "fr")).click()
    page.wait_for_selector("input[name='login']", timeout=30_000)
    assert page.url.startswith("http://127.0.0.1:") and "/interaction/" in page.url
    page.fill("input[name='login']", login)
    page.fill("input[name='password']", "any password: the provider's test login")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the consent page
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_for_page(page)


def _leave_the_provider(page, base: str) -> None:
    """Streamlit's sign-out goes through the provider's end-session page (which
    asks), then back to the app."""
    page.get_by_role("button", name="Yes, sign me out").click(timeout=30_000)
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_for_page(page)


def test_a_verified_address_of_an_active_account_signs_in_and_signs_out(page, sso_app):
    base = sso_app
    _through_the_provider(page, base, "claire")
    page.goto(f"{base}/connexion")
    wait_for_page(page)
    welcome = t("auth.welcome", "fr", role="").split("(")[0].strip()
    assert page.get_by_text(welcome).count() == 1
    assert page.get_by_text("secretariat@demo.invalid").count() >= 1
    # the session reaches the secretariat's page
    page.goto(f"{base}/validation")
    wait_for_page(page)
    assert page.get_by_text(t("auth.sign_in_needed", "fr", role="")[:20]).count() == 0

    page.goto(f"{base}/connexion")
    wait_for_page(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("button", name=t("auth.sign_out", "fr")).click()
    _leave_the_provider(page, base)
    # a new page load reads the cookies again: Streamlit's was cleared
    page.goto(f"{base}/connexion")
    wait_for_page(page)
    assert page.get_by_role("button", name=t("auth.sso_button", "fr")).count() == 1
    assert page.get_by_text(welcome).count() == 0
    assert page.dialogs == []


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("inconnue", t("auth.sso_no_account", "fr", email="personne.inconnue@demo.invalid")),
        ("desactivee", t("auth.sso_no_account", "fr", email="lyon@demo.invalid")),
        ("non-verifiee", t("auth.sso_unverified", "fr", email="lille@demo.invalid")),
    ],
)
def test_an_unknown_disabled_or_unverified_address_is_refused_with_a_clear_message(
    page, sso_app, login, message
):
    base = sso_app
    _through_the_provider(page, base, login)
    shown = page.locator("[data-testid='stAlertContentError']").first
    shown.wait_for(timeout=30_000)
    assert message.replace("\u2060", "") in shown.inner_text().replace("\u2060", "")
    # not signed in: the secretariat's page asks to sign in
    page.goto(f"{base}/validation")
    wait_for_page(page)
    needed = t("auth.sign_in_needed", "fr", role="").split("{")[0][:20]
    assert page.get_by_text(needed).count() >= 1
    # leaving single sign-on clears Streamlit's cookie: the message goes
    page.get_by_role("button", name=t("auth.sso_leave", "fr")).click()
    _leave_the_provider(page, base)
    page.goto(f"{base}/connexion")
    wait_for_page(page)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
