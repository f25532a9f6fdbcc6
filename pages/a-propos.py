"""À propos: the report, the method, the vocabulary, where the data comes from."""

import streamlit as st

from tracker.domain.vocabulary import Status, WordingStatus
from tracker.i18n import t
from tracker.ui import page_file
from tracker.ui.cache import snapshot
from tracker.ui.language import current_language
from tracker.ui.widgets import demo_banner

lang = current_language()
data = snapshot()

st.title(t("about.title", lang))
demo_banner(data.is_demo, lang)

st.header(t("about.report_heading", lang))
st.markdown(t("about.report", lang))
st.header(t("about.method_heading", lang))
st.markdown(t("about.method", lang))

st.header(t("about.statuses_heading", lang))
for status in Status:
    st.markdown(f"**{status.badge(lang)}** — {status.definition(lang)}")
st.info(t("about.rules", lang))

st.header(t("about.wording_heading", lang))
st.markdown(t("about.wording", lang))
for wording in WordingStatus:
    st.markdown(f"- **{wording.badge(lang)}** — {wording.definition(lang)}")
counts = data.proposals["wording_status"].value_counts()
st.markdown(
    t("about.wording_counts", lang, **{w.value: int(counts.get(w.value, 0)) for w in WordingStatus})
)

st.header(t("about.sources_heading", lang))
st.markdown(t("about.sources", lang))

st.header(t("about.demo_heading", lang))
st.markdown(t("about.demo_on" if data.is_demo else "about.demo_off", lang))

st.page_link(
    page_file("accessibilite.py"),
    label=t("a11y.about_link", lang),
    icon=":material/accessibility_new:",
    query_params={"lang": lang},
)
