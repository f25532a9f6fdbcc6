"""The page's language: `?lang=`, the FR/EN switch, links that keep it."""

from __future__ import annotations

import streamlit as st

from tracker.domain.vocabulary import LANGUAGES
from tracker.i18n import language, t


def current_language() -> str:
    """`?lang=` wins; then the switch's last value; French by default."""
    wanted = st.query_params.get("lang")
    lang = language(wanted) if wanted is not None else st.session_state.get("lang", "fr")
    st.session_state["lang"] = lang
    return lang


def _language_chosen() -> None:
    choice = st.session_state.get("language_switch")
    if choice:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice


def language_switch(lang: str) -> None:
    """The FR/EN switch; it follows `?lang=` and writes it back, so a copied
    link opens in the same language."""
    labels = {"fr": "Français", "en": "English"}
    st.session_state["language_switch"] = lang
    st.sidebar.segmented_control(
        t("nav.language", lang),
        options=list(LANGUAGES),
        format_func=labels.get,
        key="language_switch",
        on_change=_language_chosen,
    )


def with_language(path: str, lang: str) -> str:
    """`path`, in English if that is the current language (`?lang=en`)."""
    if lang != "en" or "lang=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}lang=en"
