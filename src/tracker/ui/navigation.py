"""The app's pages, their URL paths and the elements common to all of them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from tracker.i18n import t
from tracker.ui.a11y import declare_language
from tracker.ui.context import current_language, language_switch

ROOT = Path(__file__).resolve().parents[3]
PAGES_DIR = ROOT / "pages"


def page_file(name: str) -> str:
    """A page's file, for `st.switch_page` and `st.page_link`."""
    return str(PAGES_DIR / name)


def pages(lang: str) -> list[st.Page]:
    return [
        st.Page(
            ROOT / "pages/tableau_de_bord.py",
            title=t("nav.dashboard", lang),
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(
            ROOT / "pages/propositions.py",
            title=t("nav.proposals", lang),
            icon=":material/table_rows:",
            url_path="propositions",
        ),
        st.Page(
            ROOT / "pages/proposition.py",
            title=t("nav.proposal", lang),
            icon=":material/description:",
            url_path="proposition",
            visibility="hidden",
        ),
        st.Page(
            ROOT / "pages/note.py",
            title=t("note.nav", lang),
            icon=":material/summarize:",
            url_path="note",
        ),
        st.Page(
            ROOT / "pages/a-propos.py",
            title=t("nav.about", lang),
            icon=":material/info:",
            url_path="a-propos",
        ),
        st.Page(
            ROOT / "pages/accessibilite.py",
            title=t("a11y.nav", lang),
            icon=":material/accessibility_new:",
            url_path="accessibilite",
        ),
    ]


def main() -> None:
    lang = current_language()
    st.set_page_config(
        page_title=t("app.title", lang),
        page_icon="🏙️",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    page = st.navigation(pages(lang))
    st.sidebar.caption(t("app.title", lang))
    language_switch(lang)
    declare_language(lang)
    page.run()
