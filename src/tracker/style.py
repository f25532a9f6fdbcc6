"""The look shared by the screen, the charts and the printed documents.

Brand colours (the French State's design system, DSFR 1.15: each value is one
of its tokens, named in the comment), the typeface
and the Plotly layout are declared here once; the pages' theme lives in
`.streamlit/config.toml`, which cannot import Python: `tests/test_style.py`
checks that the two agree.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tracker.i18n import plotly_separators

# Brand colours ----------------------------------------------------------------

BLUE_FRANCE = "#000091"  # blue-france-sun-113: the theme's primaryColor, links, main series
BLUE_FRANCE_LIGHT = "#e3e3fd"  # blue-france-925: the low end of the map's scale
BLUE_FRANCE_TINT = "#f5f5fe"  # blue-france-975: the background of the key figures (PDF)
RED_MARIANNE = "#ce0500"  # error-425: warnings (« demonstration data »)
TEXT = "#161616"  # text-title-grey: the theme's textColor
TEXT_MUTED = "#3a3a3a"  # text-default-grey: labels drawn on charts, the footer's text
GREY = "#666666"  # text-mention-grey: footers
GREEN = "#18753c"  # success-425: contributions per kind of organisation
ORANGE = "#b34000"  # warning-425: the second series of the progress-over-time chart
INFO = "#0063cb"  # info-425: the theme's blueColor
BLACK = "#000000"  # the bloc-marque's text
WHITE = "#ffffff"
BORDER = "#cccccc"
RULE = "#dddddd"  # border-default-grey: grid lines, table rules, the theme's borderColor
COUNTRY_LINE = "#bbbbbb"
BACKGROUND_ALT = "#f6f6f6"  # background-alt-grey: the sidebar, alternate rows, land on the map

MAP_COLOURS = [[0, BLUE_FRANCE_LIGHT], [1, BLUE_FRANCE]]

# Typeface -----------------------------------------------------------------------

TYPEFACE = "Marianne, Arial, sans-serif"
FONT = dict(family=TYPEFACE, size=14)


def rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` as three integers, for the libraries that want them."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def plotly_layout(
    fig: go.Figure,
    lang: str,
    x: str = "",
    y: str = "",
    *,
    margin: dict | None = None,
    **extra,
) -> go.Figure:
    """The common look of every on-screen chart: typeface, white template,
    the language's decimal separators, axis titles and compact margins."""
    fig.update_layout(
        xaxis_title=x,
        yaxis_title=y,
        font=FONT,
        margin=margin if margin is not None else dict(l=10, r=10, t=30, b=10),
        template="plotly_white",
        separators=plotly_separators(lang),
        **extra,
    )
    return fig
