"""Several servers on one PostgreSQL database; the database going away and
coming back while the app runs."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from tests.apptest import open_page, texts
from tests.browser import chromium_available, running_app, wait_for_page
from tests.conftest import ROOT
from tests.proxy import TcpProxy
from tracker.accounts import queries as account_queries
from tracker.catalogue.queries import get_proposal
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.permissions import SYSTEM
from tracker.followup.actions import update_followup
from tracker.operations.seed import prepare_database

MIGRATE = (
    "import sys; from tracker.db.engine import make_engine, upgrade; "
    "upgrade(make_engine(sys.argv[1]))"
)


def test_servers_starting_together_migrate_the_database_once(postgres_url):
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, postgres_url], env=env, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], errors
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    engine.dispose()


@pytest.mark.browser
def test_a_change_saved_through_one_server_shows_on_the_other_at_its_next_run(postgres_url):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    playwright = pytest.importorskip("playwright.sync_api")
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with running_app(postgres_url) as first, running_app(postgres_url) as second:
        for base in (first, second):
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as response:
                assert response.status == 200
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{second}/proposition?n=4")
            wait_for_page(page)  # the second server has read and cached the data
            engine = make_engine(postgres_url)
            with transaction(engine) as session:
                update_followup(session, SYSTEM, 4, {"next_steps_fr": "Saisi hors des serveurs"})
            engine.dispose()
            page.goto(f"{second}/proposition?n=4")
            wait_for_page(page)
            assert "Saisi hors des serveurs" in page.locator("[data-testid='stMain']").inner_text()
            browser.close()


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def proxied(url: str, proxy: TcpProxy) -> str:
    return url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")


def test_the_database_going_away_shows_a_clear_message_and_the_form_survives_until_it_is_back(
    monkeypatch, postgres_url
):
    if "127.0.0.1:5432" not in postgres_url:
        pytest.skip("the proxy stands in front of 127.0.0.1:5432 only")
    seed = make_engine(postgres_url)
    prepare_database(seed, demo=True)
    with transaction(seed) as session:
        reviewer = account_queries.get_account(session, "secretariat@demo.invalid").id
    proxy = TcpProxy("127.0.0.1", 5432).start()
    try:
        url = proxied(postgres_url, proxy)
        app = open_page(monkeypatch, url, "proposition", signed_in=reviewer, n="4")
        assert not app.exception
        typed = "Étape saisie pendant la panne"
        next(a for a in app.text_area if a.label.startswith("Prochaines")).input(typed)

        proxy.stop()  # the database goes away while the person is typing
        app.button(key="FormSubmitter:followup_4-Enregistrer").click().run()
        assert not app.exception
        assert "indisponible" in " ".join(str(e.value) for e in app.error)
        assert next(a for a in app.text_area if a.label.startswith("Prochaines")).value == typed
        with transaction(seed) as session:
            assert get_proposal(session, 4).next_steps_fr != typed

        app.run()  # still away: the same page, the same message, nothing lost
        assert "indisponible" in " ".join(str(e.value) for e in app.error)
        assert next(a for a in app.text_area if a.label.startswith("Prochaines")).value == typed

        proxy.start()  # back, on the same address
        app.run()  # what the page's quiet retry does on its own
        assert not app.exception and not app.error
        assert next(a for a in app.text_area if a.label.startswith("Prochaines")).value == typed
        app.button(key="FormSubmitter:followup_4-Enregistrer").click().run()
        assert "Suivi enregistré" in texts(app)
        with transaction(seed) as session:
            assert get_proposal(session, 4).next_steps_fr == typed
    finally:
        proxy.stop()
        seed.dispose()


def test_a_first_visit_while_the_database_is_away_gets_the_message_not_a_traceback(
    monkeypatch, tmp_path
):
    proxy = TcpProxy("127.0.0.1", 9).start()  # nothing answers behind it
    proxy.stop()
    url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/test?connect_timeout=2"
    app = open_page(monkeypatch, url)
    assert not app.exception
    assert "indisponible" in " ".join(str(e.value) for e in app.error)


def _health(base: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_healthz_says_503_while_the_database_is_away_and_200_once_it_is_back(postgres_url):
    if "127.0.0.1:5432" not in postgres_url:
        pytest.skip("the proxy stands in front of 127.0.0.1:5432 only")
    seed = make_engine(postgres_url)
    prepare_database(seed, demo=True)
    seed.dispose()
    proxy = TcpProxy("127.0.0.1", 5432).start()
    try:
        url = proxied(postgres_url, proxy) + "&connect_timeout=5"
        with running_app(url) as base:
            assert _health(base) == 200
            proxy.stop()  # the database goes away
            assert _health(base) == 503
            assert _health(base) == 503  # and stays away
            proxy.start()  # back, on the same address
            assert _health(base) == 200
    finally:
        proxy.stop()
