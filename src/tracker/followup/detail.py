"""One proposal's page as data: wording, follow-up, and the dated timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.domain.text import is_ascii_integer, plain_line, web_address
from tracker.domain.vocabulary import Status, Theme, WordingStatus
from tracker.errors import NotFound, ValidationError
from tracker.followup import past
from tracker.followup.rules import FOLLOWUP_FIELDS
from tracker.followup.views import owner_list, public_author
from tracker.i18n import d, field_name, pct, t


def parse_number(raw: object) -> int:
    """The proposal number from `?n=`, or a named error the page turns into a message."""
    if raw is None or str(raw).strip() == "":
        raise ValidationError("error.no_number")
    text = plain_line(raw)
    if text.startswith("-") or not is_ascii_integer(text) or len(text) > 6:
        raise ValidationError("error.bad_number", value=text[:20])
    return int(text)


@dataclass(frozen=True)
class TimelineEntry:
    when: pd.Timestamp
    author: str
    text: str
    comment: str


@dataclass(frozen=True)
class ProposalView:
    number: int
    title: str
    summary: str
    wording_status: str
    source_url: str
    report_reference: str
    primary_theme: Theme
    secondary_themes: list[Theme]
    lead_owner: str
    co_owners: str
    status: Status
    progress: int | None
    target_date: object
    last_assessed_on: object
    next_steps: str
    blockers: str
    timeline: list[TimelineEntry]
    timeline_total: int  # entries in the whole timeline (`timeline` may hold the latest only)


def shown_value(field: str, value: str | None, names: dict[str, str], lang: str) -> str:
    """A follow-up field's stored value as people read it (« — » for none)."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return Status(value).label(lang)
    if field == "progress":
        return pct(int(value), lang)
    if field in ("lead_owner", "co_owners"):
        return owner_list(value, names)
    if field in ("target_date", "last_assessed_on"):
        return d(pd.Timestamp(value).date(), lang)
    if field in ("primary_theme",):
        return Theme(value).label(lang)
    if field == "secondary_themes":
        return ", ".join(Theme(code).label(lang) for code in value.split("|") if code)
    if field == "wording_status":
        return WordingStatus(value).label(lang)
    return value


TIMELINE_SHOWN = 100  # the page shows the latest; the full history is in the exports


def timeline(history: pd.DataFrame, names: dict[str, str], lang: str) -> list[TimelineEntry]:
    """Newest first; the changes one author saved at one moment make one entry."""
    entries: list[TimelineEntry] = []
    ordered = history.sort_values(["changed_at"], ascending=False, kind="stable")
    for (when, _), group in ordered.groupby(["changed_at", "author"], sort=False):
        author = public_author(group["origin"].iloc[0], lang)
        lines = []
        for row in group.itertuples():
            field_label = t(f"field.{row.field}", lang)
            new = shown_value(row.field, row.new_value, names, lang)
            if row.old_value is None:
                lines.append(t("timeline.set", lang, field=field_label, new=new))
            else:
                old = shown_value(row.field, row.old_value, names, lang)
                lines.append(t("timeline.changed", lang, field=field_label, old=old, new=new))
        comments = dict.fromkeys(c for c in group[field_name("comment", lang)] if c)
        entries.append(TimelineEntry(when, author, "\n".join(lines), " ".join(comments)))
    return entries


def proposal_view(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    names: dict[str, str],
    number: int,
    lang: str,
    timeline_total: int | None = None,
) -> ProposalView:
    """One proposal's page, from the proposals and (some of) the history: the
    whole of it, or only the rows of its latest entries, with `timeline_total`
    saying how many entries there are in all (`queries.recent_timeline`)."""
    rows = proposals[proposals["number"] == number]
    if rows.empty:
        raise NotFound("error.proposal_not_found", number=number, total=len(proposals))
    row = rows.iloc[0]
    own = history[history["number"] == number]
    own = own[own["field"].isin(FOLLOWUP_FIELDS) | (own["origin"] != "catalogue")]
    entries = timeline(own, names, lang)
    return ProposalView(
        number=number,
        title=row[field_name("title", lang)],
        summary=row[field_name("summary", lang)],
        wording_status=row["wording_status"],
        source_url=web_address(row["source_url"]) or "",
        report_reference=row["report_reference"],
        primary_theme=Theme(row["primary_theme"]),
        secondary_themes=[Theme(x) for x in (row["secondary_themes"] or "").split("|") if x],
        lead_owner=names.get(row["lead_owner"], row["lead_owner"] or "")
        if row["lead_owner"]
        else "",
        co_owners=owner_list(row["co_owners"], names),
        status=Status(row["status"]),
        progress=None if pd.isna(row["progress"]) else int(row["progress"]),
        target_date=row["target_date"],
        last_assessed_on=row["last_assessed_on"],
        next_steps=row[field_name("next_steps", lang)],
        blockers=row[field_name("blockers", lang)],
        timeline=entries,
        timeline_total=len(entries) if timeline_total is None else timeline_total,
    )


def proposal_view_at(
    proposals: pd.DataFrame,
    history: pd.DataFrame,
    names: dict[str, str],
    number: int,
    day: date | None,
    lang: str,
    timeline_total: int | None = None,
    state_history: pd.DataFrame | None = None,
) -> ProposalView:
    """The proposal as it stood at the end of `day` (now when None): its
    follow-up rebuilt from history (`state_history` when given: the rows that
    decide that day, `queries.history_for_days`), its timeline up to that day
    (`history` may hold only its latest entries, `timeline_total` counting all)."""
    return proposal_view(
        past.proposals_at(proposals, history if state_history is None else state_history, day),
        past.history_until(history, day),
        names,
        number,
        lang,
        timeline_total,
    )
