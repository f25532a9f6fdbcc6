"""The framework's floor, for `make bench` to compare against: a bare
Streamlit script that draws the dashboard's elements already computed. Not
for serving.

    streamlit run bench/app_bare.py  # TRACKER_DATABASE_URL: a prepared database

The dashboard's title, lead, key figures, charts (heading, Plotly figure,
caption, table in an expander) and the demonstration banner are built once,
by the app's own read of the data, and kept for the process
(`st.cache_resource`); every run then only draws them, with the same element
kinds as pages/tableau_de_bord.py, its day chooser included (the app's
run sends a few more: its navigation's and the link to the decisions; the
bench reports both counts). What a run of it costs is what Streamlit costs.
"""

from datetime import date

import streamlit as st

from tracker.i18n import t
from tracker.ui.reads import dashboard_data
from tracker.ui.widgets import plotly_config

LANG = "fr"


@st.cache_resource(show_spinner=False)
def elements() -> dict[str, object]:
    """Everything the dashboard draws, computed once for the process."""
    page = dashboard_data(None, LANG)
    view = page.view
    charts = [
        (chart.heading, chart.figure, chart.summary, chart.table, chart.key)
        for chart in view.charts
    ]
    contributions = [
        (chart.heading, chart.figure, chart.summary, chart.table, chart.key)
        for chart in page.contribution_charts
    ]
    return {
        "title": view.title,
        "lead": view.lead,
        "metrics": list(view.metrics),
        "charts": charts,
        "contributions": contributions,
        "demo": page.data.is_demo,
        "show_table": t("chart.show_table", LANG),
        "heading": t("contrib.dashboard_heading", LANG),
        "contributions_lead": t("contrib.dashboard_lead", LANG),
        "banner": t("banner.demo", LANG),
        "choose": t("past.choose", LANG),
        "as_of": t("note.as_of", LANG),
    }


def draw(heading: str, figure, summary: str, table, key: str, level=st.header) -> None:
    level(heading)
    st.plotly_chart(figure, width="stretch", key=key, config=plotly_config())
    st.caption(summary)
    with st.expander(shown["show_table"]):
        st.dataframe(table, hide_index=True, width="stretch")


shown = elements()
st.title(shown["title"])
if shown["demo"]:
    st.warning(shown["banner"], icon=":material/science:")
with st.expander(shown["choose"], icon=":material/history:"):
    st.date_input(shown["as_of"], value=date.today(), key="day")
st.write(shown["lead"])
with st.container(horizontal=True, gap="small"):
    for label, value, help_text in shown["metrics"]:
        st.metric(label, value, help=help_text, border=True, width="content")
for chart in shown["charts"]:
    draw(*chart)
st.header(shown["heading"])
st.write(shown["contributions_lead"])
for chart in shown["contributions"]:
    draw(*chart, level=st.subheader)
