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
    "connexion": "pages/connexion.py",
    "contributions": "pages/contributions.py",
    "validation": "pages/validation.py",
    "administration": "pages/administration.py",
    "accessibilite": "pages/accessibilite.py",
    "seances": "pages/seances.py",
    "seance": "pages/seance.py",
    "mot-de-passe": "pages/mot_de_passe.py",
    "preferences": "pages/preferences.py",
    "mentions-legales": "pages/mentions_legales.py",
    "donnees-personnelles": "pages/donnees_personnelles.py",
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
        # AppTest cannot send the session cookie: open a real server session
        # and have the app read its token where it would read the cookie.
        token = open_session(database_url, signed_in)
        monkeypatch.setattr("tracker.ui.auth.session_cookie", lambda: token)
    if PAGES[path]:
        # A first run registers the pages of st.navigation, so that the page
        # then runs inside the app's navigation script, as in a browser.
        app.run()
        app.switch_page(os.path.relpath(ROOT / PAGES[path], Path(MAIN_SCRIPT).parent))
    return app.run()


def open_session(database_url: str, account_id: int) -> str:
    """A live session for an account, as `/auth/session` would open it; its token."""
    from tracker.accounts import sessions
    from tracker.db.engine import make_engine
    from tracker.db.models import Account
    from tracker.db.unit_of_work import transaction

    engine = make_engine(database_url)
    with transaction(engine) as session:
        token = sessions.open_session(session, session.get(Account, account_id))
    engine.dispose()
    return token


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
