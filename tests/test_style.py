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


def test_the_pages_and_the_charts_use_the_same_typeface():
    theme = _theme()
    assert theme["font"] == theme["headingFont"] == style.TYPEFACE


def test_every_font_face_is_a_marianne_file_the_app_serves_itself():
    faces = _theme()["fontFaces"]
    assert {face["family"] for face in faces} == {"Marianne"}
    assert {face["weight"] for face in faces} >= {"400", "700"}
    makefile = (ROOT / "Makefile").read_text()
    for face in faces:
        assert face["url"].startswith("app/static/dsfr/fonts/")  # never another site
        weight = face["url"].removeprefix("app/static/dsfr/fonts/Marianne-").removesuffix(".woff2")
        assert weight in makefile.split("MARIANNE := ")[1].splitlines()[0].split()


def test_the_theme_uses_dsfr_tokens_from_the_style_module():
    theme = _theme()
    assert theme["secondaryBackgroundColor"] == style.BACKGROUND_ALT
    assert theme["borderColor"] == style.RULE
    assert theme["linkColor"] == style.BLUE_FRANCE
    assert theme["redColor"] == style.RED_MARIANNE
    assert theme["greenColor"] == style.GREEN
    assert theme["orangeColor"] == style.ORANGE
    assert theme["blueColor"] == style.INFO


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
