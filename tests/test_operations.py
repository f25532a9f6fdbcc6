"""Several servers on one PostgreSQL database."""

import subprocess
import sys
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from tests.browser import chromium_available, running_app, wait_for_page
from tests.conftest import ROOT
from tracker.db.engine import make_engine, transaction
from tracker.services.actors import SYSTEM
from tracker.services.followup import update_followup

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
def test_a_change_to_the_shared_database_shows_on_both_servers_at_their_next_run(postgres_url):
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
