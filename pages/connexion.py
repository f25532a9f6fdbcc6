"""Connexion: sign in with an e-mail and a password (or single sign-on), sign out."""

import streamlit as st

from tracker.domain.permissions import Action
from tracker.i18n import t
from tracker.ui import page_file
from tracker.ui.auth import (
    after_sign_in,
    current_actor,
    open_session_in_browser,
    request_password_reset,
    session_text,
    sign_in,
    sign_out,
    sso_provider,
)
from tracker.ui.language import current_language

lang = current_language()
actor = current_actor()

st.title(t("auth.title", lang))

if actor.signed_in:
    st.success(t("auth.welcome", lang, role=actor.role.label(lang)), icon=":material/how_to_reg:")
    st.text(f"{actor.name} — {actor.email}")
    for action, page, label in (
        (Action.CONTRIBUTE, page_file("contributions.py"), "nav.contributions"),
        (Action.REVIEW, page_file("validation.py"), "nav.validation"),
        (Action.MANAGE_ACCOUNTS, page_file("administration.py"), "nav.administration"),
    ):
        if actor.may(action):
            st.page_link(page, label=t(label, lang), icon=":material/arrow_forward:")
    if st.button(t("auth.sign_out", lang), icon=":material/logout:", key="sign_out_page"):
        sign_out(lang)
        st.rerun()
    st.stop()

if st.query_params.get("signin") == "failed":
    st.warning(t("session.code_failed", lang), icon=":material/timer_off:")
st.write(t("auth.lead", lang))
with st.form("sign_in", border=True):
    email = st.text_input(t("auth.email", lang), autocomplete="username")
    password = st.text_input(
        t("auth.password", lang), type="password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
if submitted:
    code = sign_in(email, password)
    if code is not None:
        open_session_in_browser(code, after_sign_in(lang), lang)
        st.stop()
    st.error(t("auth.failed", lang), icon=":material/lock:")
st.caption(session_text("auth.rules", lang))

with st.expander(t("reset.open", lang), icon=":material/lock_reset:"):
    st.write(t("reset.lead", lang))
    with st.form("reset", border=False):
        address = st.text_input(t("reset.email", lang), autocomplete="username")
        asked = st.form_submit_button(t("reset.submit", lang))
    if asked:
        request_password_reset(address, lang)
        st.success(t("reset.answer", lang), icon=":material/mark_email_read:")

provider = sso_provider()
if provider is not None:
    st.divider()
    st.write(t("auth.sso_lead", lang))
    if st.button(t("auth.sso_button", lang), icon=":material/badge:"):
        st.login() if provider == "default" else st.login(provider)
