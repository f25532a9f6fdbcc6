"""Entry point: `streamlit run app.py` (or `make run`) serves the application.

`st.App` runs the interface script (src/tracker/ui/main.py) on Starlette; the
same process will serve further HTTP routes.
"""

import streamlit as st

from tracker.ui import MAIN_SCRIPT
from tracker.web.auth_routes import auth_routes

app = st.App(MAIN_SCRIPT, routes=auth_routes())

if __name__ == "__main__":
    app.run()
