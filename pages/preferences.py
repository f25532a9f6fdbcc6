"""Préférences: what a signed-in person receives by e-mail, and in which
language (every notification links here, `List-Unsubscribe` too)."""

import streamlit as st

from tracker.accounts import actions as accounts
from tracker.i18n import t
from tracker.ui import page_file
from tracker.ui.auth import current_actor, here
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.language import current_language
from tracker.ui.mail_settings import scheduled_mail_choices
from tracker.ui.reads import preferences_data

lang = current_language()
actor = current_actor()
st.title(t("prefs.title", lang))
if not actor.signed_in:
    st.info(t("prefs.sign_in", lang), icon=":material/lock:")
    back = here()
    st.page_link(
        page_file("connexion.py"),
        label=t("nav.sign_in", lang),
        icon=":material/login:",
        query_params={"next": back} if back else None,
    )
    st.stop()

flash = st.session_state.pop("prefs_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
notify, language = preferences_data(actor)
with st.form("preferences", border=True), friendly_errors(lang):
    wanted = st.checkbox(t("prefs.notify_reviews", lang), value=notify)
    chosen = st.radio(
        t("invite.language", lang),
        ["fr", "en"],
        index=["fr", "en"].index(language),
        format_func=lambda code: t(f"invite.lang_{code}", lang),
        horizontal=True,
    )
    scheduled = scheduled_mail_choices(actor, lang)
    if st.form_submit_button(t("admin.save", lang), type="primary"):
        accounts.set_preferences(
            engine(), actor, notify_reviews=wanted, language=chosen, **scheduled
        )
        st.session_state["prefs_flash"] = t("prefs.saved", lang)
        st.rerun()
st.caption(t("prefs.always", lang))
