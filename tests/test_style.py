"""The look is declared once (`tracker.style`); the theme of the pages lives
in `.streamlit/config.toml`, which cannot import it: the two must agree."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from tracker import style
from tracker.followup import charts

ROOT = Path(__file__).resolve().parents[1]


def _theme() -> dict:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as handle:
        return tomllib.load(handle)["theme"]


def test_the_streamlit_theme_uses_the_brand_colours():
    theme = _theme()
    assert theme["primaryColor"].lower() == style.BLUE_FRANCE
    assert theme["textColor"].lower() == style.TEXT


def test_the_theme_typeface_is_the_last_resort_of_the_charts():
    assert style.TYPEFACE.split(", ")[-1] == _theme()["font"]


def test_every_colour_is_a_hex_triplet():
    for name in dir(style):
        value = getattr(style, name)
        if name.isupper() and isinstance(value, str) and value.startswith("#"):
            assert len(value) == 7 and value == value.lower(), name
            assert len(style.rgb(value)) == 3


def test_one_plotly_layout_for_every_chart():
    fig = style.plotly_layout(go.Figure(), "fr", "x", "y")
    assert fig.layout.font.family == style.TYPEFACE
    assert fig.layout.separators == ", "
    assert style.plotly_layout(go.Figure(), "en").layout.separators == ".,"
    empty = pd.DataFrame({"date": [], "average_progress": [], "assessed": []})
    chart = charts.progress_over_time_chart(empty, "en")
    assert chart.layout.font.family == style.TYPEFACE
    assert chart.data[0].line.color == style.BLUE_FRANCE
