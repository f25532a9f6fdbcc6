"""What a briefing says, once, in the reader's language; each document format
(PDF, PPTX, XLSX, CSV) lays the same content out in its own way."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker.briefings.comparison import Alert, Comparison, alerts, compare
from tracker.catalogue import queries as catalogue_queries
from tracker.contributions.history import (
    reported_statuses,
    validated_by,
    versions_frame,
    window_in_database,
)
from tracker.db import settings
from tracker.db.engine import reading
from tracker.domain.vocabulary import (
    ADOPTION_DATE,
    LANGUAGES,
    AlertKind,
    Status,
    Theme,
    WordingStatus,
)
from tracker.errors import ValidationError
from tracker.followup import dashboard, queries
from tracker.followup.aggregates import KeyFigures, ProposalFilter, status_by_theme
from tracker.followup.queries import followup_history
from tracker.followup.views import organisation_names, public_author
from tracker.i18n import clean_value, d, field_name, list_separator, localised, pct, t
from tracker.review_sessions.queries import (
    decisions_frame,
    held,
    last_session_before,
    review_sessions_frame,
)

FIELD_LABELS = {
    "status": "col.status",
    "progress": "col.progress",
    "lead_owner": "col.lead_owner",
    "co_owners": "col.co_owners",
    "target_date": "col.target_date",
    "last_assessed_on": "col.last_assessed_on",
    "next_steps_fr": "col.next_steps",
    "next_steps_en": "col.next_steps",
    "blockers_fr": "col.blockers",
    "blockers_en": "col.blockers",
}


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing shows, computed once."""

    lang: str
    as_of: date
    since: date
    session_label: str | None
    is_demo: bool
    wanted: ProposalFilter
    names: dict[str, str]
    comparison: Comparison
    alerts: list[Alert]
    history: pd.DataFrame
    generated_on: date
    sessions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def figures(self) -> KeyFigures:
        return self.comparison.figures_after

    @property
    def state(self) -> pd.DataFrame:
        return self.comparison.after


def build_briefing(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    names: dict[str, str],
    sessions: pd.DataFrame,
    *,
    is_demo: bool,
    as_of: date,
    since: date | None = None,
    wanted: ProposalFilter | None = None,
    lang: str = "fr",
    today: date | None = None,
    contributions: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
    reported: Mapping[int, Collection[str]] | None = None,
) -> Briefing:
    """The briefing at `as_of`, compared with `since` (by default the last
    session held on or before `as_of`, or the report's adoption when none
    was); `decisions` adds the overdue ones to the alerts, and the open ones
    on completed proposals; `reported` (statuses of validated contributions,
    per proposal) the proposals a contribution says are further along."""
    since = since or last_session_before(sessions, as_of) or ADOPTION_DATE
    if since > as_of:
        raise ValidationError(
            "briefing.error_since_after", since=since.isoformat(), as_of=as_of.isoformat()
        )
    wanted = wanted or ProposalFilter()
    comparison = compare(proposals, history, since, as_of, wanted, contributions)
    taken = held(sessions)
    labels = dict(zip(taken["held_on"], taken["label"], strict=True)) if len(taken) else {}
    return Briefing(
        lang=lang,
        as_of=as_of,
        since=since,
        session_label=labels.get(since),
        is_demo=is_demo,
        wanted=wanted,
        names=names,
        comparison=comparison,
        alerts=alerts(comparison.after, history, as_of, decisions, reported),
        history=history,
        generated_on=today or date.today(),
        sessions=sessions,
    )


def with_every_contribution(session: Session, b: Briefing) -> Briefing:
    """The briefing listing every contribution validated in between (a page
    reads the first ones only), for its documents and downloads."""
    window = b.comparison.window
    if window is None or len(window.rows) == window.total:
        return b
    numbers = b.state["number"].tolist()
    every = window_in_database(session, b.since, b.as_of, numbers)
    return replace(b, comparison=replace(b.comparison, window=every))


def load_briefing(
    engine: Engine,
    *,
    as_of: date,
    since: date | None = None,
    wanted: ProposalFilter | None = None,
    lang: str = "fr",
) -> Briefing:
    """Read the data once, then build the briefing (for the CLI)."""
    with reading(engine) as session:
        versions = versions_frame(session)
        proposals = queries.proposals_frame(session)
        history = queries.history_frame(session)
        names = organisation_names(catalogue_queries.organisations_frame(session))
        sessions = review_sessions_frame(session)
        decisions = decisions_frame(session)
        is_demo = settings.is_demo(session)
    return build_briefing(
        proposals,
        history,
        names,
        sessions,
        is_demo=is_demo,
        as_of=as_of,
        since=since,
        wanted=wanted,
        lang=lang,
        contributions=versions,
        decisions=decisions,
        reported=reported_statuses(validated_by(versions, as_of)),
    )


# ---- Sentences -----------------------------------------------------------------


def long_date(day: date, lang: str) -> str:
    """« 1er juin 2024 » in French (the first of the month is an ordinal)."""
    return d(day, lang)


def number_label(number: int, lang: str) -> str:
    return t("briefing.number", lang, number=number)


def title(b: Briefing) -> str:
    return t("briefing.title", b.lang)


def as_of_line(b: Briefing) -> str:
    return t("briefing.as_of", b.lang, date=long_date(b.as_of, b.lang))


def since_line(b: Briefing) -> str:
    if b.session_label:
        return t(
            "briefing.since_session", b.lang, date=long_date(b.since, b.lang), label=b.session_label
        )
    if b.since == ADOPTION_DATE and last_session_before(b.sessions, b.as_of) is None:
        return t("briefing.since_adoption_no_session", b.lang, date=long_date(b.since, b.lang))
    return t("briefing.since_date", b.lang, date=long_date(b.since, b.lang))


def filter_line(b: Briefing) -> str:
    parts = []
    if b.wanted.themes:
        labels = ", ".join(Theme(x).label(b.lang) for x in b.wanted.themes)
        parts.append(t("briefing.filter_theme", b.lang, values=labels))
    if b.wanted.statuses:
        labels = ", ".join(Status(x).label(b.lang) for x in b.wanted.statuses)
        parts.append(t("briefing.filter_status", b.lang, values=labels))
    if b.wanted.owners:
        labels = ", ".join(b.names.get(x, x) for x in b.wanted.owners)
        parts.append(t("briefing.filter_owner", b.lang, values=labels))
    if not parts:
        return t("briefing.no_filter", b.lang, total=b.figures.total)
    return t("briefing.filters", b.lang, filters=list_separator(b.lang).join(parts))


def metrics(b: Briefing) -> list[tuple[str, str, str]]:
    """The dashboard's own key figures, for the same selection and date."""
    return dashboard.metrics(b.figures, b.lang)


def status_label(code: str | None, lang: str) -> str:
    return Status(code).label(lang) if code else t("briefing.did_not_exist", lang)


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def progress_text(value: object, lang: str) -> str:
    """« 40 % », or « — » for a proposal with no progress (never 0 %)."""
    return "—" if missing(value) else pct(int(value), lang)  # type: ignore[call-overload]


def delta_text(delta: int | None, lang: str) -> str:
    if missing(delta):
        return "—"
    if int(delta) == 0:  # type: ignore[arg-type]
        return "="
    # a true minus sign (U+2212), as typography wants it in either language
    return t("briefing.points", lang, delta=f"{int(delta):+d}".replace("-", "\u2212"))


def change_line(row: pd.Series, lang: str) -> str:
    """« n° 7 — Title : Partiellement réalisée → Réalisée ; 75 % → 100 % (+25 points) »."""
    parts = []
    if row["status_changed"]:
        parts.append(
            f"{status_label(row['status_before'], lang)} → {status_label(row['status_after'], lang)}"
        )
    if row["progress_changed"]:
        parts.append(
            f"{progress_text(row['progress_before'], lang)} → "
            f"{progress_text(row['progress_after'], lang)}"
            + (
                f" ({delta_text(row['progress_delta'], lang)})"
                if pd.notna(row["progress_delta"])
                else ""
            )
        )
    separator = list_separator(lang)
    return t(
        "briefing.change_line",
        lang,
        number=number_label(int(row["number"]), lang),
        title=row[field_name("title", lang)],
        what=separator.join(parts),
    )


def change_lines(b: Briefing, limit: int | None = None) -> tuple[list[str], int]:
    """The main changes, largest first, and how many more were left out."""
    changed = b.comparison.changed
    shown = changed if limit is None else changed.head(limit)
    return [change_line(r, b.lang) for _, r in shown.iterrows()], len(changed) - len(shown)


def comparison_summary(b: Briefing) -> str:
    c = b.comparison
    return t(
        "briefing.comparison_summary",
        b.lang,
        changed=len(c.changed),
        total=len(c.rows),
        newly_stalled=len(c.newly_stalled),
        not_assessed=len(c.not_assessed_since),
        average_before=pct(c.figures_before.average_progress, b.lang),
        average_after=pct(c.figures_after.average_progress, b.lang),
    )


def numbers_text(numbers: list[int], lang: str) -> str:
    return ", ".join(number_label(x, lang) for x in numbers) if numbers else "—"


def alert_detail(alert: Alert, lang: str) -> str:
    day = d(alert.day, lang, "medium") if alert.day else ""
    if alert.kind is AlertKind.STALLED:
        return t("alert.stalled_since", lang, date=day) if day else ""
    if alert.kind is AlertKind.STALE:
        return t("alert.last_assessed", lang, date=day) if day else t("alert.never_assessed", lang)
    if alert.kind is AlertKind.OVERDUE:
        return t("alert.target_was", lang, date=day)
    if alert.kind is AlertKind.DECISION_OVERDUE:
        return t("alert.decision_due_was", lang, date=day)
    if alert.kind is AlertKind.PROGRESS_UNASSESSED:
        return t("alert.progress_changed_on", lang, date=day)
    if alert.kind is AlertKind.CONTRIBUTION_AHEAD:
        status = alert.status.label(lang) if alert.status else ""
        return t("alert.contribution_reports", lang, status=status)
    if alert.kind is AlertKind.DECISION_ON_DONE:
        return t("alert.decision_of_session", lang, date=day)
    return t(
        "alert.went_down",
        lang,
        before=pct(alert.before, lang),
        after=pct(alert.after, lang),
        date=day,
    )


def alert_groups(b: Briefing) -> list[tuple[AlertKind, list[Alert]]]:
    """Alerts grouped by kind, every kind present (an empty one is news too)."""
    return [(kind, [a for a in b.alerts if a.kind is kind]) for kind in AlertKind]


def alert_group_line(kind: AlertKind, found: list[Alert], lang: str) -> str:
    if not found:
        return t("alert.none_of_kind", lang, kind=kind.label(lang))
    items = ", ".join(
        f"{number_label(a.number, lang)} ({alert_detail(a, lang)})"
        if alert_detail(a, lang)
        else number_label(a.number, lang)
        for a in found
    )
    return t("alert.group_line", lang, kind=kind.label(lang), count=len(found), items=items)


# ---- Points de blocage ----------------------------------------------------------
#
# What a minister's note needs on every stalled or overdue proposal: its title,
# who leads it, what blocks it, what comes next and when it was last assessed.

BLOCKING_KINDS = (AlertKind.STALLED, AlertKind.OVERDUE)
MAX_BLOCKING_TEXT = 160


@dataclass(frozen=True)
class BlockingPoint:
    number: int
    title: str
    lead_owner: str
    blockers: str
    next_steps: str
    last_assessed_on: date | None
    reasons: tuple[AlertKind, ...]


def blocking_points(b: Briefing) -> list[BlockingPoint]:
    """Every stalled or overdue proposal of the selection at `as_of`, by number,
    with its blockers and next steps in the briefing's language."""
    reasons: dict[int, list[AlertKind]] = {}
    for a in b.alerts:
        if a.kind in BLOCKING_KINDS:
            reasons.setdefault(a.number, []).append(a.kind)
    state = b.state.set_index("number")

    def text(value: object) -> str:
        return "" if missing(value) else str(value)

    points = []
    for number in sorted(reasons):
        row = state.loc[number]
        owner = text(row["lead_owner"])
        points.append(
            BlockingPoint(
                number=int(number),
                title=text(localised(row, "title", b.lang)),
                lead_owner=b.names.get(owner, owner),
                blockers=text(localised(row, "blockers", b.lang)),
                next_steps=text(localised(row, "next_steps", b.lang)),
                last_assessed_on=None
                if missing(row["last_assessed_on"])
                else row["last_assessed_on"],
                reasons=tuple(reasons[number]),
            )
        )
    return points


def blocking_summary(b: Briefing) -> str:
    points = blocking_points(b)
    if not points:
        return t("briefing.blocking_none", b.lang)
    return t("briefing.blocking_summary", b.lang, count=len(points))


def blocking_line(p: BlockingPoint, lang: str) -> str:
    """« n° 12 — Titre (Pilote : MEAE) — en suspens — Blocage : … — Prochaine
    étape : … — Dernière évaluation : 3 mars 2024 »."""
    parts = [
        t("briefing.number", lang, number=p.number) + " — " + clean_value(p.title, 120),
    ]
    if p.lead_owner:
        parts[0] += " " + t("briefing.blocking_lead", lang, owner=clean_value(p.lead_owner, 80))
    parts.append(list_separator(lang).join(k.label(lang) for k in p.reasons))
    for key, value in (
        ("briefing.blocking_blockers", p.blockers),
        ("briefing.blocking_next_steps", p.next_steps),
    ):
        parts.append(t(key, lang, text=clean_value(value, MAX_BLOCKING_TEXT) if value else "—"))
    parts.append(
        t(
            "briefing.blocking_assessed",
            lang,
            date=d(p.last_assessed_on, lang, "medium")
            if p.last_assessed_on
            else t("alert.never_assessed", lang),
        )
    )
    return " — ".join(parts)


def blocking_lines(b: Briefing, limit: int | None = None) -> tuple[list[str], int]:
    points = blocking_points(b)
    shown = points if limit is None else points[:limit]
    return [blocking_line(p, b.lang) for p in shown], len(points) - len(shown)


def blocking_table(b: Briefing) -> pd.DataFrame:
    """The points de blocage as a table: text as typed, dates as dates."""
    lang = b.lang
    points = blocking_points(b)
    columns = {
        t("col.number", lang): [p.number for p in points],
        t("col.title", lang): [p.title for p in points],
        t("col.lead_owner", lang): [p.lead_owner for p in points],
        t("briefing.col_alert", lang): [
            list_separator(lang).join(k.label(lang) for k in p.reasons) for p in points
        ],
        t("col.blockers", lang): [p.blockers for p in points],
        t("col.next_steps", lang): [p.next_steps for p in points],
        t("col.last_assessed_on", lang): [p.last_assessed_on for p in points],
    }
    return pd.DataFrame(columns, columns=list(columns))


# Marks beside a title that is not the report's own wording (explained in a legend).
WORDING_MARKS = {WordingStatus.SUMMARY.value: "*", WordingStatus.RECONSTRUCTED.value: "†"}


def marked_title(b: Briefing, number: int) -> str:
    """The title in the briefing's language, marked when it is not verbatim."""
    row = b.state[b.state["number"] == number].iloc[0]
    mark = WORDING_MARKS.get(row["wording_status"], "")
    # A no-break space: the mark never goes alone onto a line of its own.
    return f"{localised(row, 'title', b.lang)}\u00a0{mark}".strip()


def wording_legend(b: Briefing) -> str:
    """The legend of the marks, or "" when every title shown is verbatim."""
    shown = set(b.state["wording_status"]) & set(WORDING_MARKS)
    if not shown:
        return ""
    parts = [f"{WORDING_MARKS[w.value]} {w.label(b.lang)}" for w in WordingStatus if w in shown]
    return t(
        "briefing.wording_legend",
        b.lang,
        marks=list_separator(b.lang).join(parts),
    )


def demo_mark(lang: str) -> str:
    return t("briefing.demo_mark", lang)


def file_name(b: Briefing, extension: str) -> str:
    return f"{t('briefing.file_name', b.lang)}-{b.as_of.isoformat()}.{extension}"


def contributions_file_name(b: Briefing) -> str:
    """The CSV of the contributions validated between the two dates."""
    return f"{t('file.contributions', b.lang)}-{b.since.isoformat()}-{b.as_of.isoformat()}.csv"


# ---- Tables ----------------------------------------------------------------------


def proposals_table(b: Briefing) -> pd.DataFrame:
    """The proposals at `as_of`, with where they stood at `since`."""
    lang = b.lang
    rows = b.comparison.rows
    state = b.state.set_index("number").loc[rows["number"]]
    return pd.DataFrame(
        {
            t("col.number", lang): rows["number"].astype(int).to_numpy(),
            t("col.title", lang): rows[field_name("title", lang)].to_numpy(),
            t("col.theme", lang): [Theme(x).label(lang) for x in rows["primary_theme"]],
            t("col.lead_owner", lang): [b.names.get(c, c or "") for c in state["lead_owner"]],
            t("col.status", lang): [Status(x).label(lang) for x in rows["status_after"]],
            t("col.progress", lang): rows["progress_after"].astype("Int64").to_numpy(),
            t("briefing.col_status_before", lang): [
                status_label(x, lang) for x in rows["status_before"]
            ],
            t("briefing.col_progress_before", lang): rows["progress_before"]
            .astype("Int64")
            .to_numpy(),
            t("briefing.col_delta", lang): rows["progress_delta"].to_numpy(),
            t("col.last_assessed_on", lang): state["last_assessed_on"].to_numpy(),
            t("col.target_date", lang): state["target_date"].to_numpy(),
            t("col.wording", lang): [WordingStatus(x).label(lang) for x in state["wording_status"]],
        }
    )


def changes_table(b: Briefing) -> pd.DataFrame:
    lang = b.lang
    rows = b.comparison.changed
    return pd.DataFrame(
        {
            t("col.number", lang): rows["number"].astype(int).to_numpy(),
            t("col.title", lang): rows[field_name("title", lang)].to_numpy(),
            t("briefing.col_status_before", lang): [
                status_label(x, lang) for x in rows["status_before"]
            ],
            t("col.status", lang): [Status(x).label(lang) for x in rows["status_after"]],
            t("briefing.col_progress_before", lang): rows["progress_before"]
            .astype("Int64")
            .to_numpy(),
            t("col.progress", lang): rows["progress_after"].astype("Int64").to_numpy(),
            t("briefing.col_delta", lang): rows["progress_delta"].to_numpy(),
            t("briefing.col_newly_stalled", lang): [
                t("briefing.yes", lang) if x else "" for x in rows["newly_stalled"]
            ],
        }
    )


def alerts_table(b: Briefing) -> pd.DataFrame:
    lang = b.lang
    titles = dict(zip(b.state["number"], b.state[field_name("title", lang)], strict=True))
    return pd.DataFrame(
        {
            t("briefing.col_alert", lang): [a.kind.label(lang) for a in b.alerts],
            t("col.number", lang): [a.number for a in b.alerts],
            t("col.title", lang): [titles.get(a.number, "") for a in b.alerts],
            t("briefing.col_detail", lang): [alert_detail(a, lang) for a in b.alerts],
            t("label.date", lang): [a.day for a in b.alerts],
        },
        columns=[
            t("briefing.col_alert", lang),
            t("col.number", lang),
            t("col.title", lang),
            t("briefing.col_detail", lang),
            t("label.date", lang),
        ],
    )


def _value_text(field_name: str, value: str | None, b: Briefing) -> str:
    if value is None:
        return ""
    if field_name == "status":
        return Status(value).label(b.lang)
    if field_name == "lead_owner":
        return b.names.get(value, value)
    if field_name == "co_owners":
        return ", ".join(b.names.get(c, c) for c in value.split("|") if c)
    return value


def history_table(b: Briefing) -> pd.DataFrame:
    """The follow-up changes of the proposals shown, up to `as_of`, oldest first."""
    lang = b.lang
    end = pd.Timestamp(b.as_of).tz_localize("UTC") + pd.Timedelta(days=1)
    changes = followup_history(b.history)
    changes = changes[
        (changes["changed_at"] < end) & changes["number"].isin(set(b.state["number"]))
    ]
    other_languages = [x for x in LANGUAGES if x != lang]
    in_other_languages = [
        field_name(name, x) for name in ("next_steps", "blockers") for x in other_languages
    ]
    changes = changes[~changes["field"].isin(in_other_languages)]
    return pd.DataFrame(
        {
            t("label.date", lang): [x.date() for x in changes["changed_at"]],
            t("col.number", lang): changes["number"].astype(int).to_numpy(),
            t("briefing.col_field", lang): [t(FIELD_LABELS[f], lang) for f in changes["field"]],
            t("briefing.col_old", lang): [
                _value_text(f, v, b)
                for f, v in zip(changes["field"], changes["old_value"], strict=True)
            ],
            t("briefing.col_new", lang): [
                _value_text(f, v, b)
                for f, v in zip(changes["field"], changes["new_value"], strict=True)
            ],
            t("briefing.col_author", lang): [public_author(o, lang) for o in changes["origin"]],
            t("briefing.col_comment", lang): changes[field_name("comment", lang)].to_numpy(),
        }
    )


def figures_table(b: Briefing) -> pd.DataFrame:
    """Key figures at both dates, as numbers a spreadsheet can compute on."""
    lang = b.lang
    before, after = b.comparison.figures_before, b.comparison.figures_after

    def avg(f: KeyFigures) -> float | None:
        return round(f.average_progress, 1) if f.average_progress is not None else None

    rows = [
        (t("metric.average_progress", lang) + " (%)", avg(before), avg(after)),
        (t("metric.done", lang), before.done, after.done),
        (t("metric.stalled", lang), before.stalled, after.stalled),
        (t("metric.stale", lang), before.stale, after.stale),
        (t("metric.not_assessed", lang), before.not_assessed, after.not_assessed),
        (t("label.proposals", lang), before.total, after.total),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            t("briefing.col_figure", lang),
            d(b.since, lang, "short"),
            d(b.as_of, lang, "short"),
        ],
    )


def themes_shown(b: Briefing) -> list[Theme]:
    """Themes with at least one proposal in the selection, in vocabulary order."""
    present = set(b.state["primary_theme"])
    return [x for x in Theme if x.value in present]


def theme_proposals(b: Briefing, theme: Theme) -> pd.DataFrame:
    """The selection's proposals of one theme, by number."""
    return b.state[b.state["primary_theme"] == theme.value].sort_values("number")


def by_theme(b: Briefing) -> pd.DataFrame:
    return status_by_theme(b.state)


# ---- Validated contributions ----------------------------------------------------
#
# Their titles and descriptions are what organisations typed: each document
# shows them as plain text (`clean_value` keeps one line without control
# characters; the PDF escapes it, spreadsheets neutralise formulas).

MAX_CONTRIBUTION_TITLE = 120


def validated_contributions(b: Briefing) -> pd.DataFrame | None:
    """The contributions validated between the two dates, for the proposals
    shown (None when the briefing was built without contributions)."""
    return b.comparison.contributions


def validation_day(moment: object) -> date:
    """The (UTC) day of a validation, the day the comparison counts it in."""
    return pd.Timestamp(moment).tz_convert("UTC").date()


def contributions_total(b: Briefing) -> int:
    """How many contributions were validated in between, listed or not."""
    window = b.comparison.window
    return 0 if window is None else window.total


def contributions_summary(b: Briefing) -> str:
    window = b.comparison.window
    dates = {"since": long_date(b.since, b.lang), "as_of": long_date(b.as_of, b.lang)}
    if window is None or window.total == 0:
        return t("briefing.contributions_none", b.lang, **dates)
    key = "briefing.contributions_one" if window.total == 1 else "briefing.contributions_many"
    return t(
        key, b.lang, count=window.total, new=window.new, updated=window.total - window.new, **dates
    )


def contribution_line(row: pd.Series, lang: str) -> str:
    """« 5 mars 2024 — n° 4 — Métropole de Lille : Pilote à Saint-Louis (nouvelle) »."""
    return t(
        "briefing.contribution_line",
        lang,
        date=d(validation_day(row["validated_at"]), lang, "medium"),
        number=number_label(int(row["proposal"]), lang),
        organisation=clean_value(row["organisation_name"], MAX_CONTRIBUTION_TITLE),
        title=clean_value(row["title"], MAX_CONTRIBUTION_TITLE),
        kind=t(
            "briefing.contribution_new" if row["new"] else "briefing.contribution_updated", lang
        ),
    )


def contribution_lines(b: Briefing, limit: int | None = None) -> tuple[list[str], int]:
    """One line per contribution validated in between, oldest first, and how
    many more were left out."""
    found = validated_contributions(b)
    if found is None:
        return [], 0
    shown = found if limit is None else found.head(limit)
    lines = [contribution_line(r, b.lang) for _, r in shown.iterrows()]
    return lines, contributions_total(b) - len(shown)


def contributions_table(b: Briefing) -> pd.DataFrame:
    """The contributions validated in between, as people read them: dates as
    dates, numbers as numbers, text as the organisation wrote it."""
    lang = b.lang
    found = validated_contributions(b)
    if found is None:
        found = pd.DataFrame(columns=["validated_at", "proposal", "new"])
    titles = dict(zip(b.state["number"], b.state[field_name("title", lang)], strict=True))

    def column(name: str) -> list:
        return found[name].tolist() if name in found else []

    return pd.DataFrame(
        {
            t("briefing.col_validated_on", lang): [
                validation_day(x) for x in column("validated_at")
            ],
            t("col.number", lang): [int(x) for x in column("proposal")],
            t("col.title", lang): [titles.get(x, "") for x in column("proposal")],
            t("contrib.field.organisation", lang): column("organisation_name"),
            t("briefing.col_contribution", lang): column("title"),
            t("briefing.col_new_or_updated", lang): [
                t("briefing.contribution_new" if x else "briefing.contribution_updated", lang)
                for x in column("new")
            ],
            t("contrib.field.status", lang): [
                Status(x).label(lang) if x else "" for x in column("status")
            ],
            t("contrib.field.progress", lang): pd.array(column("progress"), dtype="Int64"),
            t("contrib.field.description", lang): column("description"),
        }
    )
