"""Tableau de bord: key figures and charts of the twenty proposals."""

import streamlit as st

from tracker.i18n import t
from tracker.services.contribution_views import contribution_charts
from tracker.services.dashboard import dashboard, timeline_days
from tracker.ui.context import (
    current_language,
    demo_banner,
    history_for_days,
    public_counts,
    snapshot,
    today,
    view_of,
)
from tracker.ui.widgets import chart_with_table

lang = current_language()
data = snapshot()
history = history_for_days(data, timeline_days(today()))
view = view_of("dashboard", dashboard, data, (data.proposals, history, data.names), today(), lang)

st.title(view.title)
demo_banner(data, lang)
st.write(view.lead)

for column, (label, value, help_text) in zip(
    st.columns(len(view.metrics)), view.metrics, strict=False
):
    column.metric(label, value, help=help_text, border=True)

for chart in view.charts:
    st.header(chart.heading)
    chart_with_table(chart.figure, chart.summary, chart.table, lang, key=chart.key)

st.header(t("contrib.dashboard_heading", lang))
st.write(t("contrib.dashboard_lead", lang))
counts = public_counts(data)
for chart in view_of(
    "contribution_charts", contribution_charts, data, (counts, list(data.proposals["number"])), lang
):
    st.subheader(chart.heading)
    chart_with_table(chart.figure, chart.summary, chart.table, lang, key=chart.key)
