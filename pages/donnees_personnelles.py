"""Données personnelles: what the tool keeps about people, why, how long, who
sees it, and how to exercise one's rights (`tracker.ui.legal`)."""

import streamlit as st

from tracker.i18n import t
from tracker.ui.language import current_language
from tracker.ui.legal import missing_notice, personal_data

lang = current_language()

st.title(t("privacy.title", lang))
st.markdown(t("privacy.intro", lang))
notice = missing_notice(lang)
if notice:
    st.warning(notice, icon=":material/edit_note:")
for section in personal_data(lang):
    st.header(section.heading)
    st.markdown(section.body)
