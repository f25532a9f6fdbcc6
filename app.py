"""Entry point: `streamlit run app.py` (or `make run`) serves the application.

`st.App` runs the interface script (src/tracker/ui/main.py) on Starlette and,
on the same port, the read-only public API (`/api/v1/…`, `/healthz`, see
docs/api.md) with security headers on every response, every text response
compressed (`tracker.web.compression`: Streamlit's bundle once per process).
The database is prepared when the server starts (`tracker.web.startup`), not
at the first page.
"""

import streamlit as st
from starlette.middleware import Middleware

from tracker import api
from tracker.ui import MAIN_SCRIPT
from tracker.web.auth_routes import auth_routes
from tracker.web.compression import CompressedResponses
from tracker.web.startup import lifespan

app = st.App(
    MAIN_SCRIPT,
    lifespan=lifespan,
    routes=[*api.routes(), *auth_routes()],
    middleware=[Middleware(CompressedResponses), *api.middleware()],
)

if __name__ == "__main__":
    app.run()
