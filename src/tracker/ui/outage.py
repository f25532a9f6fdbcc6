"""While the database does not answer: one clear message per page run, and a
quiet retry that brings the page back by itself."""

from __future__ import annotations

import streamlit as st

from tracker import logs
from tracker.errors import ServiceUnavailable
from tracker.i18n import t
from tracker.ui.database import database_answers

UNAVAILABLE_SHOWN = "_service_unavailable_shown"
RETRY_EVERY = "5s"


@st.fragment(run_every=RETRY_EVERY)
def _retry_when_back() -> None:
    """While the database does not answer, look again every few seconds and
    run the page again as soon as it does: nobody has to reload anything."""
    if database_answers():
        st.rerun(scope="app")


def service_unavailable_notice(lang: str) -> None:
    """The clear message, once per page run, and the quiet retry."""
    if st.session_state.get(UNAVAILABLE_SHOWN):
        return
    st.session_state[UNAVAILABLE_SHOWN] = True
    logs.error("ServiceUnavailable", key=ServiceUnavailable.key)
    st.error(t(ServiceUnavailable.key, lang), icon=":material/cloud_off:")
    _retry_when_back()


def new_page_run() -> None:
    st.session_state.pop(UNAVAILABLE_SHOWN, None)
    st.session_state.pop("sso_refusal_shown", None)  # ui.auth.SSO_REFUSAL_SHOWN
