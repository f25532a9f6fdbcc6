"""Reading the data as pandas frames: one query per table, no rule applied here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import func, literal, select, true, union_all
from sqlalchemy.orm import Session

from tracker.catalogue.queries import _text_with_none
from tracker.catalogue.rules import CATALOGUE_FIELDS
from tracker.clock import end_of_day
from tracker.db.models import Organisation, Proposal, ProposalChange
from tracker.followup.rules import DATE_FIELDS, FOLLOWUP_FIELDS, TEXT_FIELDS

# A proposal's published columns, in the order every table and file gives
# them: the one declaration (the CLI's machine table and the open data schema
# follow it); `PROPOSAL_COLUMNS` adds what only the application reads.
PROPOSAL_FIELDS = [
    "number",
    *CATALOGUE_FIELDS,
    "lead_owner",
    "co_owners",
    "status",
    "progress",
    *DATE_FIELDS,
    *TEXT_FIELDS,
]
PROPOSAL_COLUMNS = [*PROPOSAL_FIELDS, "version"]


HISTORY_COLUMNS = [
    "number",
    "changed_at",
    "author",
    "field",
    "old_value",
    "new_value",
    "comment_fr",
    "comment_en",
    "origin",
]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    text = [
        c
        for c in PROPOSAL_COLUMNS
        if c not in ("number", "progress", "version", "target_date", "last_assessed_on")
    ]
    _text_with_none(frame, text)
    frame["progress"] = frame["progress"].astype("Int64")
    for column in ("target_date", "last_assessed_on"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def proposals_frame(session: Session) -> pd.DataFrame:
    """Every proposal, catalogue and follow-up fields, one row each, by number."""
    rows = session.execute(
        select(Proposal, Organisation.code)
        .outerjoin(Organisation, Organisation.id == Proposal.lead_owner_id)
        .order_by(Proposal.number)
    ).all()
    records = []
    for proposal, lead_code in rows:
        record = {c: getattr(proposal, c) for c in PROPOSAL_COLUMNS if c != "lead_owner"}
        record["lead_owner"] = lead_code
        records.append(record)
    return _typed(pd.DataFrame.from_records(records, columns=PROPOSAL_COLUMNS))


def _history(session: Session, *conditions, with_id: bool = False) -> pd.DataFrame:
    """History rows matching `conditions`, in the order they happened."""
    query = (
        select(
            Proposal.number,
            *(getattr(ProposalChange, c) for c in HISTORY_COLUMNS if c != "number"),
            *([ProposalChange.id] if with_id else []),
        )
        .join(Proposal, Proposal.id == ProposalChange.proposal_id)
        .where(*conditions)
        .order_by(ProposalChange.changed_at, ProposalChange.id)
    )
    frame = pd.DataFrame.from_records(
        session.execute(query).all(), columns=[*HISTORY_COLUMNS, *(["id"] if with_id else [])]
    )
    _text_with_none(
        frame, ["author", "field", "old_value", "new_value", "comment_fr", "comment_en", "origin"]
    )
    frame["changed_at"] = pd.to_datetime(frame["changed_at"], utc=True)
    return frame


def history_frame(
    session: Session, number: int | None = None, fields: Sequence[str] | None = None
) -> pd.DataFrame:
    """Changes in the order they happened (oldest first); one proposal's, some fields'."""
    conditions = []
    if number is not None:
        conditions.append(Proposal.number == number)
    if fields is not None:
        conditions.append(ProposalChange.field.in_(list(fields)))
    return _history(session, *conditions)


def history_for_days(session: Session, days: Sequence[date]) -> pd.DataFrame:
    """The few history rows that decide the follow-up at the end of each of
    `days`: for every proposal and follow-up field, its latest change by then,
    and every proposal's first change (whether it existed yet).

    For each of those days, `aggregates.state_at` and `briefing.alerts` give
    the same results from this frame as from the whole history, which is read
    here by index look-ups (migration 0006) however long it is.
    """
    moment = ProposalChange.__table__.c.changed_at.type
    ends = union_all(
        *(select(literal(end_of_day(day), moment).label("until")) for day in sorted(set(days)))
    ).subquery("ends")
    until = ends.c.until
    newest_first = (ProposalChange.changed_at.desc(), ProposalChange.id.desc())
    latest = [
        select(ProposalChange.id)
        .where(
            ProposalChange.proposal_id == Proposal.id,
            ProposalChange.field == field,
            ProposalChange.changed_at <= until,
        )
        .order_by(*newest_first)
        .limit(1)
        .correlate(Proposal, ends)
        .scalar_subquery()
        for field in FOLLOWUP_FIELDS
    ]
    first = (
        select(ProposalChange.id)
        .where(ProposalChange.proposal_id == Proposal.id)
        .order_by(ProposalChange.changed_at, ProposalChange.id)
        .limit(1)
        .correlate(Proposal)
        .scalar_subquery()
    )
    ids: set[int] = set(session.scalars(select(first).select_from(Proposal)))
    if days:  # one statement for every day: each (day, proposal, field) an index look-up
        for row in session.execute(select(*latest).select_from(Proposal).join(ends, true())):
            ids.update(row)
    ids.discard(None)  # type: ignore[arg-type]
    wanted = sorted(ids)
    frame = pd.concat(
        [
            _history(session, ProposalChange.id.in_(wanted[i : i + 1000]), with_id=True)
            for i in range(0, max(len(wanted), 1), 1000)
        ]
    )
    frame = frame.sort_values(["changed_at", "id"], kind="stable")
    return frame.drop(columns="id").reset_index(drop=True)


def followup_history(history: pd.DataFrame) -> pd.DataFrame:
    """Only the follow-up changes (not catalogue wording)."""
    return history[history["field"].isin(FOLLOWUP_FIELDS)]


def _own_timeline(number: int, until: date | None = None):
    """A proposal's own timeline: its follow-up changes, and its other changes
    except the catalogue's wording (as `detail.proposal_view` shows it)."""
    return (
        Proposal.number == number,
        ProposalChange.field.in_(FOLLOWUP_FIELDS) | (ProposalChange.origin != "catalogue"),
        *([ProposalChange.changed_at <= end_of_day(until)] if until else []),
    )


def recent_timeline(
    session: Session, number: int, entries: int, until: date | None = None
) -> tuple[pd.DataFrame, int]:
    """The history rows of a proposal's latest `entries` timeline entries (at
    least: the rows of every change saved at or after the `entries`-th latest
    moment), and how many entries its whole timeline has (an entry: the
    changes one author saved at one moment); up to the end of `until` if given."""
    own = (
        select(ProposalChange.changed_at, ProposalChange.author)
        .join(Proposal, Proposal.id == ProposalChange.proposal_id)
        .where(*_own_timeline(number, until))
        .distinct()
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(own)) or 0
    moments = (
        select(ProposalChange.changed_at)
        .join(Proposal, Proposal.id == ProposalChange.proposal_id)
        .where(*_own_timeline(number, until))
        .distinct()
        .order_by(ProposalChange.changed_at.desc())
        .offset(entries - 1)
        .limit(1)
    )
    since = session.scalar(moments)
    conditions = list(_own_timeline(number, until))
    if since is not None:
        conditions.append(ProposalChange.changed_at >= since)
    return _history(session, *conditions), int(total)
