"""The Streamlit script itself: `app.py` serves it through `st.App`.

It lives here rather than at the top level so that Streamlit never mistakes the
top-level `pages/` folder for an old-style multipage app: the pages are the
ones `st.navigation` declares, with the URL paths it gives them.
"""

from tracker.ui.navigation import main

main()
