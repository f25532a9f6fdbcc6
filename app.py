"""Entry point: `streamlit run app.py` (or `make run`) serves the interface and
the public API (`/api/v1/…`, `/healthz`) on one port.

This file is read twice, in two roles:
- `streamlit run` finds `app = st.App(...)` below and has uvicorn import this
  file as the module `app`: that import builds the server (routes, middleware)
  and names this same file as the interface's script;
- the Streamlit runtime then runs this file as the script for each page view,
  under the name `__main__` (as `AppTest.from_file` does too): that run draws
  the interface, and builds no server.
"""

import streamlit as st

if __name__ == "__main__":
    from tracker.ui.navigation import main

    main()
else:
    from streamlit.runtime.pages_manager import PagesManager

    from tracker import api

    # The interface always declares its pages with st.navigation. Served through
    # st.App, Streamlit otherwise takes the pages/ folder for an old-style
    # multipage app until someone first opens the home page, and a first visit to
    # a deep link (/propositions) ran pages/propositions.py alone, without the
    # app's navigation and language switch. st.navigation sets the same flag.
    PagesManager.uses_pages_directory = False
    app = st.App("app.py", routes=api.routes(), middleware=api.middleware())
