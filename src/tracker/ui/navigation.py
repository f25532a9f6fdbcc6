"""The app's pages, their URL paths and the elements common to all of them."""

from __future__ import annotations

import streamlit as st

from tracker import logs
from tracker.config import PAGES_DIR
from tracker.db.engine import unavailable_as_named_error
from tracker.domain.permissions import Action, Actor
from tracker.errors import ServiceUnavailable
from tracker.i18n import t
from tracker.ui.a11y import declare_language
from tracker.ui.auth import NOTICE, current_actor, session_text, sign_out
from tracker.ui.brand import footer, header
from tracker.ui.language import current_language, language_switch
from tracker.ui.outage import new_page_run, service_unavailable_notice


def _shown_if(allowed: bool) -> str:
    # A page for another role stays reachable by its address (it then says
    # why it shows nothing); it is only left out of the menu.
    return "visible" if allowed else "hidden"


def pages(lang: str, actor: Actor) -> list[st.Page]:
    return [
        st.Page(
            PAGES_DIR / "tableau_de_bord.py",
            title=t("nav.dashboard", lang),
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(
            PAGES_DIR / "propositions.py",
            title=t("nav.proposals", lang),
            icon=":material/table_rows:",
            url_path="propositions",
        ),
        st.Page(
            PAGES_DIR / "proposition.py",
            title=t("nav.proposal", lang),
            icon=":material/description:",
            url_path="proposition",
            visibility="hidden",
        ),
        st.Page(
            PAGES_DIR / "note.py",
            title=t("note.nav", lang),
            icon=":material/summarize:",
            url_path="note",
        ),
        st.Page(
            PAGES_DIR / "seances.py",
            title=t("sessions.nav", lang),
            icon=":material/groups:",
            url_path="seances",
        ),
        st.Page(
            PAGES_DIR / "seance.py",
            title=t("session.page_title", lang),
            icon=":material/event_note:",
            url_path="seance",
            visibility="hidden",
        ),
        st.Page(
            PAGES_DIR / "a-propos.py",
            title=t("nav.about", lang),
            icon=":material/info:",
            url_path="a-propos",
        ),
        st.Page(
            PAGES_DIR / "accessibilite.py",
            title=t("a11y.nav", lang),
            icon=":material/accessibility_new:",
            url_path="accessibilite",
        ),
        # Reached from every page's footer, not from the menu.
        st.Page(
            PAGES_DIR / "mentions_legales.py",
            title=t("legal.nav", lang),
            icon=":material/gavel:",
            url_path="mentions-legales",
            visibility="hidden",
        ),
        st.Page(
            PAGES_DIR / "donnees_personnelles.py",
            title=t("privacy.nav", lang),
            icon=":material/shield_person:",
            url_path="donnees-personnelles",
            visibility="hidden",
        ),
        st.Page(
            PAGES_DIR / "contributions.py",
            title=t("nav.contributions", lang),
            icon=":material/edit_note:",
            url_path="contributions",
            visibility=_shown_if(actor.may(Action.CONTRIBUTE)),
        ),
        st.Page(
            PAGES_DIR / "validation.py",
            title=t("nav.validation", lang),
            icon=":material/fact_check:",
            url_path="validation",
            visibility=_shown_if(actor.may(Action.REVIEW)),
        ),
        st.Page(
            PAGES_DIR / "administration.py",
            title=t("nav.administration", lang),
            icon=":material/admin_panel_settings:",
            url_path="administration",
            visibility=_shown_if(actor.may(Action.MANAGE_ACCOUNTS)),
        ),
        st.Page(
            PAGES_DIR / "preferences.py",
            title=t("prefs.title", lang),
            icon=":material/notifications:",
            url_path="preferences",
            visibility=_shown_if(actor.signed_in),
        ),
        st.Page(
            PAGES_DIR / "mot_de_passe.py",
            title=t("password_page.title", lang),
            icon=":material/key:",
            url_path="mot-de-passe",
            visibility="hidden",
        ),
        st.Page(
            PAGES_DIR / "connexion.py",
            title=t("nav.sign_in", lang),
            icon=":material/login:",
            url_path="connexion",
            visibility=_shown_if(not actor.signed_in),
        ),
    ]


def account_box(actor: Actor, lang: str) -> None:
    """Who is signed in, and the way out (the way in is the menu's « Connexion »)."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.sidebar.info(session_text(notice, lang), icon=":material/logout:")
    if actor.signed_in:
        st.sidebar.caption(t("auth.signed_in_as", lang, role=actor.role.label(lang)))
        st.sidebar.text(actor.email)
        if st.sidebar.button(t("auth.sign_out", lang), icon=":material/logout:", key="sign_out"):
            sign_out(lang)
            st.rerun()


def main() -> None:
    lang = current_language()
    st.set_page_config(
        page_title=t("app.title", lang),
        page_icon="🏙️",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    new_page_run()
    # The header, the page, then the footer; the footer is drawn before the
    # page runs, so that a page which stops early (st.stop) still has it.
    header(lang)
    body, bottom = st.container(), st.container()
    try:
        # A page that meets a database which does not answer says so clearly
        # (and comes back by itself), whatever it was doing.
        with unavailable_as_named_error():
            actor = current_actor()
            page = st.navigation(pages(lang, actor))
            st.sidebar.caption(t("app.title", lang))
            language_switch(lang)
            account_box(actor, lang)
            declare_language(lang)
            with bottom:
                footer(lang)
            with body:
                page.run()
    except ServiceUnavailable:
        with body:
            service_unavailable_notice(lang)
    except Exception as error:  # a bug: Streamlit shows it; the log keeps one line
        logs.error(type(error).__name__, key="error.unexpected")
        raise
