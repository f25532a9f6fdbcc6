"""Charts: pure functions from an aggregate frame to a Plotly figure.

Each chart comes with `chart_table`, the same numbers as a table, for people
who cannot see the chart (and for the exports).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from tracker import style
from tracker.domain.vocabulary import Status, Theme
from tracker.i18n import field_name, percent_sign, t


def chart_text(value: object) -> str:
    """Text someone typed (a title, an organisation's name) as Plotly draws it:
    Plotly reads `<a href>`, `<b>`, `<span style>` in labels and hovers, so
    `<`, `>` and `&` are written as entities and shown as typed."""
    return html.escape(str(value), quote=False)


def _layout(fig: go.Figure, title: str, x: str, y: str, **extra) -> go.Figure:
    """The common look (`style.plotly_layout`) with a legend above the chart;
    the title is left to the page's heading unless `titled`."""
    titled = extra.pop("titled", False)
    return style.plotly_layout(
        fig,
        extra.pop("lang", "fr"),
        x,
        y,
        title=dict(text=title if titled else None),
        margin=dict(l=10, r=10, t=60 if titled else 30, b=10),
        # In the order the traces were added (for statuses, their progression:
        # `STATUS_ORDER`); Plotly reverses the legend of stacked bars otherwise.
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, traceorder="normal"),
        **extra,
    )


def _numbers(numbers, lang: str) -> list[str]:
    """Proposals named by number, « n° 3 » / « No. 3 »."""
    return [t("briefing.number", lang, number=x) for x in numbers]


# Statuses in the order of their progression (`Status.rank`: not assessed →
# completed), then the two that are off that way (stalled, dropped): legends
# read as the way a proposal goes.
STATUS_ORDER = sorted(Status, key=lambda s: (s.rank is None, s.rank or 0, list(Status).index(s)))
SHORT_TITLE = 48  # characters of a title a bar's label keeps


def short_title(title: object, limit: int = SHORT_TITLE) -> str:
    """A title cut at a word, with « … », to name a bar (the hover gives it whole)."""
    text = " ".join(str(title or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:–—-«\u00a0\u202f") + "…"


def count_step(maximum: float) -> int:
    """A whole step for an axis of counts that goes up to `maximum`: 1, 2 or 5
    times a power of ten, at most six steps to the top."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= 6 * factor * power:
                return factor * power
        power *= 10


def count_axis(maximum: float) -> dict:
    """An axis of counts: ticks on whole numbers only, from zero, at any size
    (Plotly's own choice gives « 0,5 » or « 3,79 » proposals)."""
    maximum = max(float(maximum or 0), 1.0)
    return dict(tick0=0, dtick=count_step(maximum), tickformat=",d", rangemode="tozero")


def status_by_theme_chart(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars: for each theme, its proposals by status (icon in the legend)."""
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = counts[counts["status"] == status.value]
        fig.add_bar(
            name=status.badge(lang),
            x=[Theme(code).label(lang) for code in part["theme"]],
            y=part["count"],
            marker=dict(color=status.colour, pattern_shape=_PATTERNS[status]),
            hovertemplate="%{x} — " + status.label(lang) + " : %{y}<extra></extra>",
        )
    tallest = counts.groupby("theme")["count"].sum().max() if len(counts) else 0
    fig.update_yaxes(**count_axis(tallest))
    return _layout(
        fig,
        t("chart.status_by_theme", lang),
        t("label.theme", lang),
        t("label.proposals", lang),
        barmode="stack",
        lang=lang,
    )


# Patterns so that statuses differ by more than colour when printed in grey.
_PATTERNS = {
    Status.NON_EVALUEE: ".",
    Status.NON_ENGAGEE: "",
    Status.ENGAGEE: "/",
    Status.PARTIELLEMENT_REALISEE: "\\",
    Status.REALISEE: "",
    Status.EN_SUSPENS: "x",
    Status.ABANDONNEE: "-",
}


def _named(progress: pd.DataFrame, lang: str) -> list[str]:
    """Each proposal's label on the chart: its number and its short title."""
    titles = progress[field_name("title", lang)]
    return [
        f"{number} · {chart_text(short_title(title))}"
        for number, title in zip(_numbers(progress["number"], lang), titles, strict=True)
    ]


def progress_per_proposal_chart(progress: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars, highest progress on top, coloured by theme, each named
    by its number and short title."""
    fig = go.Figure()
    for theme in Theme:
        part = progress[progress["primary_theme"] == theme.value]
        fig.add_bar(
            name=theme.badge(lang),
            orientation="h",
            y=_named(part, lang),
            x=part["progress"].astype(float),
            marker_color=theme.colour,
            text=[f"{int(v)}{percent_sign(lang)}" for v in part["progress"]],
            textposition="outside",
            customdata=[chart_text(x) for x in part[field_name("title", lang)]],
            hovertemplate="%{customdata}<br>%{x} %<extra></extra>",
        )
    order = _named(progress, lang)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), automargin=True)
    fig.update_xaxes(range=[0, 110])
    return _layout(
        fig,
        t("chart.progress_per_proposal", lang),
        t("label.progress_pct", lang),
        t("label.proposal", lang),
        height=max(300, 28 * len(progress) + 120),
        lang=lang,
    )


def progress_over_time_chart(
    series: pd.DataFrame, lang: str, total: int | None = None
) -> go.Figure:
    """Average progress (left, %) and proposals assessed (right, a count up to
    `total`, the number of proposals, so the right ticks fall on the left grid)."""
    fig = go.Figure()
    fig.add_scatter(
        x=series["date"],
        y=series["average_progress"],
        mode="lines+markers",
        name=t("label.average_progress", lang),
        line=dict(color=style.BLUE_FRANCE, width=3),
        marker=dict(size=5),
    )
    fig.add_scatter(
        x=series["date"],
        y=series["assessed"],
        mode="lines",
        yaxis="y2",
        name=t("label.assessed_count", lang),
        line=dict(color=style.ORANGE, dash="dash"),
    )
    fig.update_layout(
        yaxis=dict(range=[0, 100]),
        yaxis2=dict(
            title=t("label.assessed_count", lang),
            overlaying="y",
            side="right",
            showgrid=False,
            **_assessed_axis(series, total),
        ),
    )
    return _layout(
        fig,
        t("chart.progress_over_time", lang),
        t("label.date", lang),
        t("label.average_progress_pct", lang),
        lang=lang,
    )


def _assessed_axis(series: pd.DataFrame, total: int | None) -> dict:
    """The count axis of proposals assessed: from 0 to the number of proposals
    in five whole steps when it divides (20 → 0, 4, 8 … 20, on the left's
    0, 20 … 100 %), else whole steps of its own."""
    most = int(series["assessed"].max()) if len(series) else 0
    top = max(total or 0, most, 1)
    if top % 5 == 0:
        return dict(range=[0, top], tick0=0, dtick=top // 5, tickformat=",d")
    return dict(range=[0, top * 1.05], **count_axis(top))


def owners_by_status_chart(counts: pd.DataFrame, names: dict[str, str], lang: str) -> go.Figure:
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = counts[counts["status"] == status.value]
        if part.empty:
            continue
        fig.add_bar(
            name=status.badge(lang),
            orientation="h",
            y=[chart_text(names.get(o) or t("label.no_owner", lang)) for o in part["owner"]],
            x=part["count"],
            marker=dict(color=status.colour, pattern_shape=_PATTERNS[status]),
        )
    fig.update_yaxes(categoryorder="total ascending", automargin=True)
    longest = counts.groupby("owner")["count"].sum().max() if len(counts) else 0
    fig.update_xaxes(**count_axis(longest))
    owners = counts["owner"].nunique()
    return _layout(
        fig,
        t("chart.owners_by_status", lang),
        t("label.proposals", lang),
        t("label.lead_owner", lang),
        barmode="stack",
        height=max(300, 32 * owners + 140),
        lang=lang,
    )
