"""Tableau de bord: key figures and charts of the twenty proposals."""

import streamlit as st

from tracker.i18n import t
from tracker.ui import page_file
from tracker.ui.as_of import day_chooser, past_state_notice, requested_day
from tracker.ui.language import current_language
from tracker.ui.reads import dashboard_data
from tracker.ui.widgets import chart_with_table, demo_banner

lang = current_language()
day = requested_day(lang)
page = dashboard_data(day, lang)
view = page.view

st.title(view.title)
demo_banner(page.data.is_demo, lang)
past_state_notice(day, lang)
day_chooser(day, lang)
st.write(view.lead)

# Each key figure as wide as its label (never cut « Sans évaluati… »), on as
# many lines as the width needs.
with st.container(horizontal=True, gap="small"):
    for label, value, help_text in view.metrics:
        st.metric(label, value, help=help_text, border=True, width="content")
if page.decisions_line:
    st.page_link(
        page_file("seances.py"),
        label=page.decisions_line,
        icon=":material/gavel:",
        query_params={"lang": lang},
    )

for chart in view.charts:
    st.header(chart.heading)
    chart_with_table(chart.figure, chart.summary, chart.table, lang, key=chart.key)

st.header(t("contrib.dashboard_heading", lang))
st.write(t("contrib.dashboard_lead", lang))
for chart in page.contribution_charts:
    st.subheader(chart.heading)
    chart_with_table(chart.figure, chart.summary, chart.table, lang, key=chart.key)
