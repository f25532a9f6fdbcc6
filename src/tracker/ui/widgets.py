"""Drawing helpers shared by pages: a chart with its text alternative, the
demonstration notice."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker.i18n import t


def plotly_config() -> dict:
    """Plotly's settings: maps read their world outline from the app's own
    static files (`src/tracker/ui/static/topojson/`), never from a CDN."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return {"displaylogo": False, "topojsonURL": f"{prefix}/app/static/topojson/"}


def chart_with_table(
    figure: go.Figure, summary: str, table: pd.DataFrame, lang: str, key: str
) -> None:
    """A chart, the sentence that says what it shows, and its numbers as a table."""
    st.plotly_chart(figure, width="stretch", key=key, config=plotly_config())
    st.caption(summary)  # counts and vocabulary only: no text typed by people
    with st.expander(t("chart.show_table", lang)):
        st.dataframe(table, hide_index=True, width="stretch")


def demo_banner(is_demo: bool, lang: str) -> None:
    """The notice on every page while the data are demonstration data."""
    if is_demo:
        st.warning(t("banner.demo", lang), icon=":material/science:")
