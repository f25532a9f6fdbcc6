"""The app as it was served before issue 15, for `make bench` to compare
against: the same `st.App` as app.py without the compression layer (and, on
the command line, Streamlit's default per-run settings). Not for serving."""

import streamlit as st

from tracker import api
from tracker.ui import MAIN_SCRIPT
from tracker.web.auth_routes import auth_routes
from tracker.web.startup import lifespan

app = st.App(
    MAIN_SCRIPT,
    lifespan=lifespan,
    routes=[*api.routes(), *auth_routes()],
    middleware=api.middleware(),
)
