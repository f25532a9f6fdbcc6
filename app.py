"""Entry point: `streamlit run app.py` (or `make run`)."""

from tracker.ui.navigation import main

main()
