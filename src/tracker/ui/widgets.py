"""Drawing helpers shared by pages: a chart with its text alternative, a
table's dates as people read them, the demonstration notice."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker.i18n import d, quantity, t


def plotly_config() -> dict:
    """Plotly's settings: maps read their world outline from the app's own
    static files (`src/tracker/ui/static/topojson/`), never from a CDN."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return {"displaylogo": False, "topojsonURL": f"{prefix}/app/static/topojson/"}


def written_dates(table: pd.DataFrame, columns: list[str], lang: str) -> pd.DataFrame:
    """`table` with the dates of `columns` written as the page's text writes
    them (« 4 décembre 2026 », « 1er juin 2024 »), not « 04/12/2026 »: for a
    table a person reads, whose order the page already chose."""

    def written(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "—"
        return d(pd.Timestamp(value).date(), lang)

    return table.assign(**{c: [written(v) for v in table[c]] for c in columns if c in table})


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _decimals(column: pd.Series) -> bool:
    """Numbers (some missing), at least one with decimals."""
    values = [v for v in column if not _missing(v)]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return bool(values) and numbers and any(isinstance(v, float) for v in values)


def _dates(column: pd.Series) -> bool:
    values = [v for v in column if not _missing(v)]
    return bool(values) and all(isinstance(v, date) for v in values)


def read_as_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A chart's numbers as its sentence writes them: decimals with the
    language's comma (« 12,1 »), dates written out (« 31 juillet 2018 »), « — »
    for none (never `None`); whole numbers stay numbers."""
    shown = {}
    for name in table.columns:
        column = table[name]
        if pd.api.types.is_datetime64_any_dtype(column) or _dates(column):
            shown[name] = ["—" if _missing(v) else d(pd.Timestamp(v).date(), lang) for v in column]
        elif pd.api.types.is_float_dtype(column) or _decimals(column):
            shown[name] = ["—" if _missing(v) else quantity(round(v, 1), lang) for v in column]
        elif any(_missing(v) for v in column):
            shown[name] = ["—" if _missing(v) else v for v in column]
        else:
            shown[name] = column
    return pd.DataFrame(shown, index=table.index)


def chart_with_table(
    figure: go.Figure, summary: str, table: pd.DataFrame, lang: str, key: str
) -> None:
    """A chart, the sentence that says what it shows, and its numbers as a table."""
    st.plotly_chart(figure, width="stretch", key=key, config=plotly_config())
    st.caption(summary)  # counts and vocabulary only: no text typed by people
    with st.expander(t("chart.show_table", lang)):
        st.dataframe(read_as_text(table, lang), hide_index=True, width="stretch")


def demo_banner(is_demo: bool, lang: str) -> None:
    """The notice on every page while the data are demonstration data."""
    if is_demo:
        st.warning(t("banner.demo", lang), icon=":material/science:")
