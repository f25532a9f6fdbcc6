"""Déclaration d’accessibilité: the statement French public sites publish, with
what was tested, how, and what was found."""

import streamlit as st

from tracker.config import accessibility_contact
from tracker.i18n import d, t
from tracker.ui.a11y import STATEMENT_DATE
from tracker.ui.language import current_language

lang = current_language()
day = d(STATEMENT_DATE, lang)

st.title(t("a11y.title", lang))
st.markdown(t("a11y.intro", lang))

st.header(t("a11y.status_heading", lang))
st.markdown(t("a11y.status", lang))

st.header(t("a11y.results_heading", lang))
st.markdown(t("a11y.results", lang, date=day))
st.markdown(t("a11y.results_signed_in", lang, date=day))
st.markdown(t("a11y.results_design", lang))

st.header(t("a11y.not_accessible_heading", lang))
st.markdown(t("a11y.not_accessible", lang))

st.header(t("a11y.established_heading", lang))
st.markdown(t("a11y.established", lang, date=day))

st.header(t("a11y.contact_heading", lang))
st.markdown(
    t("a11y.contact", lang, contact=accessibility_contact() or t("a11y.contact_missing", lang))
)

st.header(t("a11y.remedies_heading", lang))
st.markdown(t("a11y.remedies", lang))
