"""Running the real app script with `AppTest`, on a database of the test's own."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tracker.ui import MAIN_SCRIPT

PAGES = {
    "/": None,
    "propositions": "pages/propositions.py",
    "proposition": "pages/proposition.py",
    "a-propos": "pages/a-propos.py",
    "note": "pages/note.py",
    "accessibilite": "pages/accessibilite.py",
    "connexion": "pages/connexion.py",
    "contributions": "pages/contributions.py",
    "validation": "pages/validation.py",
    "administration": "pages/administration.py",
}


def open_page(
    monkeypatch,
    database_url: str,
    path: str = "/",
    timeout: float = 60,
    signed_in: int | None = None,
    **params: str,
) -> AppTest:
    """The app as a browser opening `/<path>?<params>` would run it, signed in
    as the account `signed_in` (an id) when given."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    app = AppTest.from_file(MAIN_SCRIPT, default_timeout=timeout)
    for key, value in params.items():
        app.query_params[key] = value
    if signed_in is not None:
        from datetime import UTC, datetime

        app.session_state["signed_in"] = {
            "account_id": signed_in,
            "last_activity": datetime.now(UTC),
        }
    if PAGES[path]:
        # A first run registers the pages of st.navigation, so that the page
        # then runs inside the app's navigation script, as in a browser.
        app.run()
        app.switch_page(os.path.relpath(ROOT / PAGES[path], Path(MAIN_SCRIPT).parent))
    return app.run()


def texts(app: AppTest) -> str:
    """Every text the page shows, joined, for assertions on wording."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts.extend(str(element.value) for element in getattr(app, kind))
    return "\n".join(parts)
