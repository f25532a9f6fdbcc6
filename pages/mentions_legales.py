"""Mentions légales: who publishes the tool and who hosts it (`tracker.ui.legal`)."""

import streamlit as st

from tracker.i18n import t
from tracker.ui.language import current_language
from tracker.ui.legal import legal_notice, missing_notice

lang = current_language()

st.title(t("legal.title", lang))
notice = missing_notice(lang)
if notice:
    st.warning(notice, icon=":material/edit_note:")
for section in legal_notice(lang):
    st.header(section.heading)
    st.markdown(section.body)
