"""Entry point: `streamlit run app.py` (or `make run`) serves the application.

`st.App` runs the interface script (src/tracker/ui/main.py) on Starlette and,
on the same port, the read-only public API (`/api/v1/…`, `/healthz`, see
docs/api.md) with security headers on every response.
"""

import streamlit as st

from tracker import api
from tracker.ui import MAIN_SCRIPT
from tracker.web.auth_routes import auth_routes

app = st.App(MAIN_SCRIPT, routes=[*api.routes(), *auth_routes()], middleware=api.middleware())

if __name__ == "__main__":
    app.run()
