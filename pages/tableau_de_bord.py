"""Tableau de bord: key figures and charts of the twenty proposals."""

import streamlit as st

from tracker.contributions.views import contribution_charts
from tracker.followup.dashboard import dashboard_at, timeline_days
from tracker.i18n import t
from tracker.ui.as_of import day_chooser, past_state_notice, requested_day
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
day = requested_day(lang)
# Only the history rows that decide the month ends shown (and `day` itself).
history = history_for_days(data, timeline_days(day or today()))
view = view_of(
    "dashboard",
    dashboard_at,
    data,
    (data.proposals, history, data.names),
    day,
    today(),
    lang,
)

st.title(view.title)
demo_banner(data, lang)
past_state_notice(day, lang)
day_chooser(day, lang)
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
# Counted by the database, as the public saw them at the end of `day` (or now).
public = public_counts(data, day)
numbers = list(data.proposals["number"])
for chart in view_of(
    "contribution_charts",
    # `day` only keys the shared cache: `public` is already the state at that day.
    lambda public, numbers, lang, _day: contribution_charts(public, numbers, lang),
    data,
    (public, numbers),
    lang,
    day,
):
    st.subheader(chart.heading)
    chart_with_table(chart.figure, chart.summary, chart.table, lang, key=chart.key)
