"""The Streamlit interface. `MAIN_SCRIPT` is the script `st.App` runs."""

from pathlib import Path

from tracker.config import PAGES_DIR

MAIN_SCRIPT = str(Path(__file__).resolve().parent / "main.py")


def page_file(name: str) -> str:
    """A page's file, for `st.switch_page` and `st.page_link`."""
    return str(PAGES_DIR / name)
