"""The dashboard as data: figures, charts, their summaries and tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from tracker.domain.vocabulary import ADOPTION_DATE, Status, Theme
from tracker.followup import aggregates, charts
from tracker.i18n import field_name, labelled, n, pct, t


@dataclass(frozen=True)
class Chart:
    key: str
    heading: str
    figure: go.Figure
    summary: str
    table: pd.DataFrame


@dataclass(frozen=True)
class DashboardView:
    title: str
    lead: str
    metrics: list[tuple[str, str, str]]
    charts: list[Chart]
    figures: aggregates.KeyFigures


def metrics(figures: aggregates.KeyFigures, lang: str) -> list[tuple[str, str, str]]:
    """(label, value, explanation) for each key figure."""
    return [
        (
            t("metric.average_progress", lang),
            pct(figures.average_progress, lang),
            t("metric.average_progress_help", lang, counted=figures.counted_in_average),
        ),
        (
            t("metric.done", lang),
            f"{n(figures.done, lang)} / {n(figures.total, lang)}",
            t("metric.done_help", lang),
        ),
        (t("metric.stalled", lang), n(figures.stalled, lang), t("metric.stalled_help", lang)),
        (t("metric.stale", lang), n(figures.stale, lang), t("metric.stale_help", lang)),
        (
            t("metric.not_assessed", lang),
            n(figures.not_assessed, lang),
            t("metric.not_assessed_help", lang),
        ),
    ]


def timeline_days(today: date) -> list[date]:
    """The days the progress-over-time chart shows: each month's end since the
    report's adoption, and today. (`history` needs to decide only these:
    `queries.history_for_days`.)"""
    return aggregates.month_ends(ADOPTION_DATE, today)


def dashboard_at(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    names: dict[str, str],
    day: date | None,
    today: date,
    lang: str,
) -> DashboardView:
    """The dashboard as it stood at the end of `day` (now when None)."""
    if day is None:
        return dashboard(proposals, history, names, today, lang)
    return dashboard(aggregates.state_at(proposals, history, day), history, names, day, lang)


def dashboard(
    proposals: pd.DataFrame, history: pd.DataFrame, names: dict[str, str], today: date, lang: str
) -> DashboardView:
    figures = aggregates.key_figures(proposals, today)
    by_theme = aggregates.status_by_theme(proposals)
    progress = aggregates.progress_per_proposal(proposals)
    owners = aggregates.owners_by_status(proposals)
    over_time = aggregates.progress_over_time(proposals, history, timeline_days(today))

    status_counts = ", ".join(
        labelled(Status(code).label(lang).lower(), count, lang)
        for code, count in figures.by_status.items()
        if count
    )
    theme_table = by_theme.pivot(index="theme", columns="status", values="count")
    theme_table = theme_table.reindex(
        index=[x.value for x in Theme], columns=[s.value for s in Status]
    )
    theme_table.index = [Theme(x).label(lang) for x in theme_table.index]
    theme_table.columns = [Status(s).label(lang) for s in theme_table.columns]
    theme_table = theme_table.rename_axis(t("label.theme", lang)).reset_index()

    progress_table = pd.DataFrame(
        {
            t("col.number", lang): progress["number"],
            t("col.title", lang): progress[field_name("title", lang)],
            t("col.theme", lang): [Theme(x).label(lang) for x in progress["primary_theme"]],
            t("col.progress", lang): progress["progress"],
        }
    )
    last = over_time.iloc[-1] if len(over_time) else None
    time_table = pd.DataFrame(
        {
            t("label.date", lang): over_time["date"],
            t("label.average_progress_pct", lang): over_time["average_progress"].round(1),
            t("label.assessed_count", lang): over_time["assessed"],
        }
    )
    owner_table = owners.assign(
        owner=[names.get(o) or t("label.no_owner", lang) for o in owners["owner"]],
        status=[Status(s).label(lang) for s in owners["status"]],
    ).rename(
        columns={
            "owner": t("col.lead_owner", lang),
            "status": t("col.status", lang),
            "count": t("label.proposals", lang),
        }
    )
    top = progress.head(1)

    chart_list = [
        Chart(
            "status_by_theme",
            t("chart.status_by_theme", lang),
            charts.status_by_theme_chart(by_theme, lang),
            t("summary.status_by_theme", lang, total=figures.total, counts=status_counts),
            theme_table,
        ),
        Chart(
            "progress_per_proposal",
            t("chart.progress_per_proposal", lang),
            charts.progress_per_proposal_chart(progress, lang),
            t(
                "summary.progress_per_proposal",
                lang,
                counted=len(progress),
                best=int(top["number"].iloc[0]) if len(top) else "—",
                best_progress=pct(top["progress"].iloc[0] if len(top) else None, lang),
                excluded=figures.total - len(progress),
            ),
            progress_table,
        ),
        Chart(
            "progress_over_time",
            t("chart.progress_over_time", lang),
            charts.progress_over_time_chart(over_time, lang, figures.total),
            t(
                "summary.progress_over_time",
                lang,
                average=pct(
                    last["average_progress"]
                    if last is not None and pd.notna(last["average_progress"])
                    else None,
                    lang,
                ),
                assessed=int(last["assessed"]) if last is not None else 0,
            ),
            time_table,
        ),
        Chart(
            "owners_by_status",
            t("chart.owners_by_status", lang),
            charts.owners_by_status_chart(owners, names, lang),
            t("summary.owners_by_status", lang, owners=owners["owner"].replace("", None).nunique()),
            owner_table,
        ),
    ]
    return DashboardView(
        title=t("dashboard.title", lang),
        lead=t("dashboard.lead", lang, total=figures.total),
        metrics=metrics(figures, lang),
        charts=chart_list,
        figures=figures,
    )
