"""The server prepares its database when it starts (`tracker.web.startup`),
not at the first page view: right after `streamlit run app.py` (what `make run`
starts), the command line sees the demonstration accounts although nobody has
opened a page."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

from sqlalchemy import inspect

from tests.browser import running_app
from tests.conftest import ROOT, fresh_database
from tracker.db.engine import make_engine
from tracker.operations.seed import DEMO_ACCOUNTS


def _cli(url: str, *args: str) -> str:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_database_is_ready_when_the_server_answers_before_any_page_is_opened(tmp_path):
    with fresh_database(tmp_path) as url:
        engine = make_engine(url)
        assert not inspect(engine).get_table_names(), "the database starts empty"
        engine.dispose()
        with running_app(url, demo=True) as base:
            # Only the health check (which creates nothing) has been asked for:
            # no page, no API route that reads data.
            with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:
                assert response.status == 200
            listed = _cli(url, "users", "list")
        for email, *_ in DEMO_ACCOUNTS:
            assert email in listed
