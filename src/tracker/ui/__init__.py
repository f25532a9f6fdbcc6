"""The Streamlit interface. `MAIN_SCRIPT` is the script `st.App` runs."""

from pathlib import Path

MAIN_SCRIPT = str(Path(__file__).resolve().parent / "main.py")
