"""Mot de passe: the page an invitation or a reset e-mail links to
(`/mot-de-passe?jeton=…`), where its recipient chooses a password and is
signed in; a used, expired or forged link says what to do instead."""

import streamlit as st

from tracker.accounts.passwords import MIN_PASSWORD_LENGTH
from tracker.i18n import t
from tracker.ui import page_file
from tracker.ui.auth import choose_password, open_session_in_browser
from tracker.ui.errors import friendly_errors
from tracker.ui.language import current_language, with_language
from tracker.ui.reads import password_link_data

lang = current_language()
token = st.query_params.get("jeton", "")
link = password_link_data(token)

st.title(t("password_page.title", lang))
if link.status != "valid":
    st.error(t(f"password_page.{link.status}", lang), icon=":material/link_off:")
    st.page_link(
        page_file("connexion.py"),
        label=t("password_page.to_sign_in", lang),
        icon=":material/login:",
    )
    st.stop()

st.write(t(f"password_page.lead_{link.purpose}", lang, email=link.email))
with st.form("choose_password", border=True):
    first = st.text_input(
        t("password_page.new", lang),
        type="password",
        autocomplete="new-password",
        help=t("password_page.rules", lang, minimum=MIN_PASSWORD_LENGTH),
    )
    second = st.text_input(
        t("password_page.again", lang), type="password", autocomplete="new-password"
    )
    submitted = st.form_submit_button(t("password_page.submit", lang), type="primary")
if submitted:
    if first != second:
        st.error(t("password_page.mismatch", lang), icon=":material/error:")
    else:
        with friendly_errors(lang):
            code = choose_password(token, first)
            open_session_in_browser(code, with_language("/connexion", lang), lang)
            st.stop()
