"""Séances: the working group's sessions — planned, held, minutes published —
and the register of its decisions, followed from session to session."""

import streamlit as st

from tracker.briefings.session_documents import decisions_register
from tracker.domain.vocabulary import ADOPTION_DATE, DecisionState, SessionFormat
from tracker.i18n import date_input_format, t
from tracker.review_sessions.actions import plan_session, set_decision_state
from tracker.review_sessions.queries import may_record, session_links, sessions_table
from tracker.ui import page_file
from tracker.ui.auth import current_actor
from tracker.ui.database import engine
from tracker.ui.errors import friendly_errors
from tracker.ui.language import current_language
from tracker.ui.reads import sessions_data, today
from tracker.ui.versions import forget_version, seen_version
from tracker.ui.widgets import demo_banner, written_dates

lang = current_language()
actor = current_actor()
page = sessions_data(actor)
date_format = date_input_format(lang)
secretariat = may_record(actor)

st.title(t("sessions.title", lang))
demo_banner(page.data.is_demo, lang)
st.write(t("sessions.lead" if secretariat else "sessions.lead_public", lang))
flash = st.session_state.pop("sessions_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

if page.sessions.empty:
    st.info(t("sessions.none" if secretariat else "sessions.none_public", lang))
else:
    st.dataframe(
        written_dates(sessions_table(page.sessions, lang), [t("session.col_date", lang)], lang),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("sessions.open_heading", lang))
    for link in session_links(page.sessions, lang):
        st.page_link(
            page_file("seance.py"),
            label=link.label,
            icon=":material/event_note:",
            query_params={"id": link.id, "lang": lang},
        )

if secretariat:
    with st.form("plan_session", clear_on_submit=True, border=True):
        st.subheader(t("sessions.plan_heading", lang))
        c1, c2 = st.columns(2)
        day = c1.date_input(
            t("session.date", lang), value=today(), min_value=ADOPTION_DATE, format=date_format
        )
        chosen_format = c2.selectbox(
            t("session.col_format", lang),
            [f.value for f in SessionFormat],
            format_func=lambda f: SessionFormat(f).label(lang),
        )
        label = st.text_input(t("session.label", lang), placeholder=t("session.label_hint", lang))
        if st.form_submit_button(t("sessions.plan", lang), icon=":material/event:", type="primary"):
            with friendly_errors(lang):
                row = plan_session(engine(), actor, day, label, format=chosen_format)
                st.session_state["sessions_flash"] = t("sessions.planned", lang, id=row.id)
                st.rerun()

st.header(t("decisions.heading", lang))
register = decisions_register(page.decisions, page.data.names, today(), lang)
if register.empty:
    st.caption(t("decisions.none", lang))
else:
    st.dataframe(register, hide_index=True, width="stretch")

if secretariat and not page.decisions.empty:
    with st.form("decision_state", border=True):
        st.subheader(t("decisions.change_heading", lang))
        ids = list(page.decisions["id"])
        texts = dict(zip(page.decisions["id"], page.decisions["text_fr"], strict=True))
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox(
            t("decision.col_text", lang),
            ids,
            format_func=lambda i: f"{i}. {texts[i][:90]}",
        )
        state = c2.selectbox(
            t("decision.col_state", lang),
            [s.value for s in DecisionState],
            format_func=lambda s: DecisionState(s).label(lang),
        )
        current = page.decisions.loc[page.decisions["id"] == chosen, "version"].iloc[0]
        version = seen_version(f"decision_{chosen}", int(current))
        if st.form_submit_button(
            t("decisions.change", lang), icon=":material/published_with_changes:"
        ):
            with friendly_errors(lang):
                set_decision_state(engine(), actor, chosen, state, expected_version=version)
                forget_version(f"decision_{chosen}")
                st.session_state["sessions_flash"] = t("decisions.changed", lang, id=chosen)
                st.rerun()
